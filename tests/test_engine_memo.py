"""What the engine keeps per rule set to build verdicts faster (issue 16) changes no answer.

- Living costs are counted a stretch at a time (a month, or up to a rate table's start or
  end) and kept per arrival, stay, city and state: the same items and notes as counting
  night by night, over rate tables that overlap, leave gaps and end before the stay does.
- A plan's layout in weeks is kept per pathway, needed steps and post, and only dated per
  start date: the same plans as laid out afresh for each person.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

from pathways.engine.costs import CostItem, _table, living_item
from pathways.engine.plan import days, make_plan
from pathways.rules.messages import say
from pathways.rules.profile import Profile

from .test_properties import _random_profile


def _night_by_night(rules, profile, arrive: date, jurisdiction: str):
    """The count as it was made before: every night looked up on its own."""
    weeks = profile.get("duration_weeks")
    if weeks is None:
        return None, "Living costs are left out: the length of stay (duration_weeks) is not known."
    nights, city = days(weeks).days, profile.get("host_city")
    counts, used = {}, {}
    for night in range(nights):
        day = arrive + timedelta(days=night)
        table = _table(rules, day, jurisdiction)
        if table is None:
            return None, say(rules.messages, "living-costs-no-rates")
        used[table.id] = table
        key = (table.id, (day.month - 10) % 12)
        counts[key] = counts.get(key, 0) + 1
    totals = {}
    for (table_id, month), count in counts.items():
        for locality in used[table_id].localities:
            if city is None or city in locality.cities:
                totals[locality.id] = totals.get(locality.id, 0.0) + count * (locality.lodging_by_month[month] + locality.meals)
    if not totals:
        return None, say(rules.messages, "living-costs-no-locality", city=rules.city_names.get(city, city))
    note = None
    if any(t.end < arrive + timedelta(days=nights - 1) for t in used.values()):
        note = say(rules.messages, "living-costs-after-latest-rates")
    text = (say(rules.messages, "living-costs-in-city", nights=nights, city=rules.city_names[city]) if city
            else say(rules.messages, "living-costs-any-city", nights=nights))
    return CostItem("living-costs", text, round(min(totals.values()), 2), round(max(totals.values()), 2), "person",
                    tuple(dict.fromkeys(c for t in used.values() for c in t.citations)), None,
                    tuple(dict.fromkeys(c for t in used.values() for c in t.source_ids))), note


def _scaled(table, table_id: str, start: date, end: date, jurisdiction: str, factor: float):
    localities = tuple(dataclasses.replace(x, lodging_by_month=tuple(v * factor for v in x.lodging_by_month),
                                           meals=x.meals * factor) for x in table.localities)
    return dataclasses.replace(table, id=table_id, start=start, end=end, jurisdiction=jurisdiction, localities=localities)


def test_living_costs_by_stretches_are_those_counted_night_by_night(engine):
    rules = engine.rules(date(2026, 3, 1))
    base = rules.per_diem[0]
    tables = (_scaled(base, "earlier", base.start.replace(year=base.start.year - 1), base.start - timedelta(days=1), "ca", 0.9),
              base,
              _scaled(base, "after-a-gap", base.end.replace(year=base.end.year + 1), base.end.replace(year=base.end.year + 2), "ca", 1.2),
              _scaled(base, "oh-a", date(2025, 1, 15), date(2026, 2, 10), "oh", 0.7),
              _scaled(base, "oh-b", date(2025, 6, 1), date(2025, 12, 31), "oh", 0.8))  # inside oh-a
    several = dataclasses.replace(rules, per_diem=tables, evaluate=None)
    cities = [None, "Nowhere"] + sorted({c for x in base.localities for c in x.cities})
    rng = random.Random(16)
    for _ in range(400):
        arrive = date(2023, 6, 1) + timedelta(days=rng.randint(0, 2200))
        facts = {"duration_weeks": rng.choice([0, 0.5, 1, 4, 12.5, 52, 104, 520])}
        if (city := rng.choice(cities)) is not None:
            facts["host_city"] = city
        for jurisdiction in ("ca", "oh", "tn"):
            for kept in (several, rules):
                assert living_item(kept, Profile(facts), arrive, jurisdiction) == \
                    _night_by_night(kept, Profile(facts), arrive, jurisdiction), (arrive, facts, jurisdiction)


def test_plans_from_kept_layouts_are_those_laid_out_afresh(engine):
    rng_profiles = __import__("numpy").random.default_rng(3)
    rng = random.Random(3)
    for day in (date(2025, 10, 1), date(2026, 3, 1)):
        rules = engine.rules(day)
        people = [Profile(_random_profile(engine, rng_profiles)) for _ in range(60)]
        for person in people:
            values = rules.evaluate(person.facts)
            start = rng.choice([None, day + timedelta(days=rng.randint(0, 700))])
            country = rng.choice([None, "NG", "IN", "MX", "GB"])
            waits = rules.waits.get(country, {}) if country else {}
            for pathway in rules.pathways:
                kept = make_plan(rules, pathway.steps, values, day, start, waits)
                rules.__dict__.pop("layouts", None)  # nothing kept: laid out afresh
                assert make_plan(rules, pathway.steps, values, day, start, waits) == kept
