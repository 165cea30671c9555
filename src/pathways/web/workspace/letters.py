"""A case's letters: the kinds its pathway needs, the data a letter is made from (the case,
the institution's letterhead and signatories, what the coordinator enters, the clauses they
rewrite), and each letter issued, kept on the case with its file.

The data is the contract's section 7 mapping. Where each field comes from is the kind's own
declaration (`origin` in knowledge/letters/<kind>/fields.yaml): a field of the case, the
letterhead or the contact log is filled in here, a signatory is chosen from the institution's
list, and every other field is asked for in the form. The engine checks the data and names
every missing or wrong field (`LetterDataError`, a ProfileError); this module only says
where on the page each problem belongs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from pathways import KnowledgeError, ProfileError, UnknownPathway
from ..engine import get_engine
from . import letter_render
from .history import record
from .models import Case, IssuedLetter, Letterhead, Signatory

FORMATS = ("pdf", "docx")
log = logging.getLogger(__name__)

# Where a field of the case comes from (origin `case`), and of the institution (origin `institution`).
FROM_CASE = {
    "trainee.name": lambda case: case.trainee_name or None,
    "trainee.home_institution": lambda case: case.home_institution.name if case.home_institution else None,
    "trainee.home_country": lambda case: case.home_country or None,
    "training.start": lambda case: case.starts.isoformat() if case.starts else None,
    "training.end": lambda case: case.ends.isoformat() if case.ends else None,
}
FROM_INSTITUTION = {
    "host.institution": lambda case, head: head.shown_name,
    "host.address": lambda case, head: head.address.strip() or None,
    "threshold_pct": lambda case, head: case.institution.incidental_threshold_pct,
}
# Which signatory a person field of the institution takes first (its name read for these words).
PREFERRED = (("chair", ("chair",)), ("registrar", ("registrar",)), ("director", ("programme-director",)),
             ("dean", ("dean", "deans-designee")))
DEFAULT_ORDER = ("dean", "deans-designee", "registrar", "programme-director", "chair", "other")
OTHER = "other"
FIXED_WHERE = {"case": "the case", "profile": "the case's profile", "contact-log": "the case's contact log",
               "institution": "the letterhead"}


# --- the kinds a case needs -------------------------------------------------------------------


def kinds_for(case: Case) -> list[dict]:
    """The letters the case's pathway needs (engine.letters_for); none for a pathway the knowledge
    base no longer has, or while a letter kind in it is broken (logged: the case page still opens)."""
    try:
        return get_engine().letters_for(case.pathway_id)
    except UnknownPathway:
        return []
    except KnowledgeError as error:
        log.error("letter kinds not read: %s", error)
        return []


def kind_for(case: Case, kind: str) -> dict | None:
    """The kind's description (engine.letters()) if the case's pathway needs it, else None."""
    if kind not in {k["kind"] for k in kinds_for(case)}:
        return None
    return next((k for k in get_engine().letters() if k["kind"] == kind), None)


def letterhead_of(institution) -> Letterhead:
    """The institution's letterhead (an unsaved, empty one until an administrator sets it)."""
    found = Letterhead.objects.filter(institution=institution).first()
    return found or Letterhead(institution=institution)


# --- the fields: where each comes from ------------------------------------------------------


@dataclass
class Spec:
    """A field of the kind and where its value comes from on this page."""

    path: str
    type: str
    label: str
    required: bool
    origin: str
    values: list = field(default_factory=list)
    source: str = "entered"  # case | institution | profile | contact-log | signatory | entered

    @property
    def name(self) -> str:
        """The form's name for the field: f_host__supervisor."""
        return "f_" + self.path.replace(".", "__")


def specs(kind: dict) -> list[Spec]:
    out = []
    for f in kind["fields"]:
        spec = Spec(f["field"], f["type"], f["label"], f["required"], f["origin"], list(f.get("values") or []))
        if spec.type == "profile":
            spec.source = "profile"
        elif spec.type == "contact-weeks":
            spec.source = "contact-log"
        elif spec.path in FROM_CASE:
            spec.source = "case"
        elif spec.path in FROM_INSTITUTION:
            spec.source = "institution"
        elif spec.type == "person" and spec.origin == "institution":
            spec.source = "signatory"
        out.append(spec)
    return out


def contact_weeks(case: Case) -> list[dict] | None:
    weeks = [{"week_of": w.week_of.isoformat(), "patient_contact_hours": float(w.patient_contact_hours),
              "teaching_hours": float(w.teaching_hours), "research_hours": float(w.research_hours),
              "observation_hours": float(w.observation_hours)} for w in case.contact_logs.all()]
    return weeks or None


