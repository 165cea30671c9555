"""Living costs of many stays at once: costs.living_item's answers for a batch (issue 16).

costs.py prices one stay (arrival day, length, city) by walking it a month at a time. A batch
of varied people asks for thousands of stays; here the nights of all of them are counted per
rate table and month together, from running counts over the days, and priced with one matrix
product. Two things keep the answers costs.py's own:

- The sums are exact only when every rate is a whole number of dollars (whole numbers add up
  the same in any order, as long as they stay below 2**53); otherwise, and where the state has
  no rates, costs.living_item is asked for every stay.
- The item's text, citations and notes are costs.living_item's: it is asked once for each kind
  of stay (the same length, city, tables used, and whether nights fall after the latest rates
  or before the first), and the others of that kind take its item with their own amounts. The
  amounts of that first stay are compared with costs.py's; if they ever differ, costs.py prices
  every stay from then on (`exact` turns false).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .compiled import Rules
from .costs import _table, living_item
from .plan import days

EXACT_BELOW = 2.0**53


class Stays:
    """Living costs for one rule set and one state (`jurisdiction`), stay by stay or many at once."""

    def __init__(self, rules: Rules, jurisdiction: str):
        self.rules, self.jurisdiction = rules, jurisdiction
        self.tables = [t for t in rules.per_diem if t.jurisdiction == jurisdiction]
        self.exact = all(float(v).is_integer() for t in self.tables for loc in t.localities
                         for v in (*loc.lodging_by_month, loc.meals))
        self._kinds: dict[int, int] = {}  # kind of stay -> its number in `kinds`
        self.kinds: list[tuple] = []  # costs.living_item's answer for the first stay of each kind
        self._answers: dict[tuple, int] = {}  # ... where stays are priced one by one
        self._city_ids: dict[str | None, int] = {}
        self._city_rows = np.zeros((0, 0), dtype=bool)
        self._nights: dict[float, int] = {}
        # every day falls in a stretch between tables' first and last days; _table picks one table per stretch
        edges = sorted({t.start for t in self.tables} | {t.end + timedelta(days=1) for t in self.tables})
        self._edges = np.array([d.toordinal() for d in edges], dtype=np.int64)
        firsts = ([edges[0] - timedelta(days=1)] if edges else [date(2000, 1, 1)]) + edges
        index = {id(t): k for k, t in enumerate(self.tables)}
        self._stretch_table = np.array([-1 if (t := _table(rules, d, jurisdiction)) is None else index[id(t)]
                                        for d in firsts], dtype=np.int64)
        # localities by id, across tables: rate per night by (table, month), and which tables list them
        ids = list(dict.fromkeys(loc.id for t in self.tables for loc in t.localities))
        where = {i: n for n, i in enumerate(ids)}
        self._none = np.zeros(len(ids), dtype=bool)
        self._rates = np.zeros((len(self.tables) * 12, len(ids)), dtype=np.int64)  # whole dollars (where exact)
        self._listed = np.zeros((len(self.tables), len(ids)), dtype=np.int64)
        self._cities: dict[str | None, np.ndarray] = {None: ~self._none}
        for k, t in enumerate(self.tables):
            for loc in t.localities:
                self._listed[k, where[loc.id]] = 1
                for month in range(12):
                    if self.exact:
                        self._rates[k * 12 + month, where[loc.id]] = int(loc.lodging_by_month[month] + loc.meals)
                for city in loc.cities:
                    self._cities.setdefault(city, self._none.copy())[where[loc.id]] = True
        self._ends = np.array([t.end.toordinal() for t in self.tables], dtype=np.int64)

    def nights(self, weeks: float) -> int:
        found = self._nights.get(weeks)
        if found is None:
            found = self._nights[weeks] = days(weeks).days  # the one rounding of weeks to days (plan.py)
        return found

    def one(self, arrive: date, weeks: float | None, city: str | None):
        """costs.living_item's answer: (item or None, note or None)."""
        return living_item(self.rules, {"duration_weeks": weeks, "host_city": city}, arrive, self.jurisdiction)

    def many(self, arrive: np.ndarray, weeks: list, city: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stays given as day numbers of arrival, lengths in weeks (None: not known) and cities
        (None: any): for each, its kind (a number in `kinds`, costs.living_item's answer for the
        first stay of that kind) and its own amounts, least and most (0 where there is no item)."""
        n = len(arrive)
        if not self.exact or n == 0 or len(self.tables) > 32:
            return self._one_by_one(arrive, weeks, city)
        known = np.array([w is not None for w in weeks], dtype=bool)
        nights = np.array([self.nights(w) if w is not None else 0 for w in weeks], dtype=np.int64)
        arrive = np.asarray(arrive, dtype=np.int64)
        leave = arrive + nights
        low, high = int(arrive.min()), int(leave.max())
        tables = len(self.tables)
        # each day's code: its table and month (October first), or tables * 12 where no table prices it
        span = np.arange(low, high, dtype=np.int64)
        table = self._stretch_table[np.searchsorted(self._edges, span, side="right")]
        months = (np.datetime64(date.fromordinal(low), "D") + np.arange(high - low)).astype("datetime64[M]").astype(np.int64)
        code = np.where(table >= 0, table * 12 + (months % 12 + 1 - 10) % 12, tables * 12)
        running = np.zeros((tables * 12 + 1, high - low + 1), dtype=np.int64)  # days of each code before each day
        running[code, np.arange(1, high - low + 1)] = 1
        np.cumsum(running, axis=1, out=running)
        counts = (running[:, leave - low] - running[:, arrive - low]).T  # stays x codes: nights of each
        uncovered = counts[:, -1] > 0
        counts = counts[:, :-1]
        used = counts.reshape(n, tables, 12).sum(axis=2) > 0  # stays x tables
        totals = (counts @ self._rates).astype(np.float64)  # in whole dollars: exact, as the sums of costs.py
        cities = np.array([self._city(c) for c in city], dtype=np.int64)
        present = (used.astype(np.int64) @ self._listed > 0) & self._city_rows[cities]
        after = (used & (self._ends[None, :] < (leave - 1)[:, None])).any(axis=1)
        priced = known & ~uncovered & present.any(axis=1)
        lows = np.where(priced, np.where(present, totals, np.inf).min(axis=1, initial=np.inf), 0.0)
        highs = np.where(priced, np.where(present, totals, -np.inf).max(axis=1, initial=-np.inf), 0.0)
        if (highs >= EXACT_BELOW).any() or nights.max(initial=0) >= 4096:
            return self._one_by_one(arrive, weeks, city)
        # the kind of each stay, as one number: priced or not, nights, city, tables used, nights after them
        mask = used.astype(np.int64) @ (1 << np.arange(tables, dtype=np.int64))
        kind = np.where(~known, 0, np.where(
            ~priced, ((1 * 2 + uncovered) * 4096 + nights) * 256 + cities,
            ((((2 * 2 + after) * 4096 + nights) * 256 + cities) << 32) + mask))
        unique, first, inverse = np.unique(kind, return_index=True, return_inverse=True)
        ids = np.empty(len(unique), dtype=np.int64)
        for k, (code, f) in enumerate(zip(unique.tolist(), first.tolist())):
            found = self._kinds.get(code)
            if found is None:
                answer = self.one(date.fromordinal(int(arrive[f])), weeks[f], city[f])
                item = answer[0]
                if (item is None) == bool(priced[f]) or (item is not None and (item.usd_min, item.usd_max) != (
                        round(float(lows[f]), 2), round(float(highs[f]), 2))):
                    self.exact = False  # not what costs.py says: it prices every stay from now on
                    return self._one_by_one(arrive, weeks, city)
                found = self._kinds[code] = len(self.kinds)
                self.kinds.append(answer)
            ids[k] = found
        # amounts are whole numbers here (rates of whole dollars): rounding to cents keeps them
        return ids[inverse.reshape(-1)], lows, highs

    def _one_by_one(self, arrive, weeks: list, city: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ids, lows, highs = [], [], []
        for a, w, c in zip(np.asarray(arrive).tolist(), weeks, city):
            answer = self.one(date.fromordinal(int(a)), w, c)
            found = self._answers.get(answer)
            if found is None:
                found = self._answers[answer] = len(self.kinds)
                self.kinds.append(answer)
            ids.append(found)
            item = answer[0]
            lows.append(0.0 if item is None else item.usd_min or 0)
            highs.append(0.0 if item is None else item.usd_max or 0)
        return np.array(ids, dtype=np.int64), np.array(lows, dtype=float), np.array(highs, dtype=float)

    def _city(self, city: str | None) -> int:
        found = self._city_ids.get(city)
        if found is None:
            if len(self._city_ids) >= 255:
                raise ValueError("more than 255 cities")
            found = self._city_ids[city] = len(self._city_ids)
            row = self._cities.get(city, self._none)
            self._city_rows = np.concatenate([self._city_rows, row[None, :]]) if len(self._city_ids) > 1 else row[None, :]
        return found
