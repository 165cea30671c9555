"""Hypothesis strategies for profiles, drawn from the fact definitions themselves."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

# Nationalities that exercise the rules: entry-restricted, VWP, E-3, TN, others.
COUNTRIES = ["SD", "NG", "SY", "TZ", "AU", "CA", "MX", "GB", "QA", "KE", "IN", "PH", "UG", "GH", "IR", "CU", "US", "BM"]
DATES = [date(2025, 5, 1), date(2025, 6, 9), date(2025, 10, 1), date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 1), date(2026, 10, 1)]
VISAS_OR_NONE = ["none", "f-1", "j-1-student", "j-1-alien-physician", "j-1-research-scholar", "b-1",
                 "vwp-business", "h-1b", "h-1b-renown", "o-1a", "e-3", "tn", "us-person"]


def value_strategy(definition):
    if definition.type == "bool":
        return st.booleans()
    if definition.type == "number":
        return st.one_of(st.integers(0, 8).map(float), st.floats(0, 15, allow_nan=False).map(lambda x: round(x, 1)))
    if definition.type == "date":
        return st.dates(date(2025, 1, 1), date(2028, 12, 31))
    if definition.type == "codes":
        return st.frozensets(st.sampled_from(COUNTRIES), min_size=1, max_size=2)
    if definition.type == "set":
        return st.frozensets(st.sampled_from(definition.values))
    if definition.vocabulary == "countries":  # a single country (residence_country)
        return st.sampled_from(COUNTRIES)
    if definition.vocabulary == "visas-or-none":
        return st.sampled_from(VISAS_OR_NONE)
    if definition.vocabulary == "contact-levels":
        return st.sampled_from(["none", "incidental", "supervised", "independent"])
    return st.sampled_from(definition.values)


def three_valued(facts) -> dict:
    """The facts whose absence means unknown (all but those facts.yaml reads as "no" when left
    out, `absent`): only over these does answering never close an open pathway."""
    return {name: d for name, d in facts.items() if not d.absent}


def three_valued(facts) -> dict:
    """The facts whose absence means unknown (all but those facts.yaml reads as "no" when left
    out, `absent`): only over these does answering never close an open pathway."""
    return {name: d for name, d in facts.items() if not d.absent}


def flat_profiles(facts, known=0.6):
    """Flat fact dicts (as `Profile.facts`), each fact present with some probability."""
    def build(draw):
        out = {}
        for name, definition in facts.items():
            if draw(st.floats(0, 1)) < known:
                out[name] = draw(value_strategy(definition))
        return out
    return st.composite(lambda draw: build(draw))()
