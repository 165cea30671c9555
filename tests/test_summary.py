"""The result in short (Verdict.summary): the best route open now, or the nearest one and what it
would take; and the pathways a person can never use, closed by who they are (nationality, US
status, stage of training, a California licence held already), which no plan opens."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from pathways import Engine, verdict_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = date(2026, 12, 1)  # the entry restrictions of 1 January 2026 in force


@pytest.fixture(scope="module")
def engine():
    return Engine.load()


def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def test_a_kampala_student_with_an_approved_elective_has_the_b1_elective_as_her_best_route(engine):
    verdict = engine.find(_example("kampala-final-year-student.yaml"), AS_OF)
    summary = verdict.summary()
    assert summary.best.id == "b1-elective" and summary.enough and summary.route is summary.best
    assert summary.nearest is None  # nothing nearer is needed: the best gives the care she wants


def test_a_lagos_surgeon_with_nothing_open_is_shown_the_clis_nearest_route(engine):
    verdict = engine.find(_example("lagos-surgeon.yaml"), AS_OF)
    summary = verdict.summary()
    assert summary.best is None and not summary.enough
    assert summary.route is summary.nearest and summary.nearest.id == verdict.nearest[0].id  # the CLI's, from the JSON
    assert summary.nearest.id == verdict_json(verdict)["nearest"][0]["id"]


def test_an_australians_e3_is_never_usable_by_a_nigerian_and_never_the_nearest(engine):
    verdict = engine.find(_example("lagos-surgeon.yaml"), AS_OF)
    e3 = verdict.find("e3-2113")
    assert e3.group == "closed" and e3.never is not None and "Australian" in e3.never.text
    assert e3 in verdict.summary().never and e3 not in verdict.nearest
    # the J-1 pathways are barred by the entry restrictions (a Nigerian national abroad): never usable either
    assert verdict.find("b1-observership").never.origin.startswith("policy:entry-restrictions")


def test_a_missing_exam_closes_a_pathway_without_making_it_never_usable(engine):
    verdict = engine.find(_example("lagos-surgeon.yaml"), AS_OF)
    h1b = verdict.find("h1b-ptl")  # ECFMG certification and the USMLE: achievable
    assert h1b.group == "closed" and h1b.never is None and h1b not in verdict.summary().never


@pytest.mark.parametrize("held, folded", [(False, True), (None, False)])
def test_a_full_california_licence_not_held_is_who_the_person_is(engine, held, folded):
    profile = _example("lagos-surgeon.yaml") | ({} if held is None else {"california_license": held})
    verdict = engine.find(profile, AS_OF)
    licensed = verdict.find("h1b-renown-license")
    assert (licensed in verdict.summary().never) is folded
    assert (licensed.id in [p.id for p in verdict.nearest]) is not folded


def test_a_student_is_never_offered_a_pathway_for_students_of_us_schools_as_the_nearest(engine):
    # she has not applied for an elective yet: the B-1 elective is within reach; the F-1 and J-1
    # pathways of US schools, with as few unmet requirements, are for other people
    profile = _example("kampala-final-year-student.yaml") | {"host": {"dean_approved_elective": False}}
    verdict = engine.find(profile, AS_OF)
    assert [p.id for p in verdict.nearest][0] == "b1-elective"
    assert not {"f1-enrolled-us-school", "j1-student-enrolled-us-school"} & {p.id for p in verdict.nearest}
    assert {"f1-enrolled-us-school", "j1-student-enrolled-us-school"} <= {p.id for p in verdict.summary().never}


def test_with_less_contact_open_than_wanted_the_summary_names_both(engine):
    # a graduate who wants hands-on care but has only an observership open (a UK national: the VWP)
    profile = {"citizenships": ["GB"], "stage": "graduate", "postgraduate_years": 1, "current_us_status": "none",
               "desired_contact": "supervised", "host": {"observership": True}, "duration_weeks": 4}
    verdict = engine.find(profile, AS_OF)
    summary = verdict.summary()
    if summary.best is None:
        pytest.skip("no observership open for this profile in today's knowledge")
    assert summary.best.patient_contact == "none" and not summary.enough
    assert summary.nearest is None or summary.nearest.contact_rank > summary.best.contact_rank
