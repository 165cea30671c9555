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
