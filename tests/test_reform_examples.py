"""Each shipped reform does what it says to the people it is written for (tests/reform-examples/),
and its parameters move the answer: the per-person engine on the reformed knowledge base."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "reform-examples"
DAY = date(2026, 12, 1)


def _status(engine, profile: str, pathway: str, reforms=(), values=None, day=DAY, state="all"):
    person = json.loads((HERE / f"{profile}.json").read_text())
    if reforms:
        engine = engine.reformed(engine.read_reforms(list(reforms), values), day)
    found = {p.id: p for p in engine.find(person, day, state).pathways}
    return found[pathway].status if pathway in found else None


# (reform, parameters, profile, pathway, status without the reform, status with it)
CASES = [
    ("j1-short-term-clinical-exchange", None, "r1-ke-physician", "oh-j1-short-term-clinical-vcpd", None, "open"),
    ("j1-short-term-clinical-exchange", None, "r1-ng-physician", "oh-j1-short-term-clinical-vcpd", None, "blocked"),
    ("j1-short-term-clinical-exchange", None, "r1-ke-16w", "oh-j1-short-term-clinical-vcpd", None, "blocked"),
    ("j1-short-term-clinical-exchange", {"": {"max_weeks": "26"}}, "r1-ke-16w", "oh-j1-short-term-clinical-vcpd", None, "open"),
    ("ca-short-term-clinical-permit", None, "r3-gh-student", "b1-elective", "blocked", "blocked"),
    ("ca-short-term-clinical-permit", None, "r3-gh-student", "b1-short-term-clinical-permit", None, "open"),
    ("ca-short-term-clinical-permit", {"": {"ssn_required": "true"}}, "r3-gh-student", "b1-short-term-clinical-permit",
     None, "blocked"),
    ("ca-short-term-clinical-permit", None, "r3-pk-physician", "j1-research-scholar-short-term-clinical-permit", None, "open"),
    ("national-temporary-training-license", None, "r4-eg-physician-tn", "tn-j1-research-scholar-visitor-clinical-training",
     "blocked", "open"),
    ("national-temporary-training-license", {"": {"max_weeks": "13"}}, "r4-eg-physician-tn",
     "tn-j1-research-scholar-visitor-clinical-training", "blocked", "blocked"),
    ("bpc-2112-visa-pairing", None, "r6-au-fellow", "e3-2112", None, "open"),
    ("bpc-2112-visa-pairing", None, "r6-vn-short-fellow", "j1-short-term-scholar-2112", None, "open"),
    ("ca-permit-j1-short-term-clinical", None, "r1-ke-physician", "j1-short-term-clinical-ca-permit", None, "open"),
    ("incidental-care-guidance", None, "r5-ph-faculty", "h1b-2113", "open", "open"),
]


@pytest.mark.parametrize("reform, values, profile, pathway, before, after", CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}" + ("-" + "-".join(f"{k}={v}" for k, v in c[1][""].items()) if c[1] else "")
                              for c in CASES])
def test_a_reform_changes_what_it_says_for_its_example_person(engine, reform, values, profile, pathway, before, after):
    assert _status(engine, profile, pathway) == before
    assert _status(engine, profile, pathway, [reform], values) == after


def test_the_h1b_payment_exemption_takes_the_100000_dollars_off_a_physicians_costs(engine):
    person = json.loads((HERE / "r2-in-physician.json").read_text())
    day = date(2026, 3, 1)  # the payment in force, before the court set it aside
    before = next(p for p in engine.find(person, day).pathways if p.id == "h1b-2113")
    reformed = engine.reformed(engine.read_reforms(["h1b-physician-payment-exemption"]), day)
    after = next(p for p in reformed.find(person, day).pathways if p.id == "h1b-2113")
    assert before.status == after.status == "open"
    assert before.cost.max - after.cost.max == pytest.approx(100_000)


def test_the_incidental_share_is_said_in_the_requirement(engine):
    for share in ("20", "100"):
        reformed = engine.reformed(engine.read_reforms(["incidental-care-guidance"], {"": {"incidental_share": share}}), DAY)
        person = json.loads((HERE / "r5-ph-faculty.json").read_text())
        pathway = next(p for p in reformed.find(person, DAY).pathways if p.id == "j1-research-scholar-2111")
        assert any(f"{share}%" in r.text for r in pathway.requirements)