def automatic(spec: Spec, case: Case, head: Letterhead):
    """The value of a field this page fills in itself (None where the case or letterhead lacks it)."""
    if spec.source == "case":
        return FROM_CASE[spec.path](case)
    if spec.source == "institution":
        return FROM_INSTITUTION[spec.path](case, head)
    if spec.source == "profile":
        return case.profile or None
    if spec.source == "contact-log":
        return contact_weeks(case)
    return None


def default_signatory(spec: Spec, signatories: list[Signatory]) -> Signatory | None:
    words = spec.path.rsplit(".", 1)[-1]
    order = next((wanted for word, wanted in PREFERRED if word in words), DEFAULT_ORDER)
    for signs_as in order:
        for s in signatories:
            if s.signs_as == signs_as:
                return s
    return signatories[0] if signatories else None


# --- the form ---------------------------------------------------------------------------------


def _label(spec: Spec) -> str:
    return spec.label + ("" if spec.required else " (optional)")


def _words(value: str) -> str:
    return value.replace("-", " ").replace("_", " ").capitalize()


class LetterForm(forms.Form):
    """What the coordinator enters or chooses for one kind: every field the page cannot fill
    in, a signatory for each signer of the institution, and the editable clauses' texts.
    Every field is optional here: the engine says what the letter needs."""

    def __init__(self, data=None, *, specs: list[Spec], signatories: list[Signatory], clauses: list[dict],
                 countries: dict[str, str], **kwargs):
        super().__init__(data, **kwargs)
        self.specs, self.clauses = specs, clauses
        for spec in specs:
            if spec.source == "signatory":
                choices = [(str(s.pk), f"{s.name}, {s.title}") for s in signatories]
                self.fields[f"s_{spec.name[2:]}"] = forms.ChoiceField(
                    label="Signatory (from the letterhead)", required=False,
                    choices=choices + [(OTHER, "Someone else: name and title below")])
                self._person(spec, "Name (someone else)", "Title (someone else)")
            elif spec.source != "entered":
                continue
            elif spec.type == "person":
                self._person(spec, "Name", "Title")
            elif spec.type == "paragraph":
                self.fields[spec.name] = forms.CharField(label=_label(spec), required=False, strip=True,
                                                         widget=forms.Textarea(attrs={"rows": 4}))
            elif spec.type == "date":
                self.fields[spec.name] = forms.CharField(label=_label(spec), required=False,
                                                         widget=forms.DateInput(attrs={"type": "date"}))
            elif spec.type in ("number", "money"):
                attrs = {"inputmode": "decimal", "step": "any"}
                if spec.type == "money":
                    attrs["min"] = "0"
                self.fields[spec.name] = forms.CharField(label=_label(spec), required=False,
                                                         widget=forms.NumberInput(attrs=attrs))
            elif spec.type == "bool":
                self.fields[spec.name] = forms.ChoiceField(label=_label(spec), required=False,
                                                           choices=[("", "(not given)"), ("yes", "Yes"), ("no", "No")])
            elif spec.type == "choice":
                self.fields[spec.name] = forms.ChoiceField(
                    label=_label(spec), required=False,
                    choices=[("", "(choose)")] + [(v, _words(v)) for v in spec.values])
            elif spec.type == "country":
                self.fields[spec.name] = forms.ChoiceField(
                    label=_label(spec), required=False,
                    choices=[("", "(choose)")] + sorted(((c, f"{n} ({c})") for c, n in countries.items()),
                                                        key=lambda x: x[1]))
            else:  # text, and any type a page cannot offer better
                self.fields[spec.name] = forms.CharField(label=_label(spec), required=False, strip=True,
                                                         max_length=4000)
        for clause in clauses:
            self.fields[f"e_{clause['id']}"] = forms.CharField(
                label=clause["heading"], required=False, strip=True, widget=forms.Textarea(attrs={"rows": 5}))
            self.fields[f"o_{clause['id']}"] = forms.CharField(required=False, strip=True, widget=forms.HiddenInput)

    def _person(self, spec: Spec, name: str, title: str) -> None:
        self.fields[f"{spec.name}__name"] = forms.CharField(label=name, required=False, strip=True, max_length=200)
        self.fields[f"{spec.name}__title"] = forms.CharField(label=title, required=False, strip=True, max_length=200)

    def rows(self):
        """(spec, its bound fields) for each field asked or chosen, in the kind's order."""
        for spec in self.specs:
            names = [n for n in (f"s_{spec.name[2:]}", spec.name, f"{spec.name}__name", f"{spec.name}__title")
                     if n in self.fields]
            if names:
                yield spec, [self[n] for n in names]

    def clause_rows(self):
        for clause in self.clauses:
            yield clause, self[f"e_{clause['id']}"], self[f"o_{clause['id']}"]


# --- values (what the form holds) to data and back --------------------------------------------


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text  # the engine says what it expected


