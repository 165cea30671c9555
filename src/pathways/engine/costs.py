"""What a pathway costs: the fees in force on the rules' date, and living costs.

A fee is counted at the step that pays it, if that step is needed. A fee owed only by
some people (`when`) counts in both the minimum and the maximum when it applies to the
person, in the maximum only when we do not know. Living costs for the length of stay
come from the federal per diem rates of the host's city (lodging by month, meals and
incidentals by day); without a city, the cheapest and dearest localities bound them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..rules.messages import say
from .compiled import PerDiem, Rules
from .plan import days, memo


@dataclass(frozen=True)
class CostItem:
    id: str
    text: str
    usd_min: float | None
    usd_max: float | None
    payer: str
    citations: tuple[str, ...]
    step: str | None = None
    sources: tuple[str, ...] = ()  # the citations' source ids

    @property
    def usd(self) -> float | None:
        """The amount when it is certain; None when it is a range or not set."""
        return self.usd_min if self.usd_min == self.usd_max else None


@dataclass(frozen=True)
class Costs:
    items: tuple[CostItem, ...]
    notes: tuple[str, ...] = field(default=())

    def total(self, bound: str, payer: str | None = None) -> float:
        name = "usd_" + bound
        return sum([getattr(i, name) or 0 for i in self.items if payer is None or i.payer == payer])

    @property
    def min(self) -> float:
        return self.total("min")

    @property
    def max(self) -> float:
        return self.total("max")

    def totals(self) -> tuple[float, float, dict[str, tuple[float, float]]]:
        """`min`, `max` and `by_payer` from one pass over the items (the same sums, in the same order)."""
        low, high, paid = [], [], {}
        for i in self.items:
            least, most = i.usd_min or 0, i.usd_max or 0
            low.append(least)
            high.append(most)
            found = paid.get(i.payer)
            if found is None:
                found = paid[i.payer] = ([], [])
            found[0].append(least)
            found[1].append(most)
        return sum(low), sum(high), {p: (sum(paid[p][0]), sum(paid[p][1])) for p in ("person", "host", "either")
                                     if p in paid}

    @property
    def by_payer(self) -> dict[str, tuple[float, float]]:
        """payer -> (min, max), for the payers that pay anything here."""
        paying = {i.payer for i in self.items}
        return {p: (self.total("min", p), self.total("max", p)) for p in ("person", "host", "either") if p in paying}

    def at_step(self, step_id: str) -> float | None:
        """What the step costs at most, or None when it pays nothing."""
        paid = [i.usd_max for i in self.items if i.step == step_id and i.usd_max is not None]
        return sum(paid) if paid else None


def totals_with(totals: tuple, item: CostItem) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """`Costs(items + (item,)).totals()` from `Costs(items).totals()`: the item's amounts added last,
    as sum() adds them one after the other (up to Python 3.11, sentinels.NAIVE_SUM: 3.12 compensates)."""
    least, most, paid = totals
    low, high = item.usd_min or 0, item.usd_max or 0
    payer = paid.get(item.payer, (0, 0))
    paid = {**paid, item.payer: (payer[0] + low, payer[1] + high)}
    return least + low, most + high, {p: paid[p] for p in ("person", "host", "either") if p in paid}


def fee_items(pathway, values) -> list[CostItem]:
    by_id: dict[str, list] = {}
    for fee in pathway.fees:
        by_id.setdefault(fee.id, []).append(fee)
    items = []
    for step in pathway.steps:
        if values[step.slot] is False:
            continue
        for fee_id in step.fees:
            for fee in by_id.get(fee_id, []):
                owed = values[fee.slot]
                if owed is False:
                    continue
                # a range set by an officer (the visa bond): its least when owed, its most in the maximum
                least = getattr(fee, "usd_min", None)
                low = (fee.usd if least is None else least) if owed is True else 0.0
                items.append(CostItem(fee.id, fee.text, low if fee.usd is not None else None, fee.usd,
                                      fee.payer, fee.citations, step.id, fee.source_ids))
    return items


def _table(rules: Rules, day: date, jurisdiction: str) -> PerDiem | None:
    """The state's rates in force that day, else the latest published before it."""
    tables = _tables(rules, jurisdiction)
    earlier = [t for t in tables if t.start <= day]
    current = [t for t in earlier if day <= t.end]
    return (current or earlier or [None])[-1] if tables else None


def living_item(rules: Rules, profile, arrive: date, jurisdiction: str = "ca") -> tuple[CostItem | None, str | None]:
    weeks = profile.get("duration_weeks")
    if weeks is None:
        return None, say(rules.messages, "living-costs-no-stay")
    nights = days(weeks).days  # the one rounding of weeks to days (plan.py)
    # a person's pathways mostly arrive on the same day, and people who share a start date,
    # stay and city share what it costs
    living = memo(rules, "living")
    key = (arrive, nights, profile.get("host_city"), jurisdiction)
    found = living.get(key)
    if found is None:
        found = living[key] = _living(rules, arrive, nights, key[2], jurisdiction)
    return found


def _nights(rules: Rules, arrive: date, nights: int, jurisdiction: str):
    """(table, month index, nights) in the order of the stay, a stretch at a time: the table and
    the month's rates hold from one month's start or a table's start or end to the next."""
    edges = _edges(rules, jurisdiction)
    day, leave = arrive, arrive + timedelta(days=nights)
    while day < leave:
        month_end = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        until = min([leave, month_end] + [e for e in edges if e > day][:1])
        yield _table(rules, day, jurisdiction), (day.month - 10) % 12, (until - day).days  # October first
        day = until


