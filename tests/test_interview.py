"""The interview asks what the person wants first, then only what changes the answer, then
the plan's dates and city; it stops when nothing left can matter."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from pathways.engine.interview import Interviewer, name_key
from pathways.rules.profile import Profile

DAY = date(2026, 3, 1)
PLANNING = ["start_date", "duration_weeks", "host_city"]
STUDENT = {"citizenships": ["UG"], "us_permanent_resident": False, "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none",
           "host": {"dean_approved_elective": True, "affiliation_agreement": False}, "desired_contact": "supervised"}
RESIDENT = {"citizenships": ["IN"], "us_permanent_resident": False, "stage": "graduate", "postgraduate_years": 0, "school_recognized_by_mbc": True,
            "ecfmg_certified": True, "usmle_passed": ["step1", "step2ck"], "statement_of_need": True,
            "current_us_status": "none", "host": {"acgme_position": True, "employment_sponsorship": True},
            "desired_contact": "supervised"}
PLANS = {"start_date": "2027-09-01", "duration_weeks": 8, "host_city": "san-francisco"}


def ask(engine, known: dict, skipped=()):
    return engine.next_question(Profile(known), skipped, DAY)


class Asked(list):
    """The facts asked, in order; `phases` says in which phase each was asked."""

    def __init__(self):
        super().__init__()
        self.phases: dict[str, str] = {}


def run(engine, persona: dict) -> Asked:
    """Every question the interview asks, in order, each answered from the persona; a fact
    it does not hold is answered "I don't know"."""
    full = engine.check(persona).facts
    known: dict = {}
    skipped, asked = set(), Asked()
    while (question := ask(engine, known, skipped).question) is not None:
        assert question.fact not in asked, f"{question.fact} asked twice: {asked}"
        asked.append(question.fact)
        asked.phases[question.fact] = question.phase
        if question.fact in full:
            known[question.fact] = full[question.fact]
        else:
            skipped.add(question.fact)
        assert len(asked) < 40
    return asked


def phase(engine, fact: str) -> str:
    return engine.question(fact).phase


def eligibility(engine, asked: list[str]) -> list[str]:
    """The facts asked to decide the pathways (not which programme takes the person, not the plan)."""
    phases = getattr(asked, "phases", {})
    return [f for f in asked if phases.get(f, phase(engine, f)) == "eligibility"]


def fewest(engine, persona: dict) -> int:
    """The fewest of the persona's eligibility facts after which no answer could change the
    best result (the wish known; the planning questions are what is left)."""
    full = engine.check(persona).facts
    keys = [k for k in full if phase(engine, k) == "eligibility"]
    for n in range(len(keys) + 1):
        for subset in itertools.combinations(keys, n):
            known = {k: full[k] for k in subset} | {"desired_contact": full["desired_contact"]}
            question = ask(engine, known).question
            if question is None or question.phase in ("programmes", "planning"):
                return n
    raise AssertionError("no subset ends the interview")


# The order: the wish, the eligibility questions, the plan -------------------------------------

def test_the_first_question_is_the_contact_the_person_wants(engine):
    progress = ask(engine, {})
    assert progress.question.fact == "desired_contact" and progress.phase == "wish"
    assert progress.question.values == ("none", "incidental", "supervised", "independent")  # least to most
    assert progress.question.labels["supervised"].startswith("Supervised")


def test_then_nationality_which_decides_every_visa_then_student_or_graduate(engine):
    """Every visa pathway reads the nationalities (a US citizen needs no visa and can hold none),
    so they settle the most requirements and come first; then the stage."""
    for known, skipped in (({"desired_contact": "supervised"}, ()), ({}, ("desired_contact",))):
        progress = ask(engine, known, skipped)
        assert progress.question.fact == "citizenships" and progress.phase == "eligibility"
        progress = ask(engine, {**known, "citizenships": frozenset({"UG"})}, skipped)
        assert progress.question.fact == "stage" and progress.phase == "eligibility"
        assert progress.question.labels == {"student": "A medical student", "graduate": "A graduate: I hold a medical degree"}


@pytest.mark.parametrize("persona", [STUDENT, RESIDENT], ids=["student", "resident"])
def test_the_wish_comes_first_and_the_planning_questions_last(engine, persona):
    asked = run(engine, persona)
    assert asked[0] == "desired_contact"
    assert asked[-3:] == PLANNING, asked
    assert [phase(engine, f) for f in asked[1:-3]] == ["eligibility"] * (len(asked) - 4)


def test_a_student_is_asked_the_fewest_questions_the_rules_need(engine):
    asked = eligibility(engine, run(engine, STUDENT))
    assert len(asked) == fewest(engine, STUDENT) == 6
    assert "postgraduate_years" not in asked  # a graduate's question is never put to a student


def test_a_resident_is_asked_the_fewest_questions_the_rules_need(engine):
    assert len(eligibility(engine, run(engine, RESIDENT))) == fewest(engine, RESIDENT)


def test_a_student_who_answered_everything_is_asked_start_length_and_city(engine):
    known = dict(engine.check(STUDENT).facts)
    for fact in PLANNING:
        progress = ask(engine, known)
        assert progress.question.fact == fact and progress.phase == "planning"
        known[fact] = engine.check(PLANS).facts[fact]
    progress = ask(engine, known)
    assert progress.question is None and "open" in progress.done_because
    assert "San Francisco" == engine.question("host_city").labels["san-francisco"]


def test_a_planning_question_answered_i_do_not_know_is_not_asked_again(engine):
    known = dict(engine.check(STUDENT).facts)
    assert ask(engine, known, {"start_date"}).question.fact == "duration_weeks"
    assert ask(engine, known, {"start_date", "duration_weeks"}).question.fact == "host_city"
    done = ask(engine, known, set(PLANNING))
    assert done.question is None and "open" in done.done_because


def test_planning_is_not_asked_while_an_eligibility_question_can_still_decide(engine):
    known = {"desired_contact": "supervised", "stage": "student"}
    progress = ask(engine, known)
    assert progress.phase == "eligibility" and progress.remaining >= 1 + len(PLANNING)


def test_planning_is_asked_when_only_what_a_host_arranges_is_missing(engine):
    """A student whom no host has offered anything yet: the plan's dates still matter."""
    known = dict(engine.check({**STUDENT, "host": {"dean_approved_elective": False}}).facts)
    assert ask(engine, known).phase in ("eligibility", "programmes", "planning")
    asked = run(engine, {**STUDENT, "host": {"dean_approved_elective": False}})
    assert asked[-3:] == PLANNING


