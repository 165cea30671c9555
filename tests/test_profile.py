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
