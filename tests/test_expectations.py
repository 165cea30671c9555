"""The scenario checker (tests/expectations.py) cannot pass vacuously: a `not_open` entry
that matches no pathway at all fails, unless the scenario says the pathway may be absent."""

from __future__ import annotations

from .expectations import failures

OUTPUT = {"category": "img-under-3", "pathways": [
    {"id": "h1b-ptl", "visa": "h-1b", "authorization": "ptl", "patient_contact": "supervised",
     "status": "needs-info", "warnings": []},
    {"id": "b1-observership", "visa": "b-1", "authorization": "none", "patient_contact": "none",
     "status": "open", "warnings": []},
]}
ABSENT = {"visa": "j-1-research-scholar", "authorization": "bpc-2111"}


def test_not_open_fails_when_no_pathway_matches_its_keys():
    problems = failures({"not_open": [ABSENT]}, 0, OUTPUT, "")
    assert len(problems) == 1 and "no pathway matches" in problems[0] and "not_open_may_be_absent" in problems[0]


def test_not_open_may_be_absent_lets_no_match_pass():
    assert failures({"not_open_may_be_absent": True, "not_open": [ABSENT]}, 0, OUTPUT, "") == []


def test_not_open_passes_when_the_matching_pathways_are_not_open():
    assert failures({"not_open": [{"visa": "h-1b"}]}, 0, OUTPUT, "") == []


def test_not_open_fails_when_a_matching_pathway_is_open_even_if_it_may_be_absent():
    for expect in ({"not_open": [{"visa": "b-1"}]}, {"not_open_may_be_absent": True, "not_open": [{"visa": "b-1"}]}):
        problems = failures(expect, 0, OUTPUT, "")
        assert problems == ["['b1-observership'] match {'visa': 'b-1'} and are open"]


def _timeline_run(likely: str, begin_by: str, late: bool = False) -> dict:
    return {"as_of": "2026-12-01", "category": "student", "pathways": [
        {"id": "b1-elective", "status": "open", "warnings": [],
         "timeline": {"start_date": "2027-07-05", "likely_start": likely, "begin_by": begin_by, "late": late}}]}


def test_a_timeline_expectation_compares_with_the_start_date_and_the_evaluation_day():
    rule = {"where": {"id": "b1-elective"}, "likely_start": "before start_date", "begin_by": "on or after as_of"}
    assert failures({"timeline": [rule]}, 0, _timeline_run("2027-04-07", "2027-02-28"), "") == []
    late = failures({"timeline": [rule]}, 0, _timeline_run("2027-10-17", "2026-09-01"), "")
    assert len(late) == 2 and "likely_start is 2027-10-17, expected before start_date" in late[0]


def test_a_timeline_expectation_with_no_matching_pathway_fails():
    rule = {"where": {"id": "vwp-business-elective"}, "late": True}
    assert failures({"timeline": [rule]}, 0, _timeline_run("2027-04-07", "2027-02-28"), "") != []
