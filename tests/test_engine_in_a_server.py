"""The engine as a long-running server uses it: one engine shared by a worker's threads, asked
about any day (`?as_of=`) and any person, for months.

1. the rule sets kept in memory are bounded (`DATES_KEPT`), and a day dropped and asked
   again gives the same verdict;
2. threads that evaluate different people at once on one engine get each their own verdict,
   the same one a lone engine gives (the builder's per-person memo is swapped whole).
3. a server's smaller bound on the verdicts, plans and costs kept (`cache_limit`) is kept,
   and changes no verdict.
"""

from __future__ import annotations

import sys
import threading
from datetime import date, timedelta

import numpy as np

from pathways import Engine, verdict_json
from pathways.engine.core import DATES_KEPT
from pathways.rules.profile import Profile

from .test_properties import _random_profile


def test_rule_sets_kept_in_memory_are_bounded_and_a_dropped_day_is_the_same_again(kb):
    engine = Engine(kb)
    person = {"citizenships": ["KE"], "stage": "graduate", "postgraduate_years": 4, "current_us_status": "none",
              "start_date": "2026-06-01"}
    first = date(2025, 10, 1)
    before = verdict_json(engine.find(person, first))
    for n in range(1, DATES_KEPT + 2):
        engine.find(person, first + timedelta(days=n))
        assert len(engine._rules) <= DATES_KEPT and len(engine._builders) <= DATES_KEPT
    assert first not in engine._rules  # the oldest went first
    assert verdict_json(engine.find(person, first)) == before


def test_threads_sharing_an_engine_each_get_their_own_verdict(kb, engine):
    rng = np.random.default_rng(16)
    # On 2025-12-20 the entry restrictions and the visa bonds of 2026-01-01 are announced: for a
    # start date after it, whether they reach a person is decided with that day's rules and the
    # person's own values, which the builder keeps per person while it builds them.
    day, people = date(2025, 12, 20), []
    for i in range(160):
        profile = _random_profile(engine, rng)
        profile["start_date"] = date(2026, 1, 15) + timedelta(days=int(rng.integers(0, 300)))
        people.append((Profile(profile), day))
    alone = Engine(kb)
    expected = [verdict_json(alone.find(p, day)) for p, day in people]
    shared, wrong, errors = Engine(kb), [], []

    def work(offset: int) -> None:
        try:
            for i in range(offset, len(people), 6):
                profile, day = people[i]
                if verdict_json(shared.find(profile, day)) != expected[i]:
                    wrong.append(i)
        except Exception as error:  # noqa: BLE001 (reported below, with the thread's person)
            errors.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: where a race would show
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors
    assert not wrong, f"{len(wrong)} people got another person's verdict: {wrong[:10]}"


def test_a_servers_smaller_cache_bound_is_kept_and_changes_no_verdict(kb, engine):
    rng = np.random.default_rng(5)
    small, day = Engine(kb, cache_limit=4), date(2026, 3, 1)
    for _ in range(40):
        profile = Profile(_random_profile(engine, rng))
        assert verdict_json(small.find(profile, day)) == verdict_json(engine.find(profile, day))
        builder = small._builder(day)
        caches = (builder._requirements, builder._plans, builder._costs, builder._pathways, builder._step_lists)
        assert all(len(cache) <= 4 for cache in caches), [len(cache) for cache in caches]
