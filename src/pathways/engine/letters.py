"""The letters the pathways need, as the engine serves them: the kinds and their fields, the
kinds a pathway needs (and at which step), and a letter composed from its data. Engine's
letter methods call these; the CLI, the API and the workspace call the Engine."""

from __future__ import annotations

from datetime import date
from typing import Any


class UnknownLetterKind(KeyError):
    def __init__(self, kind: str, known: list[str]):
        super().__init__(kind)
        self.kind, self.known = kind, known

    def __str__(self) -> str:
        return f"no letter kind {self.kind!r}; accepted: {', '.join(self.known)}"


def read_kinds(root) -> dict:
    """The letter kinds of the knowledge base at `root`, or KnowledgeError with every problem."""
    from ..rules.letter import read_letters
    from ..rules.loader import KnowledgeError

    kinds, problems = read_letters(root)
    if problems:
        raise KnowledgeError(problems)
    return kinds


def _pathways_needing(kb, kind) -> list[str]:
    return sorted(p.id for p in kb.pathways.values() if kind.needed_by(p))


def describe(kb, kind) -> dict:
    """A kind as `pathways letter --list --json` shows it: its fields, who needs it, its rules."""
    return {
        "kind": kind.id, "name": kind.name, "document": kind.about.document, "version": kind.version,
        "changed": kind.about.changed.isoformat(), "summary": kind.about.summary.text,
        "fields": [{"field": path, "type": spec.type, "label": spec.label, "required": spec.required,
                    "origin": spec.origin, **({"values": spec.values} if spec.values else {})}
                   for path, spec in kind.fields.items()],
        "required": [path for path, spec in kind.fields.items() if spec.required],
        "editable_clauses": [c.id for c in kind.template.clauses if c.editable],
        "signers": [{"field": s.field, "role": s.role} for s in kind.template.signers],
        "pathways": _pathways_needing(kb, kind),
        "steps": list(kind.about.needed_by.steps),
        "citations": [{"id": sid, "label": kb.sources[sid].label} for sid in kind.citations() if sid in kb.sources],
    }


def needed(kb, kinds: dict, pathway_id: str) -> list[dict]:
    """The kinds a pathway needs, each with the steps of its plan that the letter serves."""
    from ..rules.assembly import steps_for

    pathway = kb.pathways[pathway_id]
    steps = {s.id for s in steps_for(kb, pathway, kb.policies.values())[0]}
    return [{"kind": k.id, "name": k.name, "document": k.about.document, "version": k.version,
             "steps": [s for s in k.about.needed_by.steps if s in steps]}
            for k in kinds.values() if k.needed_by(pathway)]


def pathway_context(kb, pathway_id: str | None, kind) -> dict | None:
    """What the templates read of the pathway a letter is for; FieldProblem `pathway` where the
    pathway does not exist or does not need this kind of letter."""
    from ..rules.problems import FieldProblem
    from ..documents.data import LetterDataError

    if pathway_id is None:
        return None
    pathway = kb.pathways.get(pathway_id) if isinstance(pathway_id, str) else None
    if pathway is None:
        raise LetterDataError([FieldProblem("pathway", f"no pathway {pathway_id!r}; see `pathways list pathways`")])
    if not kind.needed_by(pathway):
        wanted = ", ".join(_pathways_needing(kb, kind))
        raise LetterDataError([FieldProblem("pathway", f"the {kind.id} letter is not for pathway {pathway_id!r}; it is for {wanted}")])
    visa = kb.visas.get(pathway.visa)
    authorization = kb.authorization_of(pathway)
    return {"id": pathway.id, "name": pathway.name, "visa": pathway.visa, "authorization": pathway.authorization,
            "patient_contact": pathway.patient_contact, "jurisdiction": pathway.jurisdiction,
            "visa_detail": {"code": pathway.visa, "name": visa.name if visa else pathway.visa},
            "authorization_detail": {"code": pathway.authorization,
                                     "name": authorization.name if authorization else pathway.authorization}}


def profile_for_templates(engine, data: Any) -> dict:
    """A checked profile as templates read it: every fact present (None when unknown), the
    host's offers under `host`."""
    profile = engine.check(data)
    out: dict = {"host": {}}
    for name in engine.kb.facts:
        value = profile.get(name)
        if isinstance(value, frozenset):
            value = sorted(value)
        if name.startswith("host."):
            out["host"][name[5:]] = value
        else:
            out[name] = value
    return out


def compose_letter(engine, kinds: dict, kind_id: str, data: Any, on: date | None = None):
    from ..documents.compose import compose
    from ..documents.data import LetterDataError
    from ..rules.problems import FieldProblem

    kind = kinds.get(kind_id)
    if kind is None:
        raise UnknownLetterKind(kind_id, sorted(kinds))
    if not isinstance(data, dict):
        raise LetterDataError([FieldProblem("(data)", "expected a mapping of the letter's fields (docs/contract.md section 7)")])
    day = on or _letter_date(data) or date.today()
    pathway = pathway_context(engine.kb, data.get("pathway"), kind)
    return compose(kind, data, on=day, knowledge=engine.version, countries=engine.country_names(),
                   check_profile=lambda value: profile_for_templates(engine, value), pathway=pathway,
                   sources=engine.kb.sources)


def _letter_date(data: dict) -> date | None:
    from ..documents.data import BadValue, LetterDataError, as_date
    from ..rules.problems import FieldProblem

    if data.get("date") is None:
        return None
    try:
        return as_date(data["date"])
    except BadValue as bad:
        raise LetterDataError([FieldProblem("date", str(bad))]) from None
