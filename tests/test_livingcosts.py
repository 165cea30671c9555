"""Living costs of many stays at once (engine/livingcosts.py) are costs.living_item's, stay by stay.

The batch prices thousands of stays together: nights counted per rate table and month from
running counts over the days, one matrix product, and costs.living_item's own text, citations
and notes for each kind of stay. These tests hold every stay's answer to costs.living_item's,
on the knowledge base's rates and on rate tables made to have a gap, an overlap and cents.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from pathways.engine.costs import living_item
from pathways.engine.livingcosts import Stays

CITIES = [None, "san-francisco", "irvine", "riverside", "san-diego", "palo-alto", "davis", "fresno"]
WEEKS = [None, 0, 0.5, 1, 1.5, 3.3, 4, 13, 20, 52, 104, 520]


def _stays(rng, n: int, first: date, days: int) -> tuple[np.ndarray, list, list]:
    arrive = np.array([first.toordinal() + int(rng.integers(0, days)) for _ in range(n)], dtype=np.int64)
    weeks = [WEEKS[int(rng.integers(len(WEEKS)))] for _ in range(n)]
    cities = [CITIES[int(rng.integers(len(CITIES)))] for _ in range(n)]
    return arrive, weeks, cities


def _same(stays: Stays, rules, arrive, weeks, cities) -> int:
    """How many stays' answers differ from costs.living_item's (text, citations, notes, amounts)."""
    kinds, lows, highs = stays.many(arrive, weeks, cities)
    wrong = 0
    for a, w, c, k, low, high in zip(arrive.tolist(), weeks, cities, kinds.tolist(), lows.tolist(), highs.tolist()):
        item, note = living_item(rules, {"duration_weeks": w, "host_city": c}, date.fromordinal(a), stays.jurisdiction)
        kind_item, kind_note = stays.kinds[k]
        if note != kind_note or (item is None) != (kind_item is None):
            wrong += 1
        elif item is not None and (replace(kind_item, usd_min=low, usd_max=high) != item):
            wrong += 1
    return wrong


@pytest.mark.parametrize("day", [date(2025, 10, 1), date(2026, 3, 1)])
@pytest.mark.parametrize("state", ["ca", "oh"])
def test_many_stays_cost_what_each_costs_alone(engine, day, state):
    rules = engine.rules(day)
    stays = Stays(rules, state)
    arrive, weeks, cities = _stays(np.random.default_rng(7), 2000, date(2025, 1, 1), 900)
    assert _same(stays, rules, arrive, weeks, cities) == 0
    assert stays.exact  # whole-dollar rates: priced many at once, not one by one
    assert len(stays.kinds) < 600  # ... and their texts asked for once per kind of stay


def test_tables_with_a_gap_an_overlap_and_a_later_rate(engine):
    """Nights before the first table, in a gap between two, where two overlap, and after the last;
    a locality that only one table lists."""
    rules = engine.rules(date(2026, 3, 1))
    table = next(t for t in rules.per_diem if t.jurisdiction == "ca")
    dearer = replace(table, id="later", start=table.end + timedelta(days=40), end=table.end + timedelta(days=400),
                     localities=tuple(replace(loc, lodging_by_month=tuple(v + 17 for v in loc.lodging_by_month))
                                      for loc in table.localities[:-2]))
    overlapping = replace(table, id="overlap", start=table.start + timedelta(days=100), end=table.start + timedelta(days=130),
                          localities=table.localities[2:])
    made = replace(rules, per_diem=(table, dearer, overlapping))
    stays = Stays(made, "ca")
    arrive, weeks, cities = _stays(np.random.default_rng(11), 3000, table.start - timedelta(days=60), 900)
    assert _same(stays, made, arrive, weeks, cities) == 0
    assert stays.exact


def test_rates_with_cents_are_priced_one_stay_at_a_time(engine):
    """Sums of cents depend on their order: costs.py then prices every stay itself."""
    rules = engine.rules(date(2026, 3, 1))
    table = next(t for t in rules.per_diem if t.jurisdiction == "ca")
    cents = replace(table, localities=tuple(replace(loc, meals=loc.meals + 0.1) for loc in table.localities))
    made = replace(rules, per_diem=(cents,))
    stays = Stays(made, "ca")
    assert not stays.exact
    arrive, weeks, cities = _stays(np.random.default_rng(13), 400, table.start, 300)
    assert _same(stays, made, arrive, weeks, cities) == 0
