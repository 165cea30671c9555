"""Binding the knowledge base's tests to a date: the code lists in force that day, the
pathway's visa, and the values each fact accepts.

`bind_context(kb, visa, lists, on)` is what both the lints (every test, at any date) and
the engine (the rules of one day) bind expressions with.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from . import schema
from .assembly import list_members
from .expression import BindContext
from .vocabulary import CONTACT_LEVELS

# Policy moves fast: a dated event's sources are re-checked every four months, and an
# evaluation on a date further from the check says so.
POLICY_STALE_AFTER = timedelta(days=120)


def allowed_values(kb):
    """fact -> the text values it accepts (its vocabulary or its `values`), or None."""
    countries = frozenset(list_members(kb.lists["countries"], None)) if "countries" in kb.lists else None
    vocabularies = {
        "countries": countries,
        "visas-or-none": frozenset(kb.visas) | {"none"},
        "contact-levels": frozenset(CONTACT_LEVELS),
    }

    def lookup(fact: str):
        definition = kb.facts.get(fact)
        if definition is None:
            return None
        if definition.vocabulary:
            return vocabularies[definition.vocabulary]
        return frozenset(definition.values) if definition.values else None

    return lookup


def bind_context(kb, visa: schema.Visa | None, lists, on=None) -> BindContext:
    """The names a test may use: the code lists as of `on` (every member ever, when None),
    with `lists` (a policy event's own) on top, and the visa's attributes."""
    all_lists = {key: list_members(cl, on) for key, cl in kb.lists.items()}
    all_lists.update({key: frozenset(codes) for key, codes in (lists or {}).items()})
    visa_attrs = {"work_authorized": visa.work_authorization.allowed if visa else False}
    context = BindContext(kb.facts, all_lists, visa_attrs, allowed_values(kb))
    return replace(context, as_of=on) if on is not None else context
