"""Who changed what, when: a before-and-after record of every case, agreement and log."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.forms.models import model_to_dict

from . import sensitive
from .models import Case, HistoryEntry


def _scrubbed(value):
    """Strings with any identity number masked (sensitive.py refuses them on the way in; this
    keeps one written before that check out of the history's copies)."""
    if isinstance(value, str):
        return sensitive.redact(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def snapshot(obj) -> dict:
    """A record's fields as JSON-ready values."""
    data = model_to_dict(obj)
    return {k: _scrubbed(v.isoformat() if hasattr(v, "isoformat") else str(v) if v is not None and not isinstance(v, (int, float, str, bool, list, dict)) else v)
            for k, v in data.items()}


def institution_of(obj):
    """The institution a record belongs to: its own, or that of the case, partner or
    agreement it is part of."""
    found = getattr(obj, "institution", None)
    if found is not None:
        return found
    owner = next(getattr(obj, name) for name in ("case", "partner", "agreement") if hasattr(obj, name))
    return institution_of(owner)


def case_of(obj) -> int | None:
    """The case a record is about (HistoryEntry.case_ref): a case's own number, or the case of a
    step, week, note, document or letter; None for the institution's other records."""
    return obj.pk if isinstance(obj, Case) else getattr(obj, "case_id", None)


def record(user, obj, action: str, before: dict | None) -> HistoryEntry:
    """Record a change; `before` is the snapshot taken before it (None when created)."""
    after = None if action == "deleted" else snapshot(obj)
    return HistoryEntry.objects.create(
        institution=institution_of(obj), model=type(obj).__name__, object_id=obj.pk, case_ref=case_of(obj),
        user=user if getattr(user, "is_authenticated", False) else None, action=action, before=before, after=after)


def entries_for(obj):
    return HistoryEntry.objects.filter(model=type(obj).__name__, object_id=obj.pk, institution=institution_of(obj))


def changed_fields(entry: HistoryEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field an entry changed. A change recorded with part of
    the record before it (a re-evaluation keeps only the verdict before) compares that part."""
    before, after = entry.before or {}, entry.after or {}
    names = list(before) if before and after else list(dict.fromkeys(list(before) + list(after)))
    return [(k, before.get(k), after.get(k)) for k in names if k != "updated" and before.get(k) != after.get(k)]


# --- the history in words -----------------------------------------------------------------

LABELS = {  # field names as the pages' forms call them
    "trainee_name": "trainee's name", "trainee_email": "trainee's email", "home_institution": "home institution",
    "home_country": "home country", "pathway_id": "pathway", "evaluated_on": "evaluated on",
    "starts": "training starts", "ends": "training ends", "change": "what moved", "week_of": "week of",
    "patient_contact_hours": "patient contact (hours)", "teaching_hours": "teaching (hours)",
    "research_hours": "research (hours)", "observation_hours": "observation (hours)",
    "places_per_year": "places a year", "income_group": "income group", "income_group_year": "income group year",
    "trainee_weeks": "trainee-weeks", "usd": "US dollars", "heads": "trainees",
}
HOURS_FIELDS = ("patient_contact_hours", "teaching_hours", "research_hours", "observation_hours")
NOUNS = {"Case": "the case", "ChecklistItem": "a checklist step", "ContactLog": "a week of the contact log",
         "Note": "a note", "Document": "a document", "Agreement": "the agreement", "Partner": "the partner",
         "Exchange": "an exchange", "IssuedLetter": "a letter", "Letterhead": "the letterhead",
         "Signatory": "a signatory"}
STEP_WORDS = {"done": "ticked {}", "n/a": "marked {} as not needed", "todo": "reopened {}"}


@dataclass
class Shown:
    """A history entry as a page shows it: who, when, a sentence, and the fields it changed."""

    entry: HistoryEntry
    sentence: str
    details: list[tuple[str, str, str]]


def _value(name: str, value, partners: dict) -> str:
    from .templatetags.workspace_format import money, number

    if value is None or value == "":
        return "(none)"
    if name in ("home_institution", "partner") and isinstance(value, int):
        return partners.get(value, f"partner {value}")
    if name in HOURS_FIELDS or name in ("trainee_weeks", "heads"):
        return number(value)
    if name == "usd":
        return money(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _flat(data, prefix: str = "") -> dict:
    """A profile's facts with dotted names: {"host": {"x": 1}} is {"host.x": 1}."""
    if not isinstance(data, dict):
        return {prefix.rstrip("."): data} if prefix else {}
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _details(entry: HistoryEntry, partners: dict) -> list[tuple[str, str, str]]:
    out = []
    for name, before, after in changed_fields(entry):
        if name in ("verdict", "knowledge_key"):
            continue  # a re-evaluation's sentence says what moved
        if name == "profile":
            b, a = _flat(before or {}), _flat(after or {})
            out += [(f"profile: {k}", _value(k, b.get(k), partners), _value(k, a.get(k), partners))
                    for k in dict.fromkeys(list(b) + list(a)) if b.get(k) != a.get(k)]
            continue
        out.append((LABELS.get(name, name.replace("_", " ")), _value(name, before, partners),
                    _value(name, after, partners)))
    return out


def _quoted(text) -> str:
    text = " ".join(str(text).split())
    return f"'{text[:79]}…'" if len(text) > 80 else f"'{text}'"


def sentence(entry: HistoryEntry) -> str:
    """What the entry's user did, in words: "ticked 'Apply for the J-1 visa'", "logged the week
    of 2027-07-05", "changed the profile". An erased trainee's entries keep only the kind."""
    model, action = entry.model, entry.action
    before, after = entry.before or {}, entry.after or {}
    data = after or before
    names = {name for name, _, _ in changed_fields(entry)}
    if action == "erased":
        return "erased the trainee's records"
    if model == "ChecklistItem" and action == "changed":
        if not data:
            return "changed a checklist step"
        words = STEP_WORDS.get(after.get("status"), "changed {}")
        return words.format(_quoted(data["text"]) if data.get("text") else "a checklist step")
    if model == "ContactLog" and data.get("week_of"):
        week = data["week_of"]
        if action == "created":
            return f"logged the week of {week}"
        if action == "deleted":
            return f"deleted the week of {week} from the contact log"
        if before.get("week_of") and before["week_of"] != after.get("week_of"):
            return f"moved the logged week of {before['week_of']} to the week of {after.get('week_of')}"
        return f"corrected the week of {week}"
    if model == "Case":
        if action == "created":
            return "opened the case"
        if set(before) == {"verdict"}:
            moved = after.get("change")
            return f"re-evaluated the case with a new knowledge base: {moved}" if moved else \
                "re-evaluated the case with a new knowledge base"
        if names == {"change"} and not after.get("change"):
            return "marked what moved at the re-evaluation as seen"
        others = [LABELS.get(n, n.replace("_", " ")) for n in sorted(names)
                  if n not in ("profile", "verdict", "knowledge_key", "evaluated_on", "change", "updated")]
        parts = (["the profile"] if "profile" in names else []) + (["the case's " + _join(others)] if others else [])
        if parts:
            return "changed " + " and ".join(parts)
        if "verdict" in names:
            return "re-evaluated the case"
    if model == "Note" and action == "created":
        return "added a note"
    if model == "Document" and action == "created":
        return f"uploaded {_quoted(data['title'])}" if data.get("title") else "uploaded a document"
    if model == "IssuedLetter" and action == "created":  # views_letters.py
        what = "the refusal of " if data.get("refused") else ""
        return (f"issued {what}{_quoted(data.get('name') or data.get('kind') or 'a letter')} as "
                f"{str(data.get('format', '')).upper() or 'a file'} (template version {data.get('template_version')})")
    if model == "Signatory" and data.get("name"):
        verb = {"created": "added", "deleted": "removed"}.get(action, action)
        return f"{verb} the signatory {_quoted(data['name'])}"
    if model == "Exchange" and action == "created" and data:
        return f"recorded an exchange: {data.get('direction')} {data.get('year')}, {_value('heads', data.get('heads'), {})} " \
               f"trainee{'s' if str(data.get('heads')) != '1' else ''}"
    if model == "Partner" and data.get("name"):
        return f"{'added' if action == 'created' else action} the partner {_quoted(data['name'])}"
    noun = NOUNS.get(model, model)
    verb = {"created": "recorded", "changed": "changed", "deleted": "deleted"}.get(action, action)
    return f"{verb} {noun}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def shown(entries) -> list[Shown]:
    """Entries in words, with the fields each changed (partners named, not numbered)."""
    from .models import Partner

    entries = list(entries)
    ids = {v for e in entries for side in (e.before or {}, e.after or {}) for k, v in side.items()
           if k in ("home_institution", "partner") and isinstance(v, int)}
    institutions = {e.institution_id for e in entries}
    partners = (dict(Partner.objects.filter(pk__in=ids, institution_id__in=institutions).values_list("pk", "name"))
                if ids else {})
    return [Shown(e, sentence(e), _details(e, partners) if e.action == "changed" and e.model != "ChecklistItem" else [])
            for e in entries]  # a step's sentence says it all
