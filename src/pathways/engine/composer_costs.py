"""The costs' pieces of the summary composer (composer.py): the fees owed, by kind, and the
stay's living costs (livingcosts.py), added up as costs.Costs adds them (issue 16)."""

from __future__ import annotations

from datetime import date

import numpy as np

from .brief import _Pathway
from .costs import costs
from .jsonbytes import dumps
from .report import _value, cost_json
from .sentinels import _COSTS, _USD, NAIVE_SUM, TemplateError, _cut, _same, _Sums, _values, _whole


class CostPieces:
    """The composer's costs (a part of Composer)."""

    def _stays_of(self, profiles, rows, cols, arrive) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each pair's stay (a number in _living_list) and its living costs, least and most."""
        n = len(rows)
        stays, low, high = np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n)
        place = self._place_of[cols]
        for k, name in enumerate(self._places):
            mine = np.nonzero(place == k)[0]
            if not len(mine):
                continue
            # one stay per (arrival, person): a person's stays share their length and city
            code = arrive[mine] * (len(profiles) + 1) + rows[mine]
            unique, inverse = np.unique(code, return_inverse=True)
            people = (unique % (len(profiles) + 1)).tolist()
            weeks, cities = self._stay_facts(profiles)
            got, lows, highs = self._stays[name].many(unique // (len(profiles) + 1), [weeks[i] for i in people],
                                                      [cities[i] for i in people])
            inverse = inverse.reshape(-1)
            kinds, kind_of = np.unique(got, return_inverse=True)
            numbers = np.array([self._living(name, g) for g in kinds.tolist()], dtype=np.int64)
            stays[mine] = numbers[kind_of.reshape(-1)][inverse] if len(got) else 0
            low[mine], high[mine] = lows[inverse], highs[inverse]
        return stays, low, high

    def _stay_facts(self, profiles) -> tuple[list, list]:
        """Each person's length of stay and city (the same list while the block lasts)."""
        if self._stay_of is None or self._stay_of[0] is not profiles:
            self._stay_of = (profiles, [p.get("duration_weeks") for p in profiles], [p.get("host_city") for p in profiles])
        return self._stay_of[1], self._stay_of[2]

    def _living(self, place: str, kind: int) -> int:
        found = self._livings.get((place, kind))
        if found is None:
            answer = self._stays[place].kinds[kind]
            item, note = answer
            text = (None, note) if item is None else (item.payer, item.id, note)
            text = self._living_texts.setdefault(text, len(self._living_texts))
            payer = -1 if item is None else self._payers.setdefault(item.payer, len(self._payers))
            found = self._livings[(place, kind)] = len(self._living_list)
            self._living_list.append((answer, text, payer))
        return found

    def _cost_pieces(self, fees, stays, low, high, rows, cols, profiles, arrive, values) -> np.ndarray:
        """(pairs x 9): a template's five pieces with the amounts between them (min, max, and the
        living costs' payer's), or one piece where there are no living costs to add."""
        out = np.full((len(fees), _COSTS), self.EMPTY, dtype=np.int32)
        entries = self._living_list
        texts = np.array([e[1] for e in entries], dtype=np.int64)[stays]
        keys = fees * 2**32 + texts
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        ids = []
        for k, f in zip(unique.tolist(), first.tolist()):
            found = self._costs.get(k)
            if found is None:
                i, j = int(rows[f]), int(cols[f])
                found = self._costs[k] = self._cost_template(int(fees[f]), entries[int(stays[f])][0], j, profiles[i],
                                                             int(arrive[i, j]), _values(values[i]), low[f], high[f])
            ids.append(found)
        ids = np.array(ids, dtype=np.int32).reshape(len(unique), 5)[inverse.reshape(-1)]
        priced = ids[:, 1] != self.EMPTY  # a template: there are living costs to add
        out[~priced, 0] = ids[~priced, 0]
        if not priced.any():
            return out
        payer = np.array([e[2] for e in entries], dtype=np.int64)[stays]
        sums = self._sums(fees, np.maximum(payer, 0))
        out[priced, 0::2] = ids[priced]
        exact = priced & (NAIVE_SUM | sums[4] & _whole(low) & _whole(high))
        if exact.any():
            amounts = (sums[0] + low, sums[1] + high, sums[2] + low, sums[3] + high)
            for place, slot in zip((1, 3, 5, 7), self._cost_order):
                out[exact, place] = self._number(amounts[slot][exact])
        for n in np.nonzero(priced & ~exact)[0].tolist():  # added up as costs.py does, one by one
            out[n] = self.EMPTY
            out[n, 0] = self._cost_text(int(fees[n]), int(stays[n]), float(low[n]), float(high[n]), ids[n])
        return out

    def _sums(self, fees, payer) -> tuple:
        """For each pair: its fees' sums of minimums and maximums, in all and of the living costs'
        payer, and whether they are whole numbers (costs.Costs adds them up, the stay's last)."""
        table = []
        for kind in range(len(self._kind_list)):
            found = self._fee_sums.get(kind)
            if found is None:
                what = self._kind_list[kind]
                if type(what) is not tuple:  # a timeline
                    found = (0.0, 0.0, {}, False)
                else:
                    items = what[1]
                    found = (sum([i.usd_min or 0 for i in items]), sum([i.usd_max or 0 for i in items]),
                             {p: (sum([i.usd_min or 0 for i in items if i.payer == p]),
                                  sum([i.usd_max or 0 for i in items if i.payer == p])) for p in {i.payer for i in items}},
                             all(_whole(np.array([i.usd_min or 0, i.usd_max or 0])).all() for i in items))
                self._fee_sums[kind] = found
            table.append(found)
        payers = [p for p, _ in sorted(self._payers.items(), key=lambda x: x[1])] or [None]
        low = np.array([t[0] for t in table])
        high = np.array([t[1] for t in table])
        mine_low = np.array([[t[2].get(p, (0.0, 0.0))[0] for p in payers] for t in table]).reshape(len(table), -1)
        mine_high = np.array([[t[2].get(p, (0.0, 0.0))[1] for p in payers] for t in table]).reshape(len(table), -1)
        whole = np.array([t[3] for t in table], dtype=bool)
        return low[fees], high[fees], mine_low[fees, payer], mine_high[fees, payer], whole[fees]

    def _cost_text(self, fees: int, stay: int, low: float, high: float, template) -> int:
        """The costs' text where the amounts are not all whole: added up as costs.Costs does."""
        key = (fees, stay, low, high)
        found = self._cost_texts.get(key)
        if found is None:
            items = self._kind_list[fees][1]
            item = self._living_list[stay][0][0]
            payer = item.payer
            mine = [i for i in items if i.payer == payer]
            totals = (sum([i.usd_min or 0 for i in items] + [low]), sum([i.usd_max or 0 for i in items] + [high]),
                      sum([i.usd_min or 0 for i in mine] + [low]), sum([i.usd_max or 0 for i in mine] + [high]))
            parts = [self._pieces[template[0]]]
            for place, slot in enumerate(self._cost_order):
                parts += [dumps(_value(totals[slot])), self._pieces[template[place + 1]]]
            found = self._cost_texts[key] = self._piece(b"".join(parts))
        return found

    def _cost_template(self, kind: int, living: tuple, j: int, profile, arrive: int, values: tuple,
                       low: float, high: float) -> tuple:
        """A kind of fees' and of stay's costs: costs.costs' items and notes for one pair of them,
        written by report.cost_json with sentinel amounts, cut at them."""
        items = self._kind_list[kind][1]
        item, note = living
        real = costs(self.rules, self.pathways[j], values, profile, date.fromordinal(arrive))  # its items and notes
        if real.items[:len(items)] != items or len(real.items) != len(items) + (item is not None) or (
                item is not None and (real.items[-1].text, real.items[-1].usd_min, real.items[-1].usd_max) != (
                    item.text, low, high)) or (note is not None and note not in real.notes):
            raise TemplateError("costs.costs' items are not the fees' and the stay's")
        if item is None:
            return (self._piece(dumps(cost_json(_Pathway(*[None] * 5, real, *[None] * 2), items=False))),) + (self.EMPTY,) * 4
        sums = {p: ((_USD[2], _USD[3]) if p == item.payer else totals) for p, totals in real.by_payer.items()}
        if item.payer not in sums:
            raise TemplateError("the living costs' payer pays nothing")
        standin = _Sums(real.items, real.notes, (_USD[0], _USD[1], sums))
        template = _cut(dumps(cost_json(_Pathway(*[None] * 5, standin, *[None] * 2), items=False)),
                        {dumps(x): n for n, x in enumerate(_USD)})
        self._cost_order = _same(self._cost_order, template[1::2], "the costs' amounts")
        return tuple(self._piece(x) for x in template[0::2])
