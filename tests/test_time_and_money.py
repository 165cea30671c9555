"""Rules in time, steps, timelines and costs (issue 3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pathways.engine.costs import costs
from pathways.engine.plan import make_plan, timeline_warning
from pathways.engine.report import evaluation_json
from pathways.rules.loader import KNOWLEDGE_ROOT, check_knowledge

DAY = timedelta(days=1)


def _events(kb):
    return sorted(kb.policies.values(), key=lambda e: e.starts)


def _boundaries(event):
    """The day before, the day of and the day after the start, and the same around the end."""
    days = [(event.starts - DAY, False), (event.starts, True), (event.starts + DAY, True)]
    if event.ends:
        days += [(event.ends - DAY, True), (event.ends, True), (event.ends + DAY, False)]
    return days


EVENT_IDS = sorted(p.stem for p in (KNOWLEDGE_ROOT / "us" / "policies").glob("*.yaml"))


@pytest.mark.parametrize("event_id", EVENT_IDS)
def test_every_event_is_in_force_exactly_from_its_first_to_its_last_day(engine, event_id):
    event = engine.kb.policies[event_id]
    for day, in_force in _boundaries(event):
        rules = engine.rules(day)
        assert (event_id in rules.events) is in_force, (event_id, day)
        for effect in event.effects:
            for pathway in rules.pathways:
                if pathway.visa not in effect.visas:
                    continue
                if effect.requirement:
                    # the requirement is there while in force, unless another event adds the same one
                    ids = {r.id for r in pathway.requirements if r.origin == f"policy:{event_id}"}
                    assert (effect.requirement.id in ids) is in_force, (event_id, day, pathway.id)
                if effect.warning:
                    ids = {w.id for w in pathway.warnings if w.origin == f"policy:{event_id}"}
                    assert (effect.warning.id in ids) is in_force, (event_id, day, pathway.id)
                if effect.fee:
                    ids = {f.id for f in pathway.fees}
                    covered = effect.fee.from_ <= day and (effect.fee.until is None or day <= effect.fee.until)
                    # the same fee may continue under the next event (the H-1B payment's periods)
                    elsewhere = any(e.id != event_id and e.starts <= day and (e.ends is None or day <= e.ends)
                                    and any(x.fee and x.fee.id == effect.fee.id for x in e.effects)
                                    for e in engine.kb.policies.values())
                    assert (effect.fee.id in ids) is ((in_force and covered) or elsewhere), (event_id, day, pathway.id)


def test_the_events_the_reference_lists_are_all_in(engine):
    kinds = {e.kind for e in engine.kb.policies.values()}
    assert {"entry-restriction", "payment", "interview-pause", "consular-rule", "fee", "court-order"} <= kinds


ABROAD_SCHOLAR = {"citizenships": ["KE"], "stage": "graduate", "postgraduate_years": 4, "current_us_status": "none",
                  "host": {"research_appointment": True, "visiting_fellow_appointment": True}}


def _plan(engine, data, pathway_id, begin):
    profile = engine.check(data)
    result = engine.explain(profile, pathway_id, begin)
    return result, make_plan(result, begin, profile.get("start_date")), profile


def test_the_j1_scholar_plan_puts_the_ssn_after_arrival_then_the_permit_then_clinical_work(engine):
    begin = date(2026, 11, 24)
    result, plan, _ = _plan(engine, ABROAD_SCHOLAR, "j1-research-scholar-2111", begin)
    assert result.status == "open"
    steps = {p.step.id: p for p in plan.steps}
    assert {"arrival", "ssn", "mbc-application"} <= set(steps)
    assert steps["ssn"].start_min >= steps["arrival"].finish_min
    assert steps["mbc-application"].start_min >= steps["ssn"].finish_min
    last_permit_step = max((p for p in plan.steps if p.step.id.startswith("mbc-")), key=lambda p: p.finish_min)
    assert plan.earliest_start >= begin + timedelta(days=round(last_permit_step.finish_min * 7))
    assert (plan.earliest_start - begin).days >= 60, "months, not days"


def test_someone_who_already_has_an_ssn_skips_that_step(engine):
    data = {**ABROAD_SCHOLAR, "has_ssn_or_itin": True}
    _, plan, _ = _plan(engine, data, "j1-research-scholar-2111", date(2026, 11, 24))
    assert "ssn" not in {p.step.id for p in plan.steps}


def test_can_this_person_start_on_1_september_is_answered_with_the_deciding_step_and_a_date(engine):
    begin = date(2026, 11, 24)
    later = {**ABROAD_SCHOLAR, "start_date": "2028-09-01"}
    _, plan, _ = _plan(engine, later, "j1-research-scholar-2111", begin)
    assert plan.can_start is True and plan.begin_by and begin <= plan.begin_by <= date(2028, 9, 1)
    assert plan.deciding_step in plan.critical and timeline_warning(plan) is None
    soon = {**ABROAD_SCHOLAR, "start_date": "2026-12-01"}
    _, plan, _ = _plan(engine, soon, "j1-research-scholar-2111", begin)
    assert plan.can_start is False and plan.begin_by < begin
    warning = timeline_warning(plan)
    assert warning and "cannot be reached" in warning and str(plan.earliest_start) in warning


PHILIPPINE_RESIDENT = {"citizenships": ["PH"], "stage": "graduate", "postgraduate_years": 1, "school_recognized_by_mbc": True,
                       "ecfmg_certified": True, "usmle_passed": ["step1", "step2ck", "step3"], "current_us_status": "none",
                       "host": {"acgme_position": True, "employment_sponsorship": True}}


def _fee_ids(engine, data, day):
    profile = engine.check(data)
    result = engine.explain(profile, "h1b-ptl", day)
    plan = make_plan(result, day, None)
    return {i.id: i for i in costs(engine.rules(day), result, profile, plan.earliest_start).items}


def test_the_h1b_payment_is_a_cost_only_while_collected_and_only_for_people_abroad(engine):
    assert "h1b-100000-payment" not in _fee_ids(engine, PHILIPPINE_RESIDENT, date(2025, 9, 20))
    item = _fee_ids(engine, PHILIPPINE_RESIDENT, date(2025, 9, 21))["h1b-100000-payment"]
    assert item.usd_min == item.usd_max == 100000 and item.payer == "host"
    in_status = {**PHILIPPINE_RESIDENT, "current_us_status": "h-1b"}
    assert "h1b-100000-payment" not in _fee_ids(engine, in_status, date(2025, 10, 1))
    unknown = {k: v for k, v in PHILIPPINE_RESIDENT.items() if k != "current_us_status"}
    item = _fee_ids(engine, unknown, date(2025, 10, 1))["h1b-100000-payment"]
    assert item.usd_min == 0 and item.usd_max == 100000  # may be owed: in the maximum only
    assert "h1b-100000-payment" not in _fee_ids(engine, PHILIPPINE_RESIDENT, date(2026, 10, 1))


def test_living_costs_follow_the_per_diem_of_the_host_city(engine):
    profile = engine.check({**ABROAD_SCHOLAR, "host_city": "san-francisco", "duration_weeks": 4, "start_date": "2026-01-05"})
    result = engine.explain(profile, "j1-research-scholar-2111", date(2025, 11, 1))
    item = next(i for i in costs(engine.rules(date(2025, 11, 1)), result, profile, date(2026, 1, 5)).items if i.id == "living-costs")
    table = engine.kb.living["gsa-per-diem-fy2026"]
    sf = next(l for l in table.localities if "san-francisco" in l.cities)
    january = sf.lodging_by_month[3]
    assert item.usd_min == item.usd_max == pytest.approx(28 * (january + sf.meals_and_incidentals))
    anywhere = engine.check({**ABROAD_SCHOLAR, "duration_weeks": 4, "start_date": "2026-01-05"})
    item = next(i for i in costs(engine.rules(date(2025, 11, 1)), result, anywhere, date(2026, 1, 5)).items if i.id == "living-costs")
    assert item.usd_min < item.usd_max


def test_every_pathway_has_steps_that_end_in_arrival_and_cost_what_its_fees_say(engine):
    rules = engine.rules(date(2026, 3, 1))
    for pathway in rules.pathways:
        ids = [s.id for s in pathway.steps]
        assert "arrival" in ids, pathway.id
        assert all(s.citations for s in pathway.steps), pathway.id


def test_the_evaluation_json_carries_steps_timeline_costs_and_barriers(engine):
    data = evaluation_json(engine.find({**ABROAD_SCHOLAR, "start_date": "2027-09-01"}, date(2026, 11, 24)))
    item = next(p for p in data["pathways"] if p["id"] == "j1-research-scholar-2111")
    assert {"steps", "timeline", "cost_usd", "barriers"} <= set(item)
    step = item["steps"][0]
    assert {"id", "text", "actor", "weeks", "after", "cost_usd", "citations"} <= set(step)
    assert step["actor"] in ("person", "host", "agency") and step["weeks"]["min"] <= step["weeks"]["max"]
    assert item["timeline"]["begin_by"] and item["timeline"]["earliest_start"]
    assert {"min", "max", "items"} <= set(item["cost_usd"]) and item["cost_usd"]["min"] <= item["cost_usd"]["max"]
    assert data["rules_checked"]


def test_old_policy_facts_are_flagged_in_the_output_and_in_kb_check(engine):
    assert engine.rules(date(2026, 11, 24)).stale == ()
    later = engine.rules(date(2027, 9, 1))
    assert later.stale and all("last checked on" in note for note in later.stale)
    flagged = [p for p in check_knowledge(today=date(2027, 9, 1)) if p.severity == "stale" and p.file.startswith("us/policies/")]
    assert flagged and all("policy fact" in p.message or "more than a year" in p.message for p in flagged)


def test_the_visa_integrity_fee_is_listed_as_enacted_but_not_collected(engine):
    items = _fee_ids(engine, PHILIPPINE_RESIDENT, date(2026, 3, 1))
    assert items["visa-integrity-fee"].usd_max is None and "no amount is being collected" in items["visa-integrity-fee"].text
    assert "visa-integrity-fee" not in _fee_ids(engine, PHILIPPINE_RESIDENT, date(2025, 7, 3))