def test_no_dates_are_asked_when_every_pathway_is_blocked_on_the_person(engine):
    """A graduate from Sudan, under the entry restriction, without ECFMG or USMLE: every
    pathway is blocked on facts no host can arrange, so no plan's dates are asked."""
    sudan = {"desired_contact": "none", "stage": "graduate", "postgraduate_years": 0, "citizenships": ["SD"],
             "us_permanent_resident": False,
             "current_us_status": "none", "school_recognized_by_mbc": False, "home_license": False,
             "ecfmg_certified": False, "usmle_passed": []}
    progress = ask(engine, dict(engine.check(sudan).facts))
    assert progress.question is None and progress.done_because == "no answer left could open a pathway"


def test_the_interview_stops_when_the_best_possible_pathway_is_open(engine):
    progress = ask(engine, dict(engine.check(STUDENT).facts), set(PLANNING))
    assert progress.question is None and "open" in progress.done_because


def test_i_do_not_know_is_never_asked_again_and_the_interview_still_ends(engine):
    skipped: set[str] = set()
    for _ in range(60):
        progress = ask(engine, {}, skipped)
        if progress.question is None:
            break
        assert progress.question.fact not in skipped
        skipped.add(progress.question.fact)
    assert progress.question is None
    assert skipped >= {"desired_contact", *PLANNING}


def test_the_interviewer_and_the_engine_ask_alike(engine):
    """Engine.next_question is the one way to ask; the Interviewer underneath agrees with it."""
    interviewer = Interviewer(engine.rules(DAY), engine.facts(), engine.checker.vocabularies)
    for known in ({}, {"desired_contact": "none"}, dict(engine.check(RESIDENT).facts)):
        assert interviewer.progress(Profile(known)).question.fact == ask(engine, known).question.fact


# The words of questions ----------------------------------------------------------------

def test_every_choice_has_words_in_the_knowledge(engine):
    for name, definition in engine.facts().items():
        labels = engine.labels(name)
        if definition.type == "bool":
            assert set(labels) == {"true", "false"}, name
        elif definition.type in ("enum", "set"):
            missing = set(engine.question(name).values) - set(labels)
            assert not missing, (name, missing)
    assert engine.labels("current_us_status")["none"] == "None: I am outside the United States"
    assert engine.labels("current_us_status")["b-1"] == engine.kb.visas["b-1"].name
    assert engine.question("current_us_status").values[0] == "none"


