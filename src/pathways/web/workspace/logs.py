"""The incidental-contact log: one row per case and week, checked before it is kept.

A week is named by its Monday, so two weeks of a case can never overlap: they are the same
week (one row: `unique_together` on case and week) or they share no day. A week must lie
within the case's training (when its dates are known), must have begun, and its hours, none
below zero, add up to at most the 168 hours a week has. Every change is in the history:
logged, corrected, deleted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from pathways import EARLIEST

from .history import record, snapshot
from .models import ContactLog

HOURS = ("patient_contact_hours", "teaching_hours", "research_hours", "observation_hours")
LABELS = {"week_of": "Week of (Monday)", "patient_contact_hours": "Patient contact (hours)",
          "teaching_hours": "Teaching (hours)", "research_hours": "Research (hours)",
          "observation_hours": "Observation (hours)"}
WEEK_HOURS = 168  # 7 days of 24 hours
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def accepted_weeks(case, today: date) -> tuple[date | None, date]:
    """The first and last Monday a week of this case may begin on: the week the training
    starts in (None when its start is not known) to the week it ends in, and never a week
    that has not begun."""
    first = monday_of(case.starts) if case.starts else None
    last = monday_of(today)
    if case.ends:
        last = min(last, monday_of(case.ends))
    return first, last


def _training(case) -> str:
    if case.starts and case.ends:
        return f"the training runs from {case.starts} to {case.ends}"
    if case.starts:
        return f"the training starts on {case.starts}"
    return f"the training ends on {case.ends}"


def week_problems(case, week_of: date, today: date, entry: ContactLog | None = None,
                  replace: bool = False) -> list[str]:
    """What is wrong with `week_of` for this case (empty when nothing is). `entry`: the week
    being corrected (its own date is no clash); `replace`: logging a week again replaces it."""
    if week_of.weekday() != 0:
        monday = monday_of(week_of)
        return [f"{week_of} is a {DAYS[week_of.weekday()]}; give the Monday its week begins on, {monday}."]
    problems = []
    if week_of < EARLIEST:
        problems.append(f"The week of {week_of} is before {EARLIEST}; give the Monday of a week of the training.")
    elif week_of > today:
        problems.append(f"The week of {week_of} has not begun (today is {today}); log a week once it has begun, "
                        f"the latest being the week of {monday_of(today)}.")
    elif (case.starts and week_of + timedelta(days=6) < case.starts) or (case.ends and week_of > case.ends):
        first, last = accepted_weeks(case, today)
        span = (f"from the week of {first} to the week of {last}" if first and first <= last
                else f"from the week of {first}" if first else f"up to the week of {last}")
        problems.append(f"The week of {week_of} is outside the training: {_training(case)}; "
                        f"give the Monday of a week within it, {span}.")
    if not replace:
        clash = ContactLog.objects.filter(case=case, week_of=week_of)
        if entry is not None and entry.pk:
            clash = clash.exclude(pk=entry.pk)
        if clash.exists():
            problems.append(f"The week of {week_of} is logged already; correct that week (its Correct link in the "
                            "table) rather than logging it again.")
    return problems


def hours_problems(hours: dict) -> dict[str, list[str]]:
    """Each field's problem (a value below zero), and `__all__` for a total past 168 hours."""
    problems: dict[str, list[str]] = {}
    for name in HOURS:
        value = hours.get(name)
        if value is not None and value < 0:
            problems[name] = [f"{value} hours is below zero; give the hours spent, 0 or more."]
    total = sum((Decimal(hours.get(name) or 0) for name in HOURS), Decimal(0))
    if total > WEEK_HOURS:
        problems["__all__"] = [f"Total hours: patient contact, teaching, research and observation add up to "
                               f"{total.normalize():f} hours; a week has {WEEK_HOURS}, so give at most {WEEK_HOURS} in all."]
    return problems


def problems(case, week_of: date, hours: dict, today: date, entry: ContactLog | None = None,
             replace: bool = False) -> dict[str, list[str]]:
    """Every problem of a week, by field (`__all__`: the total): empty when it may be kept."""
    found = hours_problems(hours)
    week = week_problems(case, week_of, today, entry, replace)
    if week:
        found["week_of"] = week
    return found


def _check(case, week_of, hours, today, entry=None, replace=False) -> None:
    found = problems(case, week_of, hours, today or date.today(), entry, replace)
    if found:
        raise ValidationError(found)


def _hours(hours: dict) -> dict:
    return {k: (Decimal(0) if v is None else v) for k, v in hours.items() if k in HOURS}


@transaction.atomic
def log_week(case, user, week_of: date, hours: dict, today: date | None = None) -> ContactLog:
    """Log a week (a week logged already is replaced); ValidationError, by field, if it is wrong."""
    hours = _hours(hours)
    _check(case, week_of, hours, today, replace=True)
    existing = ContactLog.objects.select_for_update().filter(case=case, week_of=week_of).first()
    if existing is None:
        entry = ContactLog.objects.create(case=case, week_of=week_of, **hours)
        entry.refresh_from_db()  # the hours as stored (one decimal place), in the history too
        record(user, entry, "created", None)
        return entry
    return _save(existing, user, week_of, hours)


@transaction.atomic
def correct_week(entry: ContactLog, user, week_of: date, hours: dict, today: date | None = None) -> ContactLog:
    """Correct a logged week: its date or its hours; ValidationError, by field, if wrong."""
    entry = ContactLog.objects.select_for_update().select_related("case").get(pk=entry.pk)
    hours = _hours(hours)
    _check(entry.case, week_of, hours, today, entry=entry)
    return _save(entry, user, week_of, hours)


def _save(entry: ContactLog, user, week_of: date, hours: dict) -> ContactLog:
    before = snapshot(entry)
    entry.week_of = week_of
    for key, value in hours.items():
        setattr(entry, key, value)
    entry.save()
    entry.refresh_from_db()
    if snapshot(entry) != before:
        record(user, entry, "changed", before)
    return entry


@transaction.atomic
def delete_week(entry: ContactLog, user) -> None:
    """Delete a logged week; the history keeps what it said."""
    entry = ContactLog.objects.select_for_update().select_related("case").get(pk=entry.pk)
    record(user, entry, "deleted", snapshot(entry))
    entry.delete()
