"""Letter kinds: the documents the pathways need (docs/contract.md section 7), as data.

Each kind is a folder of `knowledge/letters/`: `letter.yaml` (what it is, its version, which
pathways need it and at which step), `fields.yaml` (each field of the letter's data: type,
required or not, where the workspace takes it from) and `template.yaml` (subject, addressee,
the clauses in order, each with the rule that requires it, the signers, and when the document
refuses to certify). Clause texts are Jinja2 templates over the fields, rendered in a sandbox;
`lint_letters` checks that every name a template reads is a declared field, every citation
resolves and every pathway, visa, authorization and step named exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from . import schema
from .yamlfile import Problem, YamlFile, read_yaml

LETTERS_FOLDER = "letters"
FILES = ("letter.yaml", "fields.yaml", "template.yaml")

FieldPath = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
FieldType = Literal["text", "paragraph", "date", "number", "money", "country", "person", "bool",
                    "choice", "contact-weeks", "profile"]
# Where the workspace takes a field from: the case, the institution's letterhead, the case's
# profile, the incidental-contact log, or what the coordinator types in the letter's form.
FieldOrigin = Literal["case", "institution", "profile", "contact-log", "entered"]
# Names every template may read besides its fields (documents/compose.py provides them).
PROVIDED = frozenset({"letter", "pathway", "visa", "authorization", "countries"})
PERSON_PARTS = ("name", "title")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    type: FieldType
    label: str  # what it is, as the form asks it
    required: bool = True
    origin: FieldOrigin = "entered"
    values: list[str] = []  # for choice
    minimum: float | None = None  # for number and money
    cite: list[schema.Slug] = []  # the rule that asks for this field, where one does


class Clause(_Strict):
    id: schema.Slug
    text: str  # a Jinja2 template over the fields; a blank line starts a paragraph, "- " a list item
    cite: schema.SourceIds  # the rule that requires the clause
    heading: str | None = None
    editable: bool = False  # free text a coordinator may rewrite in the preview
    when: str | None = None  # a Jinja2 expression: the clause is left out where it is false
    attests: bool = False  # a statement the signers certify: left out when the document refuses


class Signer(_Strict):
    field: FieldPath  # a field of type person
    role: str  # as the signature block names it
    cite: schema.SourceIds


class Refusal(_Strict):
    """The document refuses to certify when `when` is true: the clauses that attest and the
    signature blocks are left out, and `text` says why and what to do."""

    id: schema.Slug
    when: str
    text: str
    cite: schema.SourceIds


class NeededBy(_Strict):
    """The pathways that need this letter: those named in `pathways`, and those that match
    every other list given (a B-1 or Visa Waiver visa *and* the foreign student's elective
    route). `steps` are the plan's steps the letter serves."""

    pathways: list[schema.Slug] = []
    visas: list[schema.Slug] = []
    authorizations: list[schema.Slug] = []  # codes, in any jurisdiction that has them
    routes: list[schema.Slug] = []  # routes of authorization `none` (elective, observership...)
    patient_contact: list[schema.ContactLevel] = []
    steps: list[schema.Slug] = []


class LetterFile(_Strict):
    id: schema.Slug
    name: str
    document: Literal["letter", "certification", "agreement", "attestation"]
    summary: schema.Fact
    version: int = Field(ge=1)  # raised whenever a clause's meaning changes; kept on every issued letter
    changed: date  # the day of this version
    needed_by: NeededBy


class TemplateFile(_Strict):
    subject: str
    addressee: list[str] = []  # lines, each a template
    salutation: str | None = None
    clauses: Annotated[list[Clause], Field(min_length=1)]
    signers: list[Signer] = []
    refuse: list[Refusal] = []


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter, its three files read and checked."""

    id: str
    about: LetterFile
    fields: dict[str, FieldSpec]
    template: TemplateFile
    folder: str  # relative to the knowledge root, for messages

    @property
    def name(self) -> str:
        return self.about.name

    @property
    def version(self) -> int:
        return self.about.version

    def citations(self) -> list[str]:
        """Every source id the letter rests on, in the order first cited."""
        ids: list[str] = []
        t = self.template
        for group in ([c.cite for c in t.clauses], [s.cite for s in t.signers], [r.cite for r in t.refuse],
                      [f.cite for f in self.fields.values()]):
            for cite in group:
                ids.extend(c for c in cite if c not in ids)
        return ids

    def needed_by(self, pathway) -> bool:
        n = self.about.needed_by
        if pathway.id in n.pathways:
            return True
        tests = [(n.visas, pathway.visa), (n.authorizations, pathway.authorization), (n.routes, pathway.route),
                 (n.patient_contact, pathway.patient_contact)]
        return any(wanted for wanted, _ in tests) and all(not wanted or value in wanted for wanted, value in tests)


def letter_folders(root: Path) -> list[Path]:
    folder = root / LETTERS_FOLDER
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def _validated(file: YamlFile, model) -> tuple[object | None, list[Problem]]:
    try:
        return TypeAdapter(model).validate_python(file.data), []
    except ValidationError as error:
        return None, [Problem(file.name, file.line(tuple(e["loc"])), f"{'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}")
                      for e in error.errors()]


def read_letter(folder: Path, root: Path) -> tuple[LetterKind | None, list[Problem]]:
    """One letter folder, or the problems (file, line, reason) that stop it loading."""
    parts, problems, files = {}, [], {}
    for name, model in zip(FILES, (LetterFile, dict[FieldPath, FieldSpec], TemplateFile)):
        path = folder / name
        label = str(path.relative_to(root))
        if not path.exists():
            problems.append(Problem(label, None, f"missing: a letter folder holds {', '.join(FILES)}"))
            continue
        file, read_problems = read_yaml(path, label)
        problems += read_problems
        if file is None:
            continue
        files[name] = file
        parts[name], more = _validated(file, model)
        problems += more
    extra = sorted(p.name for p in folder.iterdir() if p.name not in FILES and not p.name.startswith("."))
    problems += [Problem(str((folder / n).relative_to(root)), None, f"not a letter file: a letter folder holds {', '.join(FILES)}")
                 for n in extra]
    if problems or len(parts) < 3:
        return None, problems
    about = parts["letter.yaml"]
    if about.id != folder.name:
        return None, [Problem(files["letter.yaml"].name, files["letter.yaml"].line(("id",)),
                              f"id must be {folder.name!r}, the folder's name")]
    kind = LetterKind(about.id, about, parts["fields.yaml"], parts["template.yaml"], str(folder.relative_to(root)))
    return kind, []


def read_letters(root: Path) -> tuple[dict[str, LetterKind], list[Problem]]:
    kinds, problems = {}, []
    for folder in letter_folders(root):
        kind, found = read_letter(folder, root)
        problems += found
        if kind is not None:
            kinds[kind.id] = kind
    return kinds, problems


def letter_files(root: Path) -> dict[str, YamlFile]:
    """The letters' YAML files by name, for the citation lints and staleness checks."""
    out = {}
    for folder in letter_folders(root):
        for name in FILES:
            path = folder / name
            if path.exists():
                file, _ = read_yaml(path, str(path.relative_to(root)))
                if file is not None:
                    out[file.name] = file
    return out


__all__ = ["LetterKind", "FieldSpec", "Clause", "Signer", "Refusal", "read_letters", "read_letter",
           "letter_files", "LETTERS_FOLDER", "PROVIDED"]
