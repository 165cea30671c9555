"""Profiles: unknown is absent, bad input is refused field by field, nothing guessed."""

from __future__ import annotations

import pytest

from pathways.rules.profile import ProfileError


def problems(engine, data) -> dict[str, str]:
    with pytest.raises(ProfileError) as error:
        engine.check(data)
    return {p.field: p.message for p in error.value.problems}


def test_a_valid_profile_is_flat_with_sets(engine):
    profile = engine.check({"citizenships": ["KE"], "usmle_passed": ["step1"], "host": {"observership": True}, "postgraduate_years": 2})
    assert profile.facts == {"citizenships": frozenset({"KE"}), "usmle_passed": frozenset({"step1"}),
                             "host.observership": True, "postgraduate_years": 2.0}


def test_null_and_missing_are_unknown(engine):
    assert engine.check({"stage": None, "host": None}).facts == {}


def test_each_bad_field_is_named_with_what_is_accepted(engine):
    found = problems(engine, {
        "citizenships": ["ke", "ZZ"], "stage": "resident", "postgraduate_years": "three",
        "final_year": "yes", "host": {"gym": True}, "favourite_colour": "blue", "usmle_passed": ["step4"],
        "start_date": "next year", "current_us_status": "h1b",
    })
    assert "are not ISO 3166-1 alpha-2 country codes" in found["citizenships"] and "KE" in found["citizenships"]
    assert "accepted: graduate, student" in found["stage"]
    assert "expected a number" in found["postgraduate_years"]
    assert "expected true or false" in found["final_year"]
    assert "accepted keys" in found["host.gym"]
    assert "unknown field" in found["favourite_colour"]
    assert "step3" in found["usmle_passed"]
    assert "ISO date" in found["start_date"]
    assert "h-1b" in found["current_us_status"]


def test_numbers_out_of_range_and_booleans_as_numbers(engine):
    assert "from 0 to 60" in problems(engine, {"postgraduate_years": -1})["postgraduate_years"]
    assert "expected a number" in problems(engine, {"postgraduate_years": True})["postgraduate_years"]


def test_a_profile_must_be_a_mapping(engine):
    assert "expected a mapping" in problems(engine, ["KE"])["(profile)"]


def test_no_field_can_hold_an_identity_number(engine):
    for field in ("ssn", "itin", "passport_number", "social_security_number"):
        assert "unknown field" in problems(engine, {field: "123-45-6789"})[field]


# The checker's quick tests (a plainly valid value taken at once) against its full checks ----------

import copy  # noqa: E402
import math  # noqa: E402
from datetime import date  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pathways.rules import profile as profile_module  # noqa: E402


def _full_only(checker):
    """The same checker with every quick test answering 'let the full check say'."""
    slow = copy.copy(checker)
    slow._quick = {name: (lambda v: profile_module.NEXT) for name in checker._quick}
    slow._quick_host = {key: (name, lambda v: profile_module.NEXT) for key, (name, _) in checker._quick_host.items()}
    return slow


def _outcome(checker, name: str, value):
    data = {"host": {name.split(".", 1)[1]: value}} if name.startswith("host.") else {name: value}
    try:
        facts = checker.check(data).facts
    except ProfileError as error:
        return "refused", [(p.field, p.message) for p in error.problems]
    # the type too: True == 1 == 1.0, and a number is always given as a float
    return "taken", {k: (type(v), sorted(v) if isinstance(v, frozenset) else v) for k, v in facts.items()}


class _Text(str):
    pass


def _samples(checker) -> list:
    words = sorted({w for vocabulary in checker.vocabularies.values() for w in list(vocabulary)[:5]})
    return [True, False, 0, 1, 2, -1, 3.5, 60, 61, 1e308, math.nan, math.inf, -math.inf, "", "yes", "KE", "ke",
            "student", _Text("student"), "2026-09-01", "2026-02-30", "1899-12-31", "2201-01-01", "20260901",
            "2026-W36-2", " 2026-09-01", date(2026, 9, 1), [], ["KE"], ["KE", "NG"], ["ke"], ["KE", 3], [["KE"]],
            ["step1"], ["step1", "step9"], [_Text("KE")], ("KE",), {"a": 1}, *words, [words[0]], words[:3]]


def test_the_quick_tests_answer_as_the_full_checks_for_every_fact(engine):
    checker = engine.checker
    slow = _full_only(checker)
    taken_quickly = 0
    for name in checker.facts:
        for value in _samples(checker):
            assert _outcome(checker, name, value) == _outcome(slow, name, value), (name, value)
            taken_quickly += checker._quick[name](value) is not profile_module.NEXT
    assert taken_quickly > len(checker.facts)  # the quick tests do take values (else this compares nothing)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_quick_tests_answer_as_the_full_checks_for_any_value(engine, data):
    checker = engine.checker
    name = data.draw(st.sampled_from(sorted(checker.facts)))
    spec = checker.facts[name]
    words = sorted(checker._accepted(spec)) if spec.type in ("enum", "set", "codes") else ["x"]
    item = st.one_of(st.sampled_from(words), st.text(max_size=4), st.integers(), st.none())
    value = data.draw(st.one_of(
        st.booleans(), st.integers(-5, 100), st.floats(allow_nan=True), st.sampled_from(words), st.text(max_size=12),
        st.dates(date(1890, 1, 1), date(2210, 1, 1)).map(date.isoformat), st.lists(item, max_size=4)))
    assert _outcome(checker, name, value) == _outcome(_full_only(checker), name, value)
