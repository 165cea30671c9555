"""Reforms: named, cited changes to the knowledge base, applied over it in memory.

A reform file (docs/contract.md section 5) says what changes: requirements replaced, removed or
added in a visa, an authorization or a pathway; visas, authorizations, pathways or policy
events added; policy events ended. `apply_reforms` returns a new `Knowledge` with every change
made, or raises `ReformError` naming the file, line and reason: a reform is never applied in
part. `parameters` (the weeks a short-term category allows...) are substituted into the
changes' texts and tests as `${name}`, with their defaults or the values a user gives.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError

from . import schema
from .vocabulary import DEFAULT_JURISDICTION, authorization_key
from .yamlfile import Problem, YamlFile, read_yaml

REFORMS_FOLDER = "reforms"


class ReformError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReformSource(_Strict):
    """A reform's own source; the knowledge base's fields, with label and grade optional."""

    title: str
    address: str
    kind: str
    checked: date
    label: str | None = None
    grade: Literal["primary", "institutional", "secondary"] | None = None
    how_checked: str | None = None


class Parameter(_Strict):
    default: float | bool | str
    text: str
    type: Literal["number", "bool", "text"] = "number"
    minimum: float | None = None
    maximum: float | None = None


ParameterName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class ReformFile(_Strict):
    id: schema.Slug
    name: str
    summary: schema.Fact
    sources: dict[schema.Slug, ReformSource] = {}
    effective: date | None = None
    parameters: dict[ParameterName, Parameter] = {}
    # other reforms this one builds on (a pathway pairing two reforms' new visa and permit):
    # applied first, with their defaults, whenever this one is asked for
    requires: list[schema.Slug] = []
    changes: list[dict[str, Any]]


CHANGE_KINDS = ("replace_requirement", "remove_requirement", "add_requirement", "add", "end_event")
ADDABLE = {"visa": (schema.Visa, "visas"), "authorization": (schema.Authorization, "authorizations"),
           "pathway": (schema.Pathway, "pathways"), "policy_event": (schema.PolicyEvent, "policies")}
_GRADES = {"statute": "primary", "regulation": "primary", "proclamation": "primary", "federal-register": "primary",
           "court": "primary", "agency-page": "primary", "bill": "primary", "data": "primary",
           "institutional": "institutional", "article": "secondary", "secondary": "secondary"}


@dataclass
class Reform:
    """A reform read and checked for shape, with its parameters' values."""

    id: str
    name: str
    summary: str
    citations: tuple[str, ...]
    effective: date | None
    parameters: dict[str, Parameter]
    values: dict[str, Any]
    changes: list[dict]
    sources: dict[str, schema.Source]
    file: YamlFile
    path: str
    raw: ReformFile = field(repr=False, default=None)
    requires: tuple[str, ...] = ()

    def applies_on(self, day: date) -> bool:
        return self.effective is None or day >= self.effective

    def describe(self) -> dict:
        return {"id": self.id, "name": self.name, "summary": self.summary, "citations": list(self.citations),
                "effective": self.effective.isoformat() if self.effective else None,
                "parameters": {k: {"default": p.default, "value": self.values[k], "text": p.text, "type": p.type,
                                   "shown": _shown(self.values[k]), "default_shown": _shown(p.default)}
                               for k, p in self.parameters.items()},
                "changes": [next(iter(c)) for c in self.changes], "requires": list(self.requires),
                "file": Path(self.path).name}


