"""Who changed what, when: a before-and-after record of every case, agreement and log."""

from __future__ import annotations

from django.forms.models import model_to_dict

from . import sensitive
from .models import HistoryEntry


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
    return getattr(obj, "institution", None) or obj.case.institution


def record(user, obj, action: str, before: dict | None) -> HistoryEntry:
    """Record a change; `before` is the snapshot taken before it (None when created)."""
    after = None if action == "deleted" else snapshot(obj)
    return HistoryEntry.objects.create(
        institution=institution_of(obj), model=type(obj).__name__, object_id=obj.pk,
        user=user if getattr(user, "is_authenticated", False) else None, action=action, before=before, after=after)


def entries_for(obj):
    return HistoryEntry.objects.filter(model=type(obj).__name__, object_id=obj.pk, institution=institution_of(obj))


def changed_fields(entry: HistoryEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field an entry changed."""
    before, after = entry.before or {}, entry.after or {}
    keys = [k for k in dict.fromkeys(list(before) + list(after)) if before.get(k) != after.get(k)]
    return [(k, before.get(k), after.get(k)) for k in keys if k != "updated"]


def shown(entries) -> list[tuple[HistoryEntry, list]]:
    return [(e, changed_fields(e)) for e in entries]