# Nationality by name ----------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("Uganda", "UG"), ("uganda", "UG"), ("UG", "UG"), ("Côte d'Ivoire", "CI"), ("Cote d'Ivoire", "CI"),
    ("COTE D’IVOIRE", "CI"), ("Ivory Coast", "CI"), ("ivory coast", "CI"), ("Tanzania", "TZ"), ("DR Congo", "CD"),
    ("Democratic Republic of the Congo", "CD"), ("Congo", "CG"), ("South Korea", "KR"), ("Korea, Republic of", "KR"),
    ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"),
    ("The Gambia", "GM"), ("St Lucia", "LC"), ("Trinidad & Tobago", "TT"), ("  Kenya ", "KE"),
])
def test_a_country_is_named_in_its_common_spellings(engine, text, code):
    assert engine.country_code(text) == code


@pytest.mark.parametrize("text", ["Narnia", "Korea", "Ugand", "", "U G", "Kenyan"])
def test_nothing_else_is_guessed(engine, text):
    assert engine.country_code(text) is None


def test_every_spelling_names_one_country_only(engine):
    seen: dict[str, str] = {}
    for member in engine.kb.lists["countries"].members:
        for spelling in (member.name, *member.aliases):
            key = name_key(spelling)
            assert seen.setdefault(key, member.code) == member.code, (spelling, seen[key], member.code)
            assert engine.country_code(spelling) == member.code
        for alias in member.aliases:
            assert name_key(alias) != name_key(member.name), f"{alias!r} differs from {member.name!r} only in spelling rules"


def test_several_nationalities_are_read_from_one_text(engine):
    assert engine.country_codes("Uganda, KE") == (["UG", "KE"], [])
    assert engine.country_codes("Korea, Republic of, Ivory Coast") == (["KR", "CI"], [])
    assert engine.country_codes("Uganda, Narnia, uganda") == (["UG"], ["Narnia"])


def test_no_to_an_offer_does_not_end_the_questions_that_decide_the_pathway(engine):
    """A student who has not applied yet answers "No" to the dean's approval first: the B-1
    and Visa Waiver electives are then blocked only on what a host arranges, so the interview
    still asks her nationality, which decides whether the Visa Waiver elective is closed."""
    order = ["desired_contact", "stage", "enrolled_in_us_school", "school_recognized_by_mbc",
             "host.dean_approved_elective"]
    facts = dict(engine.check({**STUDENT, "host": {"dean_approved_elective": False}}).facts)
    known = {f: facts[f] for f in order if f in facts} | {"desired_contact": "supervised"}
    progress = ask(engine, known)
    assert progress.question is not None and progress.question.fact == "citizenships", progress
    after = ask(engine, {**known, "citizenships": frozenset({"UG"})})
    assert after.question is not None and after.question.phase in ("programmes", "planning")


def test_what_decides_which_host_would_take_her_is_asked_before_the_plan(engine):
    """The B-1 elective is open, but whether Stanford's visiting student programme would take
    her turns on the final year: that is asked (as "where you could apply"), then the plan."""
    known = {f: v for f, v in engine.check(STUDENT).facts.items() if f != "final_year"}
    progress = ask(engine, known)
    assert progress.question.fact == "final_year" and progress.phase == "programmes"
    known["final_year"] = True
    assert ask(engine, known).phase == "planning"
    programmes = {g.id: g.takes for g in engine.find(engine.check(STUDENT), DAY).find("b1-elective").programs}
    assert programmes["stanford-ivsp"] == "yes" and programmes["ucsf-fresno-affiliations"] == "if-arranged"


def test_a_green_card_is_asked_once_it_would_change_an_answer_and_not_of_a_us_citizen(engine):
    """Left out, a green card is read as not held (facts.yaml `absent`); the interview asks it
    before the plan when a yes would change a pathway (the Ugandan student's visa elective),
    never of a US citizen, for whom a yes changes nothing."""
    student = {f: v for f, v in engine.check(STUDENT).facts.items() if f != "us_permanent_resident"}
    assert ask(engine, student).question.fact == "us_permanent_resident"
    citizen = {**student, "citizenships": frozenset({"US"})}
    assert ask(engine, citizen).question.fact != "us_permanent_resident"
    assert "us_permanent_resident" not in run(engine, {**STUDENT, "citizenships": ["US"]})