def _shown(value) -> str:
    """A parameter's value as a person reads it: 12, not 12.0; yes or no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def shipped_reforms(root: Path) -> list[Path]:
    return sorted((root / REFORMS_FOLDER).glob("*.yaml"))


def find_reform(name: str, root: Path) -> Path | None:
    """A reform by id (a file of the knowledge base's reforms/) or by path."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    shipped = root / REFORMS_FOLDER / f"{name}.yaml"
    return shipped if shipped.exists() else None


def read_reform(path: Path, values: dict[str, str] | None = None) -> Reform:
    """The reform in `path` with its parameters set (defaults, then `values`, text from the
    command line or a page, checked against each parameter's type); ReformError otherwise."""
    name = str(path)
    file, problems = read_yaml(path, name)
    if file is None:
        raise ReformError(problems)
    try:
        raw = TypeAdapter(ReformFile).validate_python(file.data)
    except ValidationError as error:
        raise ReformError([Problem(name, file.line(tuple(e["loc"])), f"{'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}")
                           for e in error.errors()]) from None
    chosen, problems = _parameter_values(raw, values or {}, name, file)
    for i, change in enumerate(raw.changes):
        if len(change) != 1 or next(iter(change)) not in CHANGE_KINDS:
            problems.append(Problem(name, file.line(("changes", i)),
                                    f"changes.{i}: one of {', '.join(CHANGE_KINDS)} expected, got {', '.join(map(str, change)) or 'nothing'}"))
    if problems:
        raise ReformError(problems)
    changes = [_substitute(change, chosen) for change in raw.changes]
    leftovers = sorted({m for c in changes for m in re.findall(r"\$\{([^}]*)\}", repr(c))})
    if leftovers:
        raise ReformError([Problem(name, file.line(("changes",)), f"unknown parameter(s) {', '.join(leftovers)}; "
                                                                  f"declared: {', '.join(raw.parameters) or 'none'}")])
    sources = {sid: schema.Source(label=s.label or s.title[:60], title=s.title, address=s.address,
                                  kind=s.kind if s.kind in _GRADES else "secondary",
                                  grade=s.grade or _GRADES.get(s.kind, "secondary"), checked=s.checked,
                                  how_checked=s.how_checked)
               for sid, s in raw.sources.items()}
    return Reform(raw.id, raw.name, raw.summary.text, tuple(raw.summary.cite), raw.effective, dict(raw.parameters),
                  chosen, changes, sources, file, name, raw, tuple(raw.requires))


def _parameter_values(raw: ReformFile, given: dict[str, str], name: str, file: YamlFile):
    problems, chosen = [], {}
    unknown = sorted(set(given) - set(raw.parameters))
    if unknown:
        problems.append(Problem(name, file.line(("parameters",)), f"no parameter {', '.join(unknown)}; "
                                                                  f"accepted: {', '.join(raw.parameters) or 'none'}"))
    for key, p in raw.parameters.items():
        value: Any = given.get(key, p.default)
        if isinstance(value, str) and key in given:
            value, message = _typed(value, p)
            if message:
                problems.append(Problem(name, file.line(("parameters", key)), f"parameter {key}: {message}"))
                continue
        chosen[key] = value
    return chosen, problems


def _typed(text: str, p: Parameter):
    if p.type == "bool":
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true", None
        return None, f"{text!r} is not accepted; accepted: true or false"
    if p.type == "number":
        try:
            value = float(text)
        except ValueError:
            return None, f"{text!r} is not a number"
        if (p.minimum is not None and value < p.minimum) or (p.maximum is not None and value > p.maximum):
            return None, f"{value:g} is outside {p.minimum:g} to {p.maximum:g}"
        return value, None
    return text, None


def _substitute(value, chosen: dict):
    if isinstance(value, str):
        def put(match):
            key = match.group(1)
            if key not in chosen:
                return match.group(0)
            v = chosen[key]
            return ("true" if v else "false") if isinstance(v, bool) else (f"{v:g}" if isinstance(v, float) else str(v))
        return re.sub(r"\$\{([^}]*)\}", put, value)
    if isinstance(value, dict):
        return {k: _substitute(v, chosen) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, chosen) for v in value]
    return value


# ------------------------------------------------------------------ applying


def apply_reforms(kb, reforms: list[Reform], on: date | None = None):
    """A copy of the knowledge base with every reform in force `on` applied (all when None);
    ReformError with file, line and reason for anything that does not fit. The base is untouched."""
    from .lint import citing, lint

    new = copy.copy(kb)
    for attr in ("visas", "authorizations", "pathways", "policies", "sources", "origin"):
        setattr(new, attr, dict(getattr(kb, attr)))
    problems: list[Problem] = []
    for reform in reforms:
        if on is not None and not reform.applies_on(on):
            continue
        for sid, source in reform.sources.items():
            if sid in new.sources and new.sources[sid] != source:
                problems.append(Problem(reform.path, reform.file.line(("sources", sid)),
                                        f"source {sid!r} is already in the knowledge base; give it another id"))
            new.sources[sid] = source
        for i, change in enumerate(reform.changes):
            (kind, body), = change.items()
            where = (reform.path, reform.file.line(("changes", i)))
            try:
                _APPLY[kind](new, body)
            except _Refused as refused:
                problems.append(Problem(*where, f"changes.{i}.{kind}: {refused}"))
    for reform in reforms:  # every source a reform cites must exist, in the base or the reform itself
        for name, line, source_id in citing({reform.path: reform.file}):
            if source_id not in new.sources:
                problems.append(Problem(name, line, f"cites {source_id!r}, which is neither in the knowledge base "
                                                    f"nor in the reform's `sources`"))
    if not problems:
        problems = [Problem(reforms[0].path if len(reforms) == 1 else "reforms", None, f"after the reform: {p}")
                    for p in lint(new, {}) if p.severity == "error"]
    if problems:
        raise ReformError(problems)
    new.fingerprint = kb.fingerprint + "+" + "+".join(f"{r.id}{sorted(r.values.items())}" for r in reforms)
    return new