def _tables(rules: Rules, jurisdiction: str) -> list[PerDiem]:
    """A state's rate tables, listed once per rules."""
    tables = memo(rules, "per_diem_tables")
    found = tables.get(jurisdiction)
    if found is None:
        found = tables[jurisdiction] = [t for t in rules.per_diem if t.jurisdiction == jurisdiction]
    return found


def _edges(rules: Rules, jurisdiction: str) -> list[date]:
    """The days on which a state's rate tables begin, or end the day before: worked out once per rules."""
    edges = memo(rules, "per_diem_edges")
    found = edges.get(jurisdiction)
    if found is None:
        tables = _tables(rules, jurisdiction)
        found = edges[jurisdiction] = sorted({t.start for t in tables} | {t.end + timedelta(days=1) for t in tables})
    return found


def _rates(rules: Rules, table: PerDiem, month: int, city: str | None) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The localities of a table's month, for the city or every one, and a night's lodging and meals in each."""
    rates = memo(rules, "per_diem_rates")
    key = (table.id, month, city)
    found = rates.get(key)
    if found is None:
        chosen = [locality for locality in table.localities if city is None or city in locality.cities]
        found = rates[key] = (tuple([locality.id for locality in chosen]),
                              tuple([locality.lodging_by_month[month] + locality.meals for locality in chosen]))
    return found


def _living(rules: Rules, arrive: date, nights: int, city: str | None, jurisdiction: str):
    # nights counted per rate table and month: the rates change by month, not by night
    counts: dict[tuple[str, int], int] = {}
    used: dict[str, PerDiem] = {}
    for table, month, count in _nights(rules, arrive, nights, jurisdiction):
        if table is None:
            return None, say(rules.messages, "living-costs-no-rates")
        used[table.id] = table
        counts[(table.id, month)] = counts.get((table.id, month), 0) + count
    totals = _totals(rules, used, counts, city)
    if not totals:
        return None, say(rules.messages, "living-costs-no-locality", city=rules.city_names.get(city, city))
    citations = tuple(dict.fromkeys(c for t in used.values() for c in t.citations))
    sources = tuple(dict.fromkeys(c for t in used.values() for c in t.source_ids))
    note = None
    if any(t.end < arrive + timedelta(days=nights - 1) for t in used.values()):
        note = say(rules.messages, "living-costs-after-latest-rates")
    text = (say(rules.messages, "living-costs-in-city", nights=nights, city=rules.city_names.get(city, city)) if city
            else say(rules.messages, "living-costs-any-city", nights=nights))
    return CostItem("living-costs", text, round(min(totals), 2), round(max(totals), 2),
                    "person", citations, None, sources), note


def _totals(rules: Rules, used: dict, counts: dict, city: str | None) -> list[float]:
    """Each locality's nights times its rates, added month after month in the order of the stay."""
    if len(used) == 1:  # one table: the same localities every month, added up side by side
        sums = None
        for (table_id, month), count in counts.items():
            rates = _rates(rules, used[table_id], month, city)[1]
            sums = [0.0 + count * rate for rate in rates] if sums is None else [
                total + count * rate for total, rate in zip(sums, rates)]
        return sums or []
    totals: dict[str, float] = {}
    for (table_id, month), count in counts.items():
        for locality, rate in zip(*_rates(rules, used[table_id], month, city)):
            totals[locality] = totals.get(locality, 0.0) + count * rate
    return list(totals.values())


def owed_fees(rules: Rules, pathway, values) -> tuple[CostItem, ...]:
    """`fee_items`, worked out once per pathway and answer to each of its steps' and fees' `when`:
    everyone who owes the same fees shares the same items (and BatchWriter their texts)."""
    owed = (pathway.id, tuple([values[s.slot] for s in pathway.steps]), tuple([values[f.slot] for f in pathway.fees]))
    found = memo(rules, "fees").get(owed)
    if found is None:
        found = memo(rules, "fees")[owed] = tuple(fee_items(pathway, values))
    return found


def costs(rules: Rules, pathway, values, profile, arrive: date) -> Costs:
    fees = owed_fees(rules, pathway, values)
    living, note = living_item(rules, profile, arrive, pathway.jurisdiction)
    items = (*fees, living) if living else fees
    notes = [note] if note else []
    if living is not None and living.usd_max is None:  # (the stay's costs are always added up)
        unset = _unset_note(rules, items)
    else:
        unset = _unset_fees_note(rules, fees)
    if unset:
        notes.append(unset)
    return Costs(items, tuple(notes))


def _unset_fees_note(rules: Rules, fees: tuple[CostItem, ...]) -> str | None:
    """`_unset_note` of owed fees, said once per fees (owed_fees shares them)."""
    said = memo(rules, "unset_fees")
    found = said.get(id(fees))
    if found is None or found[0] is not fees:  # kept with them, so that their id is not reused
        found = said[id(fees)] = (fees, _unset_note(rules, fees))
    return found[1]


def _unset_note(rules: Rules, items) -> str | None:
    unset = [i for i in items if i.usd_max is None]
    return say(rules.messages, "fees-not-collected", fees=", ".join(sorted({i.id for i in unset}))) if unset else None
