"""Rules in time, steps, timelines and costs (issue 3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pathways import verdict_json
from pathways.engine.costs import costs, fee_items
from pathways.engine.plan import days
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
                  "months_in_j_status_past_year": 0,
                  "host": {"research_appointment": True, "visiting_fellow_appointment": True}}


def _plan(engine, data, pathway_id, begin):
    """The pathway's verdict (which carries its plan) evaluated on `begin`, and the checked profile."""
    profile = engine.check(data)
    return engine.plan(profile, pathway_id, begin), profile


def test_the_j1_scholar_plan_puts_the_ssn_after_arrival_then_the_permit_then_clinical_work(engine):
    begin = date(2026, 11, 24)
    verdict, _ = _plan(engine, ABROAD_SCHOLAR, "j1-research-scholar-2111", begin)
    assert verdict.status == "open"
    steps = {s.id: s for s in verdict.steps}
    assert {"arrival", "ssn", "mbc-application"} <= set(steps)
    for case in ("min", "typical", "max"):
        assert getattr(steps["ssn"].starts, case) >= getattr(steps["arrival"].finishes, case), case
        assert getattr(steps["mbc-application"].starts, case) >= getattr(steps["ssn"].finishes, case), case
    assert steps["ssn"].start_on >= steps["arrival"].done_by
    assert steps["mbc-application"].start_on >= steps["ssn"].done_by
    last_permit_step = max((s for s in verdict.steps if s.id.startswith("mbc-")), key=lambda s: s.finishes.min)
    t = verdict.timeline
    assert t.begin == begin
    assert t.earliest_start >= begin + days(last_permit_step.finishes.min)
    assert t.likely_start >= begin + days(last_permit_step.finishes.typical)
    assert (t.earliest_start - begin).days >= 60, "months, not days"


def test_someone_who_already_has_an_ssn_skips_that_step(engine):
    data = {**ABROAD_SCHOLAR, "has_ssn_or_itin": True}
    verdict, _ = _plan(engine, data, "j1-research-scholar-2111", date(2026, 11, 24))
    assert "ssn" not in {s.id for s in verdict.steps}
    with_ssn_step, _ = _plan(engine, ABROAD_SCHOLAR, "j1-research-scholar-2111", date(2026, 11, 24))
    assert "ssn" in {s.id for s in with_ssn_step.steps}


def test_can_this_person_start_on_1_september_is_answered_with_the_deciding_step_and_a_date(engine):
    # can_start is now yes | likely | only-if-fast | no (it was True | None | False), begin_by is the last
    # day for the typical plan and begin_by_safe the last day for the slow one (the old begin_by)
    begin = date(2026, 11, 24)
    later = {**ABROAD_SCHOLAR, "start_date": "2028-09-01"}
    verdict, _ = _plan(engine, later, "j1-research-scholar-2111", begin)
    t = verdict.timeline
    assert t.can_start == "yes" and t.begin_by_safe and begin <= t.begin_by_safe <= t.begin_by <= date(2028, 9, 1)
    assert not t.late
    assert t.deciding_step in t.critical_path and verdict.timeline_warning is None
    soon = {**ABROAD_SCHOLAR, "start_date": "2026-12-01"}
    verdict, _ = _plan(engine, soon, "j1-research-scholar-2111", begin)
    t = verdict.timeline
    assert t.can_start == "no" and t.begin_by < begin and t.late
    warning = verdict.timeline_warning
    assert warning and "cannot be reached" in warning and str(t.earliest_start) in warning
    assert warning in [w.text for w in verdict.warnings]


def test_a_start_date_reached_at_the_usual_pace_but_not_if_slow_is_likely_with_a_warning(engine):
    begin = date(2026, 11, 24)
    verdict, _ = _plan(engine, ABROAD_SCHOLAR, "j1-research-scholar-2111", begin)
    t = verdict.timeline
    assert t.likely_start < t.ready_by  # the typical and slow plans differ, so a day between them exists
    between = t.likely_start + (t.ready_by - t.likely_start) // 2
    verdict, _ = _plan(engine, {**ABROAD_SCHOLAR, "start_date": between.isoformat()}, "j1-research-scholar-2111", begin)
    t = verdict.timeline
    assert t.can_start == "likely" and not t.late and t.begin_by >= begin > t.begin_by_safe
    assert verdict.timeline_warning and str(t.begin_by) in verdict.timeline_warning