class _Refused(Exception):
    pass


def _holder(kb, name: str):
    """The visa, authorization or pathway a change names, with a setter that puts a changed copy back."""
    if name in kb.pathways:
        return kb.pathways[name], lambda item: kb.pathways.__setitem__(name, item)
    if name in kb.visas:
        return kb.visas[name], lambda item: kb.visas.__setitem__(name, item)
    if name in kb.authorizations:
        return kb.authorizations[name], lambda item: kb.authorizations.__setitem__(name, item)
    keys = [k for k, a in kb.authorizations.items() if a.code == name]
    if len(keys) > 1:
        raise _Refused(f"{name!r} is an authorization of several states; name one: {', '.join(sorted(keys))}")
    if keys:
        key = keys[0]
        return kb.authorizations[key], lambda item: kb.authorizations.__setitem__(key, item)
    raise _Refused(f"`in`: no visa, authorization or pathway {name!r}")


def _requirements_of(item) -> list:
    return [r for r in item.requirements if isinstance(r, schema.Requirement)]


def _fields(body: dict, *required: str) -> None:
    missing = [k for k in required if k not in body]
    if missing:
        raise _Refused(f"missing {', '.join(missing)}")


def _replace_requirement(kb, body: dict) -> None:
    _fields(body, "in", "id")
    item, put = _holder(kb, body["in"])
    found = [r for r in _requirements_of(item) if r.id == body["id"]]
    if not found:
        raise _Refused(f"{body['in']!r} has no requirement {body['id']!r} "
                       f"(it has: {', '.join(r.id for r in _requirements_of(item)) or 'none'})")
    update = {k: v for k, v in body.items() if k not in ("in", "id")}
    try:
        changed = schema.Requirement.model_validate({**found[0].model_dump(), **update})
    except ValidationError as error:
        raise _Refused("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())) from None
    put(item.model_copy(update={"requirements": [changed if r is found[0] else r for r in item.requirements]}))


def _remove_requirement(kb, body: dict) -> None:
    _fields(body, "in", "id")
    item, put = _holder(kb, body["in"])
    kept = [r for r in item.requirements if not (isinstance(r, schema.Requirement) and r.id == body["id"])]
    if len(kept) == len(item.requirements):
        raise _Refused(f"{body['in']!r} has no requirement {body['id']!r}")
    put(item.model_copy(update={"requirements": kept}))


def _add_requirement(kb, body: dict) -> None:
    _fields(body, "in", "id", "text", "test")
    item, put = _holder(kb, body["in"])
    if any(r.id == body["id"] for r in _requirements_of(item)):
        raise _Refused(f"{body['in']!r} already has a requirement {body['id']!r}: replace it instead")
    try:
        added = schema.Requirement.model_validate({"cite": [], **{k: v for k, v in body.items() if k != "in"}})
    except ValidationError as error:
        raise _Refused("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())) from None
    put(item.model_copy(update={"requirements": [*item.requirements, added]}))


def _add(kb, body: dict) -> None:
    if len(body) != 1 or next(iter(body)) not in ADDABLE:
        raise _Refused(f"one of {', '.join(ADDABLE)} expected")
    (what, data), = body.items()
    model, attr = ADDABLE[what]
    try:
        item = model.model_validate(data)
    except ValidationError as error:
        raise _Refused("; ".join(f"{what}.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())) from None
    store = getattr(kb, attr)
    if what in ("authorization", "pathway"):
        item = item.model_copy(update={"jurisdiction": item.jurisdiction or DEFAULT_JURISDICTION})
    key = authorization_key(item.jurisdiction, item.code) if what == "authorization" else getattr(item, "id", None) or item.code
    if key in store:
        raise _Refused(f"{what} {key!r} exists already")
    store[key] = item


def _end_event(kb, body: dict) -> None:
    _fields(body, "id", "on")
    event = kb.policies.get(body["id"])
    if event is None:
        raise _Refused(f"no policy event {body['id']!r}")
    try:
        on = body["on"] if isinstance(body["on"], date) else date.fromisoformat(str(body["on"]))
    except ValueError:
        raise _Refused(f"on: {body['on']!r} is not an ISO date") from None
    last = on - timedelta(days=1)  # `ends` is the last day in force
    if event.ends is None or last < event.ends:
        kb.policies[body["id"]] = event.model_copy(update={"ends": max(last, event.starts - timedelta(days=1))})


_APPLY = {"replace_requirement": _replace_requirement, "remove_requirement": _remove_requirement,
          "add_requirement": _add_requirement, "add": _add, "end_event": _end_event}
