"""The workspace's guard against identity numbers: Django validators and a `pre_save` check
around rules/identity.py, which decides what an SSN, ITIN or passport number looks like."""

from __future__ import annotations

from typing import Any, Iterable

from django.core.exceptions import ValidationError

from pathways import identity

# the names the workspace has always used, from the one module that decides
ADVICE, CODE, MASK, PHONE_ADVICE = identity.ADVICE, identity.CODE, identity.MASK, identity.PHONE_ADVICE
Finding, find, normal, problem = identity.Finding, identity.find, identity.normal, identity.problem
problems_in, redact = identity.problems_in, identity.redact


def validate(value: Any) -> None:
    """A Django validator (models and forms): refuses a value with an identity number in it."""
    message = problem(value)
    if message:
        raise ValidationError(message, code=CODE)


def row_problems(row: dict[str, str]) -> list[tuple[str, str]]:
    """(column, message) for each cell of an imported row with an identity number in it (the
    column's name read as the cell's label)."""
    return [(column or "(unnamed column)", message) for column, message in problems_in(row)]


def checked_fields(instance) -> Iterable:
    """The model fields of `instance` whose validators include `validate`."""
    return [f for f in instance._meta.concrete_fields if validate in getattr(f, "validators", ())]


def refuse_on_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """`pre_save` guard: whatever path a write takes (a view, the API, the admin, a script), a
    field that carries `validate` is checked before the row is written."""
    if sender._meta.app_label != "workspace":
        return
    problems = {}
    for f in checked_fields(instance):
        if update_fields is not None and f.name not in update_fields and f.attname not in update_fields:
            continue
        message = problem(getattr(instance, f.attname, None))
        if message:
            problems[f.name] = [ValidationError(message, code=CODE)]
    if problems:
        raise ValidationError(problems)
