"""Load the knowledge base strictly: every file validated, every reference resolved.

`load_knowledge()` returns a `Knowledge` or raises `KnowledgeError` listing each
problem with its file and line. `check_knowledge()` runs the same lints and also
lists sources last checked more than a year ago; `pathways kb check` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from pydantic import BaseModel, TypeAdapter, ValidationError

from . import schema
from .binding import POLICY_STALE_AFTER
from .lint import citing, lint
from .location import KNOWLEDGE_ROOT, fingerprint
from .vocabulary import DEFAULT_JURISDICTION, authorization_key
from .yamlfile import Problem, YamlFile, read_yaml

STALE_AFTER = timedelta(days=365)


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Knowledge:
    facts: dict[str, schema.FactDefinition] = field(default_factory=dict)
    categories: dict[str, schema.CategoryDefinition] = field(default_factory=dict)
    sources: dict[str, schema.Source] = field(default_factory=dict)
    visas: dict[str, schema.Visa] = field(default_factory=dict)
    authorizations: dict[str, schema.Authorization] = field(default_factory=dict)
    pathways: dict[str, schema.Pathway] = field(default_factory=dict)
    policies: dict[str, schema.PolicyEvent] = field(default_factory=dict)
    lists: dict[str, schema.CodeList] = field(default_factory=dict)
    programs: dict[str, schema.Program] = field(default_factory=dict)
    barriers: dict[str, schema.Barrier] = field(default_factory=dict)
    enablers: dict[str, schema.Enabler] = field(default_factory=dict)
    recommendations: dict[str, schema.Recommendation] = field(default_factory=dict)
    living: dict[str, schema.PerDiemTable] = field(default_factory=dict)
    consular_waits: dict[str, schema.ConsularWaits] = field(default_factory=dict)
    jurisdictions: dict[str, schema.Jurisdiction] = field(default_factory=dict)
    messages: dict[str, schema.Message] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # "kind:id" -> file
    fingerprint: str = ""

    def authorization_of(self, pathway: schema.Pathway) -> schema.Authorization | None:
        """The authorization a pathway pairs with its visa, in the pathway's own jurisdiction."""
        return self.authorizations.get(authorization_key(pathway.jurisdiction or DEFAULT_JURISDICTION, pathway.authorization))

    def last_checked(self) -> date | None:
        return max((s.checked for s in self.sources.values()), default=None)


# (folder or file, model, how the file holds items, the Knowledge attribute)
_ONE = "one"  # the file is one item whose id is in the file
_LIST = "list"  # the file is a list of items with `id`
_MAP = "map"  # the file maps id -> item
# Federal and shared files, by place; then each state's folder (any folder holding a
# jurisdiction.yaml) with the kinds below. Any other YAML file is refused, with its name:
# a file the loader does not understand must never load as nothing.
_KINDS: list[tuple[str, type[BaseModel], str, str]] = [
    ("facts.yaml", schema.FactDefinition, _MAP, "facts"),
    ("categories.yaml", schema.CategoryDefinition, _LIST, "categories"),
    ("sources/", schema.Source, _MAP, "sources"),
    ("us/visas/", schema.Visa, _ONE, "visas"),
    ("us/policies/", schema.PolicyEvent, _ONE, "policies"),
    ("us/lists/", schema.CodeList, _ONE, "lists"),
    ("us/consular-waits/", schema.ConsularWaits, _ONE, "consular_waits"),
    ("world/", schema.CodeList, _ONE, "lists"),
    ("context/barriers.yaml", schema.Barrier, _LIST, "barriers"),
    ("context/enablers.yaml", schema.Enabler, _LIST, "enablers"),
    ("context/recommendations.yaml", schema.Recommendation, _LIST, "recommendations"),
    ("messages.yaml", schema.Message, _LIST, "messages"),
]
JURISDICTION_FILE = "jurisdiction.yaml"
# folders read by their own readers, not loaded as the knowledge base: reforms (rules/reform.py,
# applied only when asked for), the synthetic populations' marginals (engine/population.py) and
# the letter kinds (rules/letter.py) and the translations of texts (rules/translations.py), both
# checked with the rest by check_knowledge
OWN_READERS = ("reforms", "populations", "letters", "i18n")
_STATE_KINDS: list[tuple[str, type[BaseModel], str, str]] = [
    ("authorizations/", schema.Authorization, _ONE, "authorizations"),
    ("pathways/", schema.Pathway, _ONE, "pathways"),
    ("programs/", schema.Program, _ONE, "programs"),
    ("living/", schema.PerDiemTable, _ONE, "living"),
]


def _item_id(item: BaseModel) -> str:
    return getattr(item, "id", None) or getattr(item, "code")


def _states(root: Path) -> list[Path]:
    return sorted(d for d in root.iterdir() if d.is_dir() and (d / JURISDICTION_FILE).exists())


def _files(root: Path) -> list[tuple[Path, tuple, str | None]]:
    """(file, (model, shape, attr), jurisdiction or None) for every knowledge file."""
    found = []

    def add(base: Path, kinds, jurisdiction):
        for pattern, model, shape, attr in kinds:
            target = base / pattern
            if pattern.endswith("/"):
                found.extend((p, (model, shape, attr), jurisdiction) for p in sorted(target.glob("*.yaml")))
            elif target.exists():
                found.append((target, (model, shape, attr), jurisdiction))

    add(root, _KINDS, None)
    for state in _states(root):
        found.append((state / JURISDICTION_FILE, (schema.Jurisdiction, _ONE, "jurisdictions"), state.name))
        add(state, _STATE_KINDS, state.name)
    return found


