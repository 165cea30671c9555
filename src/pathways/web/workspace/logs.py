"""The incidental-contact log: one row per case and week, replaced when logged again."""

from __future__ import annotations

from django.db import transaction

from .history import record, snapshot
from .models import ContactLog


@transaction.atomic
def log_week(case, user, week_of, hours: dict) -> ContactLog:
    existing = ContactLog.objects.select_for_update().filter(case=case, week_of=week_of).first()
    if existing is None:
        entry = ContactLog.objects.create(case=case, week_of=week_of, **hours)
        entry.refresh_from_db()  # the hours as stored (one decimal place), in the history too
        record(user, entry, "created", None)
        return entry
    before = snapshot(existing)
    for key, value in hours.items():
        setattr(existing, key, value)
    existing.save()
    existing.refresh_from_db()
    if snapshot(existing) != before:
        record(user, existing, "changed", before)
    return existing