def _entered(spec: Spec, values: dict):
    if spec.type == "person":
        person = {k: values.get(f"{spec.name}__{k}", "").strip() for k in ("name", "title")}
        return {k: v for k, v in person.items() if v} or None
    text = (values.get(spec.name) or "").strip()
    if not text:
        return None
    if spec.type in ("number", "money"):
        return _number(text)
    if spec.type == "bool":
        return {"yes": True, "no": False}.get(text, text)
    return text


def _set(out: dict, path: str, value) -> None:
    parts = path.split(".")
    cur = out
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value


def _get(data: dict, path: str):
    cur = data
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _same(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def to_data(case: Case, head: Letterhead, specs: list[Spec], signatories: list[Signatory], values: dict,
            clauses: list[str]) -> tuple[dict, dict]:
    """The letter's data (without its edits) and its edits, from the case, the letterhead and
    the form's values."""
    by_pk = {str(s.pk): s for s in signatories}
    data: dict = {"pathway": case.pathway_id}
    for spec in specs:
        if spec.source == "signatory":
            chosen = by_pk.get(values.get(f"s_{spec.name[2:]}") or "")
            value = {"name": chosen.name, "title": chosen.title} if chosen else _entered(spec, values)
        elif spec.source == "entered":
            value = _entered(spec, values)
        else:
            value = automatic(spec, case, head)
        if value is not None:
            _set(data, spec.path, value)
    edits = {}
    for clause in clauses:
        text = (values.get(f"e_{clause}") or "").strip()
        if text and not _same(text, values.get(f"o_{clause}") or ""):
            edits[clause] = text
    return data, edits


def initial_values(specs: list[Spec], signatories: list[Signatory], last: IssuedLetter | None) -> dict:
    """The form's first values: the last letter of this kind issued on the case, else a
    signatory chosen for each signer."""
    values: dict = {}
    data = last.data if last else {}
    for spec in specs:
        given = _get(data, spec.path)
        if spec.source == "signatory":
            match = next((s for s in signatories if isinstance(given, dict)
                          and (s.name, s.title) == (given.get("name"), given.get("title"))), None)
            if match is None and isinstance(given, dict):
                values[f"s_{spec.name[2:]}"] = OTHER
                values.update({f"{spec.name}__{k}": given.get(k, "") for k in ("name", "title")})
            else:
                chosen = match or default_signatory(spec, signatories)
                values[f"s_{spec.name[2:]}"] = str(chosen.pk) if chosen else OTHER
        elif spec.source == "entered" and given is not None:
            if spec.type == "person" and isinstance(given, dict):
                values.update({f"{spec.name}__{k}": given.get(k, "") for k in ("name", "title")})
            elif spec.type == "bool":
                values[spec.name] = "yes" if given is True else "no" if given is False else ""
            else:
                values[spec.name] = str(given)
    for clause, text in ((last.edits if last else {}) or {}).items():
        values[f"e_{clause}"] = text
    return values


def with_clause_texts(values: dict, letter, edits: dict) -> dict:
    """The values with each editable clause's text as the letter now has it (what was typed, for
    a clause rewritten), and the text the template gave it (to tell an edit from a clause left
    as written)."""
    out = dict(values)
    for block in letter.blocks:
        if block.editable:
            out[f"o_{block.id}"] = block.source
            if block.id not in edits:
                out[f"e_{block.id}"] = block.source
    return out


# --- problems, placed on the page -------------------------------------------------------------


@dataclass
class Problem:
    field: str
    label: str
    message: str
    source: str  # where it is fixed: entered | signatory | case | institution | profile | contact-log | edits | letter
    anchor: str = ""

    @property
    def where(self) -> str:
        """Where a field the page fills in itself is set ("" for one typed on the page)."""
        return FIXED_WHERE.get(self.source, "")


def _message(text: str) -> str:
    """An engine message read on the page: "missing: the label" is "needed for this letter"."""
    return "needed for this letter" if text.startswith("missing:") else text


def place(problems, specs: list[Spec], clauses: dict[str, str]) -> list[Problem]:
    """Each FieldProblem with the field's label and where on the page it is fixed."""
    out = []
    for p in problems:
        spec = next((s for s in specs if p.field == s.path or p.field.startswith(s.path + ".")), None)
        if p.field.startswith("edits."):
            clause = p.field.split(".", 1)[1]
            out.append(Problem(p.field, clauses.get(clause, clause), p.message, "edits", f"id_e_{clause}"))
        elif spec is None:
            out.append(Problem(p.field, p.field, p.message, "letter"))
        else:
            if spec.source == "signatory":
                anchor = f"id_s_{spec.name[2:]}"
            elif spec.source == "entered":
                anchor = f"id_{spec.name}__name" if spec.type == "person" else f"id_{spec.name}"
            else:
                anchor = ""
            detail = p.field[len(spec.path) + 1:] if p.field != spec.path else ""
            message = _message(p.message) if not detail else f"{detail}: {p.message}"
            if spec.type == "person" and p.message.startswith("missing its "):  # "missing its name and title (text)..."
                parts = p.message[len("missing its "):].split(" (")[0]
                message = f"the {parts} {'are' if ' and ' in parts else 'is'} needed"
                if parts == "title" and anchor.endswith("__name"):
                    anchor = anchor[:-len("__name")] + "__title"
            out.append(Problem(p.field, spec.label, message, spec.source, anchor))
    return out


def attach(form: LetterForm, problems: list[Problem]) -> None:
    """The problems of fields on the form shown next to them."""
    for p in problems:
        name = p.anchor[3:] if p.anchor.startswith("id_") else ""
        if name in form.fields:
            form.add_error(name, p.message)


# --- composing and issuing --------------------------------------------------------------------


@dataclass
class Prepared:
    """A letter as the preview page shows it: the form, and the letter or its problems."""

    kind: dict
    form: LetterForm
    data: dict
    edits: dict
    letter: object | None
    problems: list[Problem]
    clauses_ready: bool = False  # the editable clauses' texts are known (the letter, or it but for an edit)


def prepare(case: Case, kind: dict, posted: dict | None, *, day: date | None = None) -> Prepared:
    """The form and the letter for `kind` on `case`: from the posted values, or at first from
    the last letter of this kind issued on the case."""
    engine = get_engine()
    head = letterhead_of(case.institution)
    signatories = list(Signatory.objects.filter(institution=case.institution))
    kind_specs = specs(kind)
    clause_ids = list(kind["editable_clauses"])
    if posted is None:
        last = IssuedLetter.objects.filter(case=case, kind=kind["kind"]).first()
        values = initial_values(kind_specs, signatories, last)
    else:
        values = {k: posted.get(k, "") for k in posted}
    data, edits = to_data(case, head, kind_specs, signatories, values, clause_ids)
    on = day or date.today()
    letter, problems = None, []
    try:
        letter = engine.letter(kind["kind"], {**data, "edits": edits} if edits else data, on=on)
    except ProfileError as error:  # LetterDataError: every missing or wrong field, named
        problems = list(error.problems)
    written = letter  # the letter whose clauses the form offers to rewrite
    if letter is None and edits and all(p.field.startswith("edits.") for p in problems):
        try:  # only a rewritten clause is wrong: the boxes stay, with what was typed and its problem
            written = engine.letter(kind["kind"], data, on=on)
        except ProfileError:
            written = None
    headings = {}
    if written is not None:
        values = with_clause_texts(values, written, edits)
        headings = {b.id: b.heading for b in written.blocks if b.editable}
        shown = {b.id for b in written.blocks}  # a clause the letter leaves out (its condition unmet) is not offered
        clause_ids = [c for c in clause_ids if c in shown]
    clauses = [{"id": c, "heading": headings.get(c) or _words(c)} for c in clause_ids]
    form = LetterForm(values, specs=kind_specs, signatories=signatories, clauses=clauses,
                      countries=engine.country_names())
    form.is_valid()
    placed = place(problems, kind_specs, {c["id"]: c["heading"] for c in clauses})
    if posted is not None:
        attach(form, placed)
    return Prepared(kind, form, data, edits, letter, placed, written is not None)


def filename(case: Case, letter, fmt: str) -> str:
    who = slugify(case.trainee_name)[:60] or f"case-{case.pk}"
    refusal = "-refusal" if letter.refused else ""
    return f"{letter.kind}{refusal}-{who}-{letter.date.isoformat()}.{fmt}"


@transaction.atomic
def issue(case: Case, user, prepared: Prepared, fmt: str) -> tuple[IssuedLetter, bytes, str]:
    """Render the letter in `fmt`, keep it on the case with its data and edits, and record it
    in the history; the record, the file's bytes and its name."""
    letter = prepared.letter
    content = letter_render.render(letter, fmt)
    name = filename(case, letter, fmt)
    issued = IssuedLetter(case=case, kind=letter.kind, name=letter.name, template_version=letter.version,
                          knowledge_version=letter.knowledge, format=fmt, refused=letter.refused,
                          data=prepared.data, edits=dict(letter.edits), issued_by=user)
    issued.clean()  # before the file is written: no identity number in the data or the edits
    issued.file.save(name, ContentFile(content), save=False)
    issued.save()
    record(user, issued, "created", None)
    return issued, content, name


def issued_name(issued: IssuedLetter) -> str:
    """The file's name as downloaded (the storage's suffix for a name taken left out)."""
    stored = issued.file.name.rsplit("/", 1)[-1]
    return re.sub(r"_[A-Za-z0-9]{7}(\.(?:pdf|docx))$", r"\1", stored)