def _unknown_files(root: Path, known: set[Path]) -> list[Problem]:
    places = [k for k, *_ in _KINDS] + [f"<state>/{k}" for k, *_ in _STATE_KINDS] + [f"<state>/{JURISDICTION_FILE}"]
    return [Problem(str(path.relative_to(root)), 1,
                    "not a knowledge file: YAML is read only in " + ", ".join(places)
                    + f" (a state is a folder with a {JURISDICTION_FILE})")
            for path in sorted(root.rglob("*.y*ml"))
            if path not in known and path.relative_to(root).parts[0] not in OWN_READERS]


def _validate(file: YamlFile, model, shape: str) -> tuple[list[BaseModel], list[Problem]]:
    """Validate a file's items; a broken item is reported and left out."""
    data = file.data
    if shape == _ONE:
        entries = [((), data)]
    elif shape == _LIST:
        if not isinstance(data, list):
            return [], [Problem(file.name, 1, "expected a list of items")]
        entries = [((i,), item) for i, item in enumerate(data)]
    else:
        if not isinstance(data, dict):
            return [], [Problem(file.name, 1, "expected a mapping of id to item")]
        entries = [((key,), value) for key, value in data.items()]
    items, problems = [], []
    adapter = TypeAdapter(model)
    for loc, value in entries:
        try:
            item = adapter.validate_python(value)
        except ValidationError as error:
            for e in error.errors():
                where = loc + tuple(e["loc"])
                field_path = ".".join(str(p) for p in where) or "(file)"
                problems.append(Problem(file.name, file.line(where), f"{field_path}: {e['msg']}"))
            continue
        items.append((loc, item))
    return items, problems


def _read_all(root: Path) -> tuple[Knowledge, list[Problem], dict[str, YamlFile]]:
    kb, problems, files = Knowledge(), [], {}
    listed = _files(root)
    problems += _unknown_files(root, {path for path, _, _ in listed})
    for path, (model, shape, attr), jurisdiction in listed:
        name = str(path.relative_to(root))
        file, read_problems = read_yaml(path, name)
        problems += read_problems
        if file is None:
            continue
        files[name] = file
        items, item_problems = _validate(file, model, shape)
        problems += item_problems
        store = getattr(kb, attr)
        for loc, item in items:
            item, problem = _in_jurisdiction(item, jurisdiction, attr, name, file)
            if problem:
                problems.append(problem)
            key = loc[0] if shape == _MAP else _item_id(item)
            stem = key
            if attr == "authorizations":
                key = authorization_key(jurisdiction, key)
            if shape == _ONE and stem != path.stem and attr != "jurisdictions":
                problems.append(Problem(name, file.line(("id",)) or file.line(("code",)), f"the file name must be {stem}.yaml, as its id"))
            if key in store:
                problems.append(Problem(name, file.line(loc) if loc else 1, f"{attr} id {key!r} is defined twice (also in {kb.origin[attr + ':' + key]})"))
                continue
            store[key] = item
            kb.origin[f"{attr}:{key}"] = name
    return kb, problems, files


def _in_jurisdiction(item, jurisdiction: str | None, attr: str, name: str, file: YamlFile):
    """A state's item, marked with its folder's jurisdiction (a file may say it, and must agree)."""
    if attr == "jurisdictions":
        if item.code != jurisdiction:
            return item, Problem(name, file.line(("code",)), f"code must be {jurisdiction!r}, the folder's name")
        return item, None
    if jurisdiction is None or not hasattr(item, "jurisdiction"):
        return item, None
    if item.jurisdiction not in (None, jurisdiction):
        return item, Problem(name, file.line(("jurisdiction",)), f"jurisdiction {item.jurisdiction!r} in the folder of {jurisdiction!r}")
    return item.model_copy(update={"jurisdiction": jurisdiction}), None


def load_knowledge(root: Path = KNOWLEDGE_ROOT) -> Knowledge:
    kb, problems, _ = _load(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KnowledgeError(errors)
    return kb


def check_knowledge(root: Path = KNOWLEDGE_ROOT, today: date | None = None) -> list[Problem]:
    """Every problem, plus each fact whose source was last checked more than a year
    before today (severity "stale"), with the file and line of the fact."""
    kb, problems, files = _load(root)
    today = today or date.today()
    stale = {sid: s for sid, s in kb.sources.items() if today - s.checked > STALE_AFTER}
    for name, line, source_id in citing(files, set(stale)):
        checked = stale[source_id].checked
        problems.append(Problem(name, line, f"cites {source_id!r}, last checked on {checked}, more than a year ago", "stale"))
    policy_stale = {sid: s for sid, s in kb.sources.items() if today - s.checked > POLICY_STALE_AFTER} .keys() - stale.keys()
    policies = {name: file for name, file in files.items() if name.startswith("us/policies/")}
    for name, line, source_id in citing(policies, set(policy_stale)):
        checked = kb.sources[source_id].checked
        problems.append(Problem(name, line, f"policy fact cites {source_id!r}, last checked on {checked}, "
                                            f"more than {POLICY_STALE_AFTER.days} days ago", "stale"))
    from .letter_lint import lint_letters  # Jinja2 is imported only when letters are checked
    from .translations import check_translations

    return problems + lint_letters(kb, root, set(stale)) + check_translations(root)


def _load(root: Path) -> tuple[Knowledge, list[Problem], dict[str, YamlFile]]:
    kb, problems, files = _read_all(root)
    kb.fingerprint = fingerprint(root)
    problems += lint(kb, files)  # the cross-reference checks
    return kb, problems, files


__all__ = ["Knowledge", "KnowledgeError", "Problem", "load_knowledge", "check_knowledge", "KNOWLEDGE_ROOT"]
