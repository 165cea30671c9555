"""What the engine and the JSON writer share between people (issue 16: a server asked about a
new person on every request) is bounded, and changes no answer.

- The builder keeps what a pathway's verdict says whatever the plan (`_judged`: requirements,
  the rules' warnings, what it would take, programmes) by the tests' values and the facts
  read; a plan by pathway, needed steps, start date and the waits its interviews use (people
  of countries whose posts' waits are the same share it); a plan's warnings by the plan;
  upcoming policy events once per person and pathway; the fees owed per pathway and answers.
- A server's smaller bound (`cache_limit`) holds for every one of those, and for the rules'
  own memos (living costs, fees, layouts); BatchWriter keeps the texts of shared parts within
  its own bound.
- Whatever is shared, each answer is the one an engine that shares nothing gives, to the byte.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from pathways import BatchWriter, Engine, verdict_json
from pathways.engine.report import pathway_json
from pathways.rules.jsontext import json_bytes
from pathways.rules.profile import Profile

from .test_properties import _random_profile

# a day on which policy events are announced to begin after it (so upcoming events and their
# warnings are built), and two others
DAYS = (date(2025, 12, 20), date(2026, 3, 1), date(2026, 10, 1))
STUDENT = {"stage": "student", "enrolled_in_us_school": False, "final_year": True, "school_recognized_by_mbc": True,
           "current_us_status": "none", "host": {"dean_approved_elective": True}, "desired_contact": "supervised"}


def _people(engine, count: int, seed: int):
    """Random people, most with a start date and stay of their own (nothing the engine has kept)."""
    rng, found = np.random.default_rng(seed), []
    while len(found) < count:
        facts = _random_profile(engine, rng)
        if rng.random() < 0.8:
            facts["start_date"] = date(2025, 11, 1) + timedelta(days=int(rng.integers(0, 900)))
            facts["duration_weeks"] = float(rng.integers(1, 30))
        found.append((Profile(facts), DAYS[len(found) % len(DAYS)]))
    return found


def _unshared(verdict) -> bytes:
    """The evaluation's compact JSON, every pathway written afresh (no text kept)."""
    return json_bytes(verdict_json(verdict))


def test_answers_built_from_shared_parts_are_those_of_an_engine_that_shares_nothing(kb, engine):
    apart = Engine(kb, cache_limit=1)  # every cache cleared on each entry: nothing kept from one person to the next
    writers = {detail: BatchWriter(detail, max_cached=8) for detail in ("full", "summary")}  # parts dropped often
    upcoming = 0
    for profile, day in _people(engine, 240, seed=16) * 2:  # twice: the second time from what was kept
        shared, alone = engine.find(profile, day, "all"), apart.find(profile, day, "all")
        assert writers["full"].encode(shared) == _unshared(alone)
        assert writers["summary"].encode(shared) == json_bytes(verdict_json(alone, "summary"))
        upcoming += bool(alone.upcoming)
    assert upcoming > 20  # the events announced before a start date were among what was compared


def test_people_whose_interview_waits_are_the_same_share_a_plan_and_others_get_their_own(kb):
    engine, day, start = Engine(kb), DAYS[1], date(2026, 9, 1)
    waits = engine.rules(day).waits
    alike = [c for c in ("KE", "TZ", "MX", "SD") if c not in waits][:2]  # no published wait: the typical one
    waiting = next(c for c in ("UG", "NG", "GH", "MA") if "b" in waits.get(c, {}))  # its post's B visa wait
    assert len(alike) == 2

    def b1(country: str):
        verdict = engine.find({**STUDENT, "citizenships": [country], "start_date": start.isoformat(),
                               "duration_weeks": 6}, day)
        return verdict.find("b1-elective"), verdict

    (first, _), (second, _), (third, third_verdict) = b1(alike[0]), b1(alike[1]), b1(waiting)
    assert first.timeline is second.timeline  # one plan for both (their steps too, where they owe the same fees)
    assert (first.steps is second.steps) == (first.cost is second.cost)
    assert third.timeline is not first.timeline
    post = waits[waiting]["b"].post
    assert [s.post for s in third.steps if s.id == "visa-interview"] == [post]
    assert [s.post for s in first.steps if s.id == "visa-interview"] == [None]
    for country, pathway in ((alike[1], second), (waiting, third)):  # each the same as a lone engine's
        alone = Engine(kb, cache_limit=1).find({**STUDENT, "citizenships": [country], "start_date": start.isoformat(),
                                                "duration_weeks": 6}, day).find("b1-elective")
        assert pathway_json(pathway) == pathway_json(alone)


def test_upcoming_events_worked_out_once_per_person_and_pathway_are_those_worked_out_afresh(engine):
    day = DAYS[0]
    builder, rules = engine._builder(day), engine.rules(day)
    seen = set()
    for profile, _ in _people(engine, 60, seed=4):
        start = profile.get("start_date")
        for p in rules.pathways:
            kept = builder.upcoming(start, p.visa, p.id, profile)
            assert kept == builder._upcoming(start, p.visa, p.id, profile) if start else kept == ()
            assert builder.upcoming(start, p.visa, p.id, profile) is kept  # the second time, from the memo
            seen.add(tuple(u.id for u in kept))
    assert len(seen) > 2  # different people and visas reached different events
    assert builder.upcoming(day, "b-1") == ()  # nothing begins by the day itself


def test_a_servers_bound_holds_for_every_cache_and_memo(kb):
    small, limit = Engine(kb, cache_limit=6), 6
    writer = BatchWriter("full", max_cached=3)
    for profile, day in _people(small, 90, seed=7):
        writer.encode(small.find(profile, day))
        builder, rules = small._builder(day), small.rules(day)
        caches = {name: len(getattr(builder, name)) for name in ("_judged", "_requirements", "_plans", "_costs",
                                                                 "_pathways", "_step_lists", "_plan_sentences")}
        memos = {name: len(rules.__dict__.get(name, ())) for name in ("living", "fees", "layouts")}
        assert max(caches.values()) <= limit, caches
        assert max(memos.values()) <= limit, memos
        assert len(writer._texts) <= 3 and len(writer._parts) <= 3
    assert rules.__dict__["living"]  # the memos were used, and so bounded, not bypassed