PHILIPPINE_RESIDENT = {"citizenships": ["PH"], "stage": "graduate", "postgraduate_years": 1, "school_recognized_by_mbc": True,
                       "ecfmg_certified": True, "usmle_passed": ["step1", "step2ck", "step3"], "current_us_status": "none",
                       "host": {"acgme_position": True, "employment_sponsorship": True}}


def _fee_ids(engine, data, day):
    return {i.id: i for i in engine.explain(data, "h1b-ptl", day).cost.items}


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


def test_the_costs_function_gives_the_verdicts_costs(engine):
    day = date(2025, 10, 1)
    profile = engine.check({**PHILIPPINE_RESIDENT, "duration_weeks": 4, "start_date": "2026-07-01"})
    rules = engine.rules(day)
    pathway = next(p for p in rules.pathways if p.id == "h1b-ptl")
    values = rules.evaluate(profile.facts)
    direct = costs(rules, pathway, values, profile, date(2026, 7, 1))
    verdict = engine.explain(profile, "h1b-ptl", day)
    assert direct == verdict.cost
    assert {i.id for i in fee_items(pathway, values)} <= {i.id for i in direct.items}
    assert direct.min == direct.total("min") <= direct.max == direct.total("max")
    assert sum(low for low, _ in direct.by_payer.values()) == pytest.approx(direct.min)
    assert direct.total("max", "host") >= 100000  # the payment is the host's


def test_living_costs_follow_the_per_diem_of_the_host_city(engine):
    day = date(2025, 11, 1)
    profile = engine.check({**ABROAD_SCHOLAR, "host_city": "san-francisco", "duration_weeks": 4, "start_date": "2026-01-05"})
    verdict = engine.explain(profile, "j1-research-scholar-2111", day)
    item = next(i for i in verdict.cost.items if i.id == "living-costs")
    table = engine.kb.living["gsa-per-diem-fy2026"]
    sf = next(l for l in table.localities if "san-francisco" in l.cities)
    january = sf.lodging_by_month[3]
    assert item.usd_min == item.usd_max == pytest.approx(28 * (january + sf.meals_and_incidentals))
    anywhere = engine.check({**ABROAD_SCHOLAR, "duration_weeks": 4, "start_date": "2026-01-05"})
    item = next(i for i in engine.explain(anywhere, "j1-research-scholar-2111", day).cost.items if i.id == "living-costs")
    assert item.usd_min < item.usd_max
    rules = engine.rules(day)
    pathway = next(p for p in rules.pathways if p.id == "j1-research-scholar-2111")
    direct = costs(rules, pathway, rules.evaluate(anywhere.facts), anywhere, date(2026, 1, 5))
    assert next(i for i in direct.items if i.id == "living-costs") == item


def test_every_pathway_has_steps_that_end_in_arrival_and_cost_what_its_fees_say(engine):
    rules = engine.rules(date(2026, 3, 1))
    for pathway in rules.pathways:
        ids = [s.id for s in pathway.steps]
        assert "arrival" in ids, pathway.id
        assert all(s.citations for s in pathway.steps), pathway.id
        assert all(s.weeks_min <= s.weeks_typical <= s.weeks_max for s in pathway.steps), pathway.id


def test_the_evaluation_json_carries_steps_timeline_costs_and_barriers(engine):
    data = verdict_json(engine.find({**ABROAD_SCHOLAR, "start_date": "2027-09-01"}, date(2026, 11, 24)))
    item = next(p for p in data["pathways"] if p["id"] == "j1-research-scholar-2111")
    assert {"steps", "timeline", "cost_usd", "barriers"} <= set(item)
    step = item["steps"][0]
    assert {"id", "text", "actor", "weeks", "after", "cost_usd", "citations", "start_on", "done_by", "due"} <= set(step)
    assert step["actor"] in ("person", "host", "agency")
    assert step["weeks"]["min"] <= step["weeks"]["typical"] <= step["weeks"]["max"]
    assert item["timeline"]["begin_by"] and item["timeline"]["begin_by_safe"] and item["timeline"]["earliest_start"]
    assert item["timeline"]["can_start"] in ("yes", "likely", "only-if-fast", "no")
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
