"""The verdict (engine/verdict.py, build.py): groups and what it would take, the timeline, the
builder's cache, the one rounding of weeks to days, requirement kinds, and dated warnings of
policy events before the start date."""

from __future__ import annotations

import shutil
from pathlib import Path
from datetime import date, timedelta

import pytest
import yaml

from pathways import Engine, pathway_json, verdict_json
from pathways.engine.build import residence
from pathways.engine.plan import days, make_plan, timeline_warning
from pathways.rules.loader import KNOWLEDGE_ROOT, load_knowledge

STUDENT = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "desired_contact": "supervised",
           "duration_weeks": 8, "host": {"dean_approved_elective": True}}
NO_DEAN = {**STUDENT, "host": {"dean_approved_elective": False}}
AS_OF = date(2026, 12, 1)
START = date(2027, 7, 5)


def _arrangement_facts() -> set[str]:
    """The facts facts.yaml marks `kind: arrangement`, read from the file itself."""
    facts = yaml.safe_load((KNOWLEDGE_ROOT / "facts.yaml").read_text())
    return {name for name, d in facts.items() if isinstance(d, dict) and d.get("kind") == "arrangement"}


# (a) groups, reachability, what it would take, programmes ---------------------------------


def test_a_student_without_the_deans_approval_has_the_b1_elective_within_reach(engine):
    verdict = engine.find(NO_DEAN, AS_OF)
    b1 = verdict.find("b1-elective")
    requirement = next(r for r in b1.requirements if r.facts and r.facts[0][0] == "host.dean_approved_elective")
    assert requirement.id == "dean-approved-elective"
    assert requirement.kind == "arrangement" and requirement.status == "unmet"
    assert b1.status == "blocked" and b1.reachable is True and b1.group == "reachable"
    assert b1.would_take.unmet == ("dean-approved-elective",)
    assert b1.would_take.arrange == ("dean-approved-elective",)
    assert b1.would_take.unknown == () and b1.would_take.ask == ()
    assert b1.deciding_reason is None  # nothing of eligibility closes it
    assert "stanford-ivsp" in {g.id for g in b1.programs}
    assert all(g.takes in ("yes", "maybe") for g in b1.programs)
    assert b1 in verdict.group("reachable") and b1 not in verdict.group("closed")
    item = pathway_json(b1)
    assert item["reachable"] is True and item["would_take"]["arrange"] == ["dean-approved-elective"]
    assert "steps" in item  # within reach: the plan is given
    assert "stanford-ivsp" in {g["id"] for g in item["programs"]}


def test_the_same_student_with_the_deans_approval_has_it_open(engine):
    b1 = engine.find(STUDENT, AS_OF).find("b1-elective")
    assert b1.status == "open" and b1.group == "open" and b1.reachable and b1.would_take is None


def test_a_national_outside_the_visa_waiver_program_has_the_vwp_elective_closed_with_its_reason(engine):
    verdict = engine.find(STUDENT, AS_OF)  # Uganda is not a Visa Waiver Program country
    vwp = verdict.find("vwp-business-elective")
    assert vwp.status == "blocked" and vwp.reachable is False and vwp.group == "closed"
    reason = vwp.deciding_reason
    assert reason is not None and reason.kind == "eligibility" and reason.status == "unmet"
    assert reason.id == "vwp-nationality" and dict(reason.facts)["citizenships"] == frozenset({"UG"})
    assert vwp in verdict.group("closed")
    assert "steps" not in pathway_json(vwp)  # closed: no plan unless asked for
    assert pathway_json(vwp, steps=True)["steps"]
    british = engine.find({**STUDENT, "citizenships": ["GB"]}, AS_OF).find("vwp-business-elective")
    assert british.group != "closed"  # the same profile from a member country


def test_the_groups_partition_the_pathways(engine):
    verdict = engine.find(NO_DEAN, AS_OF)
    groups = [verdict.group(g) for g in ("open", "reachable", "needs-info", "closed")]
    assert sorted(p.id for g in groups for p in g) == sorted(p.id for p in verdict.pathways)


# (b) the timeline -----------------------------------------------------------------------


def _totals(pv):
    blocking = [s for s in pv.steps if s.blocks_start]
    return (max(s.finishes.min for s in blocking), max(s.finishes.typical for s in blocking),
            max(s.finishes.max for s in blocking))


def _expected_can_start(t):
    if t.ready_by <= t.start_date:
        return "yes"
    if t.likely_start <= t.start_date:
        return "likely"
    return "only-if-fast" if t.earliest_start <= t.start_date else "no"


