"""A letter composed from its kind and its data: the texts rendered once, as blocks that the
HTML, PDF and DOCX renderers only lay out (one letter, many faces).

A clause marked `editable` may be rewritten by whoever issues the letter (`edits`): the new
text is inserted as text, never rendered as a template, and checked for identity numbers.
Where a refusal of the kind holds (an attestation whose threshold was crossed), the clauses
that attest and the signature blocks are left out and the refusal says why and what to do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ..rules.identity import problem as identity_problem
from ..rules.letter import LetterKind
from ..rules.letter_template import holds, long_date, render
from ..rules.problems import FieldProblem
from .data import EXTRA_KEYS, MAX_TEXT, LetterDataError, check_data


@dataclass(frozen=True)
class Paragraph:
    text: str = ""
    items: tuple[str, ...] = ()  # a bulleted list, where `text` is empty


@dataclass(frozen=True)
class Block:
    id: str
    heading: str | None
    paragraphs: tuple[Paragraph, ...]
    editable: bool
    edited: bool
    source: str  # the clause's text as it stands before any edit, for the preview's form
    cite: tuple[str, ...]  # the labels of the rules that require the clause


@dataclass(frozen=True)
class Signature:
    role: str
    name: str
    title: str


@dataclass(frozen=True)
class Letter:
    kind: str
    name: str
    document: str
    version: int
    knowledge: str
    date: date
    letterhead: tuple[str, ...]
    addressee: tuple[str, ...]
    subject: str
    salutation: str | None
    blocks: tuple[Block, ...]
    signatures: tuple[Signature, ...]
    refusals: tuple[str, ...]
    references: tuple[dict, ...]
    trainee: str
    pathway: str | None = None
    edits: dict = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def text(self) -> str:
        """Every word of the letter as plain text (what a reader of the file finds in it)."""
        lines = list(self.letterhead) + [long_date(self.date)] + list(self.addressee) + [self.subject]
        for block in self.blocks:
            lines += [block.heading or ""] + [p.text or "\n".join(p.items) for p in block.paragraphs]
        lines += list(self.refusals) + [f"{s.role}: {s.name}, {s.title}" for s in self.signatures]
        lines += [f"{r['label']}: {r['title']}" for r in self.references]
        return "\n".join(line for line in lines if line)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["date"] = self.date.isoformat()
        out["refused"] = self.refused
        return out


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Blank lines part paragraphs; a run of lines that begin "- " is a bulleted list."""
    out = []
    for chunk in (c.strip() for c in text.replace("\r\n", "\n").split("\n\n")):
        if not chunk:
            continue
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if all(line.startswith("- ") for line in lines):
            out.append(Paragraph(items=tuple(line[2:].strip() for line in lines)))
        else:
            out.append(Paragraph(text=" ".join(lines)))
    return tuple(out)


def _edits(kind: LetterKind, edits: Any) -> dict[str, str]:
    if edits in (None, {}):
        return {}
    if not isinstance(edits, dict):
        raise LetterDataError([FieldProblem("edits", "expected a mapping of clause id to its new text")])
    editable = [c.id for c in kind.template.clauses if c.editable]
    problems, out = [], {}
    for clause_id, text in edits.items():
        where = f"edits.{clause_id}"
        if clause_id not in editable:
            problems.append(FieldProblem(where, f"not an editable clause of {kind.id}; editable: {', '.join(editable) or 'none'}"))
        elif not isinstance(text, str) or not text.strip():
            problems.append(FieldProblem(where, "expected the clause's new text; to keep the clause as written, leave it out"))
        elif len(text) > MAX_TEXT:
            problems.append(FieldProblem(where, f"expected at most {MAX_TEXT} characters, got {len(text)}"))
        elif identity_problem(text):
            problems.append(FieldProblem(where, "a letter never holds an SSN, ITIN or passport number: remove it"))
        else:
            out[clause_id] = text.strip()
    if problems:
        raise LetterDataError(problems)
    return out


def compose(kind: LetterKind, data: Any, *, on: date, knowledge: str, countries: dict[str, str],
            check_profile, pathway: dict | None = None, sources: dict | None = None) -> Letter:
    """The letter, or LetterDataError naming every field that is missing or wrong."""
    checked = check_data(kind, data, frozenset(countries), check_profile)
    edits = _edits(kind, data.get("edits"))
    context = dict(checked, countries=countries, pathway=pathway,
                   visa=(pathway or {}).get("visa_detail"), authorization=(pathway or {}).get("authorization_detail"),
                   letter={"date": on, "kind": kind.id, "version": kind.version, "name": kind.name})
    t = kind.template
    refusals = tuple(render(r.text, context) for r in t.refuse if holds(r.when, context))
    labels = {sid: s.label for sid, s in (sources or {}).items()}
    blocks = []
    for clause in t.clauses:
        if (clause.when and not holds(clause.when, context)) or (refusals and clause.attests):
            continue
        written = render(clause.text, context)
        text = edits.get(clause.id, written)
        blocks.append(Block(clause.id, render(clause.heading, context) if clause.heading else None, paragraphs(text),
                            clause.editable, clause.id in edits, written, tuple(labels.get(c, c) for c in clause.cite)))
    signatures = () if refusals else tuple(
        Signature(s.role, *(checked_value(checked, s.field)[k] for k in ("name", "title"))) for s in t.signers
        if checked_value(checked, s.field))
    references = tuple({"id": sid, "label": sources[sid].label, "title": sources[sid].title, "address": sources[sid].address}
                       for sid in kind.citations() if sources and sid in sources)
    host = checked.get("host") or {}
    letterhead = tuple(x for x in [host.get("institution"), host.get("department"), *(host.get("address") or "").split("\n")] if x)
    return Letter(kind.id, kind.name, kind.about.document, kind.version, knowledge, on, letterhead,
                  tuple(x for x in (render(line, context) for line in t.addressee) if x), render(t.subject, context),
                  render(t.salutation, context) if t.salutation else None, tuple(blocks), signatures, refusals,
                  references, (checked.get("trainee") or {}).get("name") or "", (pathway or {}).get("id"), edits)


def checked_value(checked: dict, path: str):
    cur: Any = checked
    for part in path.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    return cur


__all__ = ["Letter", "Block", "Paragraph", "Signature", "compose", "paragraphs", "EXTRA_KEYS"]
