"""The B-1/B-2 visa bond pilot (issue 9, point 2): a refundable bond of 5,000 to 15,000 dollars
at the B-1 visa interview, owed only by nationals of the listed countries, from the day each
country's listing took effect until the pilot's last day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

DAY = timedelta(days=1)
LONGER = "at most 30 days, and this elective is longer"  # the bond visa's admission, in its warning

STUDENT = {"stage": "student", "enrolled_in_us_school": False, "final_year": True, "school_recognized_by_mbc": True,
           "current_us_status": "none", "duration_weeks": 4,
           "host": {"dean_approved_elective": True, "affiliation_agreement": True}}

# each list's first day, with a country added that day (and on no earlier list)
STARTS = [(date(2025, 8, 20), "ZM"), (date(2025, 10, 11), "GM"), (date(2025, 10, 23), "TZ"),
          (date(2026, 1, 1), "BW"), (date(2026, 1, 21), "BD")]


def _costs(engine, citizenships, day, **more):
    return {i.id: i for i in engine.explain({**STUDENT, "citizenships": citizenships, **more}, "b1-elective", day).cost.items}


def _warnings(engine, citizenships, day, **more):
    verdict = engine.explain({**STUDENT, "citizenships": citizenships, **more}, "b1-elective", day)
    return " | ".join(w.text for w in verdict.warnings)


def test_a_listed_nationals_b1_elective_costs_include_the_bond_from_5000_to_15000(engine):
    item = _costs(engine, ["ZM"], date(2025, 9, 1))["visa-bond"]
    assert item.usd_min == 5000 and item.usd_max == 15000
    assert item.step == "visa-interview" and item.payer == "person"
    assert "refund" in item.text


def test_a_non_listed_national_owes_no_bond(engine):
    assert "visa-bond" not in _costs(engine, ["KE"], date(2026, 3, 1))
    assert "post a visa bond" not in _warnings(engine, ["KE"], date(2026, 3, 1))


def test_a_dual_national_with_a_passport_not_listed_is_not_bound(engine):
    assert "visa-bond" not in _costs(engine, ["BD", "KE"], date(2026, 3, 1))
    assert "post a visa bond" not in _warnings(engine, ["BD", "KE"], date(2026, 3, 1))


@pytest.mark.parametrize("first_day, country", STARTS, ids=lambda v: str(v))
def test_the_bond_starts_on_the_day_a_country_is_listed(engine, first_day, country):
    assert "visa-bond" not in _costs(engine, [country], first_day - DAY)
    assert "post a visa bond" not in _warnings(engine, [country], first_day - DAY)
    item = _costs(engine, [country], first_day)["visa-bond"]
    assert (item.usd_min, item.usd_max) == (5000, 15000)
    assert "post a visa bond" in _warnings(engine, [country], first_day)


def test_the_bond_ends_with_the_pilot_on_5_august_2026(engine):
    assert "visa-bond" in _costs(engine, ["BD"], date(2026, 8, 5))
    assert "visa-bond" not in _costs(engine, ["BD"], date(2026, 8, 6))


def test_mali_is_never_listed(engine):
    for day in (date(2025, 10, 23), date(2025, 12, 1)):
        assert "visa-bond" not in _costs(engine, ["ML"], day)


def test_an_elective_longer_than_the_bond_visas_30_days_is_warned(engine):
    day = date(2025, 9, 1)
    assert LONGER in _warnings(engine, ["ZM"], day, duration_weeks=8)
    assert LONGER not in _warnings(engine, ["ZM"], day, duration_weeks=4)
    assert LONGER not in _warnings(engine, ["KE"], day, duration_weeks=8)