def test_begin_by_counts_back_the_typical_plan_and_begin_by_safe_the_slow_one(engine):
    pv = engine.explain({**STUDENT, "start_date": START.isoformat()}, "b1-elective", AS_OF)
    t = pv.timeline
    fast, typical, slow = _totals(pv)
    assert typical < slow  # else the two dates could not be told apart
    assert t.start_date == START and t.begin == AS_OF
    assert t.begin_by == START - days(typical)
    assert t.begin_by_safe == START - days(slow)
    assert t.begin_by_safe < t.begin_by
    assert t.earliest_start == AS_OF + days(fast) and t.likely_start == AS_OF + days(typical)
    assert t.ready_by == AS_OF + days(slow)
    assert t.earliest_start <= t.likely_start <= t.ready_by
    assert t.can_start == _expected_can_start(t)
    assert t.late is (t.begin_by < AS_OF)
    assert t.deciding_step in t.critical_path


@pytest.mark.parametrize("shift", ["ready", "between-typical-and-slow", "between-fast-and-typical", "before-fast"])
def test_can_start_and_late_follow_the_dates(engine, shift):
    plain = engine.explain({**STUDENT, "start_date": START.isoformat()}, "b1-elective", AS_OF).timeline
    start = {"ready": plain.ready_by + timedelta(days=3),
             "between-typical-and-slow": plain.likely_start + (plain.ready_by - plain.likely_start) // 2,
             "between-fast-and-typical": plain.earliest_start + (plain.likely_start - plain.earliest_start) // 2,
             "before-fast": plain.earliest_start - timedelta(days=1)}[shift]
    pv = engine.explain({**STUDENT, "start_date": start.isoformat()}, "b1-elective", AS_OF)
    t = pv.timeline
    assert t.can_start == _expected_can_start(t)
    assert t.can_start == {"ready": "yes", "between-typical-and-slow": "likely",
                           "between-fast-and-typical": "only-if-fast", "before-fast": "no"}[shift]
    assert t.late is (t.begin_by < AS_OF)
    assert t.late is (shift in ("between-fast-and-typical", "before-fast"))
    assert (pv.timeline_warning is None) is (shift == "ready")
    for s in pv.steps:  # a step is never due before the day of the evaluation
        assert s.due >= AS_OF


def test_without_a_start_date_there_is_no_begin_by_and_no_can_start(engine):
    t = engine.explain(STUDENT, "b1-elective", AS_OF).timeline
    assert t.start_date is None and t.begin_by is None and t.begin_by_safe is None
    assert t.can_start is None and t.late is False


def test_without_as_of_the_evaluation_is_made_today_not_on_the_start_date(engine):
    profile = {**STUDENT, "start_date": START.isoformat()}
    before = date.today()
    verdict, pv, evaluation = engine.find(profile), engine.explain(profile, "b1-elective"), engine.evaluate(profile)
    after = date.today()
    for day in (verdict.as_of, pv.timeline.begin, evaluation.as_of):
        assert before <= day <= after and day != START
    assert verdict_json(verdict)["as_of"] in (before.isoformat(), after.isoformat())


# (c) the builder's cache --------------------------------------------------------------------


def test_the_same_profile_twice_gives_the_same_objects_and_a_fresh_engines_json(engine, kb):
    profile = {**NO_DEAN, "start_date": START.isoformat()}
    first, second = engine.find(profile, AS_OF), engine.find(profile, AS_OF)
    assert len(first.pathways) == len(second.pathways) > 1
    for a, b in zip(first.pathways, second.pathways):
        assert a is b, a.id
    assert engine.explain(profile, "b1-elective", AS_OF) is first.find("b1-elective")
    fresh = Engine(kb)
    assert verdict_json(first) == verdict_json(second) == verdict_json(fresh.find(profile, AS_OF))


