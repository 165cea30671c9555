"""The interview asks only what changes the answer, and stops when nothing can."""

from __future__ import annotations

import itertools
from datetime import date

from pathways.engine.interview import Interviewer
from pathways.rules.profile import Profile

DAY = date(2026, 3, 1)
STUDENT = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "host": {"dean_approved_elective": True},
           "desired_contact": "supervised"}
RESIDENT = {"citizenships": ["IN"], "stage": "graduate", "postgraduate_years": 0, "school_recognized_by_mbc": True,
            "ecfmg_certified": True, "usmle_passed": ["step1", "step2ck"], "statement_of_need": True,
            "current_us_status": "none", "host": {"acgme_position": True, "employment_sponsorship": True},
            "desired_contact": "supervised"}


def interviewer(engine):
    return Interviewer(engine.rules(DAY), engine.kb.facts, engine.checker.vocabularies)


def run(engine, persona: dict) -> list[str]:
    """Answer each question from the persona; a fact it does not hold is "I don't know"."""
    ask, full = interviewer(engine), engine.check(persona).facts
    known = {"desired_contact": full["desired_contact"]}
    skipped, asked = set(), []
    while (question := ask.progress(Profile(known), skipped).question) is not None:
        asked.append(question.fact)
        if question.fact in full:
            known[question.fact] = full[question.fact]
        else:
            skipped.add(question.fact)
        assert len(asked) < 40
    return asked


def fewest(engine, persona: dict) -> int:
    """The fewest of the persona's facts after which no answer could change the best result."""
    ask, full = interviewer(engine), engine.check(persona).facts
    keys = [k for k in full if k != "desired_contact"]
    for n in range(len(keys) + 1):
        for subset in itertools.combinations(keys, n):
            known = {k: full[k] for k in subset} | {"desired_contact": full["desired_contact"]}
            if ask.progress(Profile(known)).question is None:
                return n
    raise AssertionError("no subset ends the interview")


def test_the_first_question_is_whether_the_person_is_a_student_or_a_graduate(engine):
    assert interviewer(engine).progress(Profile({})).question.fact == "stage"


def test_a_student_is_asked_the_fewest_questions_the_rules_need(engine):
    asked = run(engine, STUDENT)
    assert len(asked) == fewest(engine, STUDENT) == 5
    assert "postgraduate_years" not in asked  # a graduate's question is never put to a student


def test_a_resident_is_asked_the_fewest_questions_the_rules_need(engine):
    assert len(run(engine, RESIDENT)) == fewest(engine, RESIDENT)


def test_the_interview_stops_when_the_best_possible_pathway_is_open(engine):
    ask = interviewer(engine)
    profile = engine.check(STUDENT)
    progress = ask.progress(profile)
    assert progress.question is None and "open" in progress.done_because


def test_i_do_not_know_is_never_asked_again_and_the_interview_still_ends(engine):
    ask = interviewer(engine)
    skipped: set[str] = set()
    for _ in range(60):
        progress = ask.progress(Profile({}), skipped)
        if progress.question is None:
            break
        assert progress.question.fact not in skipped
        skipped.add(progress.question.fact)
    assert progress.question is None