SEQUENCE = [
    NO_DEAN,
    {"citizenships": ["IN"], "stage": "graduate", "postgraduate_years": 1, "school_recognized_by_mbc": True,
     "ecfmg_certified": True, "usmle_passed": ["step1", "step2ck"], "current_us_status": "none",
     "host": {"acgme_position": True}},
    {"stage": "graduate", "postgraduate_years": 1},
    {"citizenships": ["GH"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
     "school_recognized_by_mbc": True, "current_us_status": "none",
     "host": {"dean_approved_elective": True, "affiliation_agreement": True}},
]


def test_a_shared_engine_gives_each_person_what_a_fresh_engine_gives(kb):
    # The verdicts of people evaluated earlier on the same engine must not leak into later ones:
    # two pathways can share a requirement id (one test) with their own text and sources.
    shared = Engine(kb)
    for profile in SEQUENCE:
        assert verdict_json(shared.find(profile, AS_OF)) == verdict_json(Engine(kb).find(profile, AS_OF)), profile


def test_each_requirement_keeps_its_own_pathways_text_and_citations(engine):
    rules = engine.rules(AS_OF)
    compiled = {p.id: p for p in rules.pathways}
    for profile in SEQUENCE:
        for pv in engine.find(profile, AS_OF).pathways:
            for verdict, requirement in zip(pv.requirements, compiled[pv.id].requirements, strict=True):
                assert (verdict.id, verdict.text, verdict.citations, verdict.origin) == \
                       (requirement.id, requirement.text, requirement.citations, requirement.origin), (pv.id, verdict.id)


# (d) weeks to days ------------------------------------------------------------------------


@pytest.mark.parametrize("weeks, expected", [(0, 0), (1, 7), (1.5, 11), (2, 14), (0.1, 1), (0.5, 4), (4.3, 31),
                                             (31.3, 220)])
def test_days_rounds_weeks_up_to_whole_days(weeks, expected):
    assert days(weeks) == timedelta(days=expected)


def test_every_date_of_a_plan_is_its_begin_plus_days_of_its_weeks(engine):
    profile = engine.check({**STUDENT, "start_date": START.isoformat()})
    rules = engine.rules(AS_OF)
    for pathway_id in ("b1-elective", "j1-research-scholar-2111", "h1b-ptl"):
        pv = engine.explain(profile, pathway_id, AS_OF)
        t = pv.timeline
        anchor = t.begin_by if t.begin_by >= t.begin else t.begin
        assert pv.steps
        for s in pv.steps:
            assert s.start_on == t.begin + days(s.starts.typical), (pathway_id, s.id)
            assert s.done_by == t.begin + days(s.finishes.typical), (pathway_id, s.id)
            assert s.due == anchor + days(s.finishes.typical), (pathway_id, s.id)
            assert s.weeks.min <= s.weeks.typical <= s.weeks.max
        # make_plan itself gives the same steps and timeline as the verdict
        compiled = next(p for p in rules.pathways if p.id == pathway_id)
        country = residence(profile)
        plan = make_plan(rules, compiled.steps, rules.evaluate(profile.facts), AS_OF, START,
                         rules.waits.get(country, {}) if country else {})
        assert plan.timeline == t
        assert [(p.step.id, p.starts, p.finishes, p.due) for p in plan.steps] == \
               [(s.id, s.starts, s.finishes, s.due) for s in pv.steps]
        assert timeline_warning(plan, rules.messages) == pv.timeline_warning


# consular waits by post -------------------------------------------------------------------


def test_the_interview_wait_is_that_of_the_persons_country_of_residence(engine):
    day = date(2026, 3, 1)  # the published waits are fresh (under a year old) on this day
    rules = engine.rules(day)
    assert {"UG", "GH"} <= set(rules.waits)
    kampala, accra = rules.waits["UG"]["b"], rules.waits["GH"]["b"]
    assert kampala.weeks != accra.weeks

    def interview(profile):
        pv = engine.explain(profile, "b1-elective", day)
        return next(s for s in pv.steps if s.id == "visa-interview")

    at_home = interview(STUDENT)
    assert at_home.post == kampala.post and at_home.weeks.typical == pytest.approx(kampala.weeks + rules.processing[1])
    abroad = interview({**STUDENT, "residence_country": "GH"})  # a Ugandan living in Ghana applies in Accra
    assert abroad.post == accra.post and abroad.weeks.typical == pytest.approx(accra.weeks + rules.processing[1])
    two = interview({**STUDENT, "citizenships": ["UG", "GB"]})  # no residence, two nationalities: no post
    assert two.post is None


# (e) requirement kinds --------------------------------------------------------------------


def test_a_requirement_reading_only_arrangement_facts_is_an_arrangement(engine):
    arranged = _arrangement_facts()
    assert "host.dean_approved_elective" in arranged
    kinds = set()
    for pathway in engine.rules(AS_OF).pathways:
        for r in pathway.requirements:
            derived = "arrangement" if r.facts and set(r.facts) <= arranged else "eligibility"
            assert r.kind == derived, (pathway.id, r.id, r.facts)
            kinds.add(r.kind)
    assert kinds == {"arrangement", "eligibility"}


def test_a_fact_no_longer_marked_arrangement_makes_its_requirement_eligibility(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    facts = root / "facts.yaml"
    text = facts.read_text()
    head, rest = text.split("host.dean_approved_elective:", 1)
    block, tail = rest.split("\nhost.", 1)
    assert "kind: arrangement" in block
    facts.write_text(head + "host.dean_approved_elective:" + block.replace("  kind: arrangement\n", "") + "\nhost." + tail)
    b1 = Engine(load_knowledge(root)).find(NO_DEAN, AS_OF).find("b1-elective")
    requirement = next(r for r in b1.requirements if r.id == "dean-approved-elective")
    assert requirement.kind == "eligibility"
    assert b1.reachable is False and b1.group == "closed" and b1.would_take.arrange == ()


# (f) policy events between the evaluation and the start date ------------------------------


def _policy(event_id: str) -> dict:
    return yaml.safe_load((KNOWLEDGE_ROOT / "us" / "policies" / f"{event_id}.yaml").read_text())


GRADUATE = {"citizenships": ["PH"], "stage": "graduate", "postgraduate_years": 1, "school_recognized_by_mbc": True,
            "ecfmg_certified": True, "usmle_passed": ["step1", "step2ck", "step3"], "current_us_status": "none",
            "host": {"acgme_position": True, "employment_sponsorship": True}}


NIGERIAN = {**STUDENT, "citizenships": ["NG"]}  # partially restricted from 1 January 2026 (Proclamation 10998)
BURUNDIAN = {**STUDENT, "citizenships": ["BI"]}  # partially restricted from 9 June 2025 (Proclamation 10949)


@pytest.mark.parametrize("event_id, profile, pathway_id", [
    ("entry-restrictions-2026-01", NIGERIAN, "b1-elective"),
    ("h1b-payment-2025", GRADUATE, "h1b-ptl"),
])
def test_an_event_beginning_before_the_start_date_is_a_dated_warning(engine, event_id, profile, pathway_id):
    event = _policy(event_id)
    starts, announced = event["starts"], event["announced"]
    assert isinstance(starts, date) and isinstance(announced, date) and announced < starts - timedelta(days=1)
    person = {**profile, "start_date": (starts + timedelta(days=200)).isoformat()}

    def dated(day):
        pv = engine.explain(person, pathway_id, day)
        return pv, [w for w in pv.warnings if w.on == starts and event["name"] in w.text]

    pv, warnings = dated(starts - timedelta(days=1))
    assert len(warnings) == 1 and starts.isoformat() in warnings[0].text and event["name"] in warnings[0].text
    assert warnings[0].text in pathway_json(pv)["warnings"]
    verdict = engine.find(person, starts - timedelta(days=1))
    assert event_id in [u.id for u in verdict.upcoming if u.on == starts and u.change == "begins"]
    assert event_id in [u["id"] for u in verdict_json(verdict)["upcoming_events"]]
    _, warnings = dated(starts + timedelta(days=1))  # in force now: no longer something to come
    assert warnings == []
    assert event_id not in [u.id for u in engine.find(person, starts + timedelta(days=1)).upcoming]
    _, warnings = dated(announced - timedelta(days=1))  # not yet announced: nobody could have foreseen it
    assert warnings == []
    # nor is it announced to someone whose start comes before it
    early = {**profile, "start_date": (starts - timedelta(days=1)).isoformat()}
    assert not [w for w in engine.explain(early, pathway_id, starts - timedelta(days=1)).warnings if w.on == starts]


def test_an_event_ending_before_the_start_date_once_its_successor_is_announced_is_a_dated_warning(engine):
    ending, successor = _policy("entry-restrictions-2025-06"), _policy("entry-restrictions-2026-01")
    ends = ending["ends"]
    assert successor["starts"] == ends + timedelta(days=1)
    person = {**BURUNDIAN, "start_date": (ends + timedelta(days=120)).isoformat()}
    day = successor["announced"] + timedelta(days=1)
    assert day < ends
    pv = engine.explain(person, "b1-elective", day)
    warnings = [w for w in pv.warnings if w.on == ends and ending["name"] in w.text]
    assert len(warnings) == 1 and ends.isoformat() in warnings[0].text and "in force until" in warnings[0].text
    assert [w for w in pv.warnings if w.on == successor["starts"]]  # and what replaces it
    before = engine.explain(person, "b1-elective", successor["announced"] - timedelta(days=1))
    assert not [w for w in before.warnings if w.on in (ends, successor["starts"])]
    later = engine.explain(person, "b1-elective", ends + timedelta(days=1))
    assert not [w for w in later.warnings if w.on == ends]


def test_an_event_for_other_visas_is_not_a_warning_on_this_pathway(engine):
    event = _policy("h1b-payment-2025")  # reaches H-1B only
    starts = event["starts"]
    person = {**STUDENT, "start_date": (starts + timedelta(days=200)).isoformat()}
    pv = engine.explain(person, "b1-elective", starts - timedelta(days=1))
    assert not [w for w in pv.warnings if w.on == starts]
    graduate = engine.explain({**GRADUATE, "start_date": person["start_date"]}, "h1b-ptl", starts - timedelta(days=1))
    assert [w for w in graduate.warnings if w.on == starts]  # the same day, on an H-1B pathway


def test_two_requirements_of_one_id_keep_their_own_sources_in_one_builder():
    """The same requirement id (and test) under two authorizations, cited differently: the
    verdicts built for one person never lend their sources to the next."""
    from pathways import Engine, verdict_json
    from pathways.rules.profile_file import read_profile

    here = Path(__file__).resolve().parent / "shared-scenarios"
    first, day = read_profile(str(here / "australian-faculty-e3-2113.yaml"))
    second, _ = read_profile(str(here / "ghana-final-year-student-elective.yaml"))
    shared = Engine.load()
    shared.find(first, day)
    assert verdict_json(shared.find(second, day)) == verdict_json(Engine.load().find(second, day))


def test_a_long_lived_engine_gives_each_person_the_verdict_a_fresh_engine_gives(kb):
    """The builder shares verdict objects between people who share what a pathway reads: drawn
    people, one after another in one engine, each get exactly what a new engine gives them."""
    import random

    rng = random.Random(8)
    shared = Engine(kb)
    day = date(2026, 12, 1)
    for _ in range(40):
        person = {"citizenships": [rng.choice(["UG", "KE", "NG", "GB", "IN", "MX", "CA"])],
                  "stage": rng.choice(["student", "graduate"]), "current_us_status": "none", "host": {}}
        for fact in ("final_year", "enrolled_in_us_school", "school_recognized_by_mbc", "ecfmg_certified"):
            if rng.random() < 0.6:
                person[fact] = rng.random() < 0.5
        for key in ("dean_approved_elective", "affiliation_agreement", "research_appointment", "faculty_appointment",
                    "employment_sponsorship", "visiting_fellow_appointment"):
            if rng.random() < 0.5:
                person["host"][key] = rng.random() < 0.5
        if rng.random() < 0.5:
            person["postgraduate_years"] = rng.randint(0, 6)
        if rng.random() < 0.5:
            person["start_date"] = rng.choice(["2027-03-01", "2027-07-05", "2028-01-10"])
        assert verdict_json(shared.find(person, day)) == verdict_json(Engine(kb).find(person, day)), person


@pytest.mark.parametrize("ssn, said", [(None, True), (False, True), (True, False)])
def test_a_requirement_met_by_a_route_says_which(engine, ssn, said):
    """An SSN not held (or not said) on a visa that allows work: the requirement is met because
    it can be requested after arrival, and the verdict says so; held, nothing more is said."""
    person = {"citizenships": ["KE"], "stage": "graduate", "postgraduate_years": 4, "current_us_status": "none",
              "host": {"visiting_fellow_appointment": True, "research_appointment": True}}
    if ssn is not None:
        person["has_ssn_or_itin"] = ssn
    pathway = engine.explain(person, "j1-research-scholar-2111", date(2026, 12, 1))
    ssn_req = next(r for r in pathway.requirements if r.id == "ssn-or-itin")
    assert ssn_req.status == "met"
    assert (ssn_req.met_by is not None and "requested after arrival" in ssn_req.met_by) is said
    assert ("met_by" in next(r for r in pathway_json(pathway)["requirements"] if r["id"] == "ssn-or-itin")) is said



def test_a_change_that_does_not_reach_the_person_is_not_a_warning(engine):
    """Proclamation 10998 is known on 20 December 2025 to begin on 1 January; it does not list
    Uganda, so a Ugandan student with a March start is not warned of it, and a Nigerian is."""
    day, start = date(2025, 12, 20), "2026-03-01"
    ugandan = engine.explain({**STUDENT, "start_date": start}, "b1-elective", day)
    nigerian = engine.explain({**NIGERIAN, "start_date": start}, "b1-elective", day)
    assert not [w for w in ugandan.warnings if w.on == date(2026, 1, 1)]
    assert [w for w in nigerian.warnings if w.on == date(2026, 1, 1)]
    assert not engine.find({**STUDENT, "start_date": start}, day).upcoming
