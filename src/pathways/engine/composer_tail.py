"""The end of a summary line (composer.py): the nearest pathways, with what they would take, and
the events ahead (issue 16)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .block import Rows
from .brief import _Pathway, _Requirement, _Verdict
from .build import _would_take
from .evaluate import REQUIREMENT_STATUS, STATUS_RANK
from .jsonbytes import dumps
from .report import _tail
from .sentinels import _IDS, STATUS, TemplateError, _cut, _same
from .verdict import WouldTake


class TailPieces:
    """The composer's tail of a line (a part of Composer)."""

    def _tail_template(self) -> tuple:
        rules = self.rules
        text = dumps(_tail(_Verdict((), rules.events, (), rules.last_checked, rules.stale)))
        near, ahead = b'"nearest":[]', b'"upcoming_events":[]'
        if text.count(near) != 1 or text.count(ahead) != 1 or text.index(near) > text.index(ahead):
            raise TemplateError(f"the tail {text[:300]!r}")
        a, b = text.index(near) + len(near) - 1, text.index(ahead) + len(ahead) - 1
        return (b"]," + text[1:a], text[a:b], text[b:])

    @property
    def _near_width(self) -> int:
        return 11  # a nearest pathway's pieces: six of its template, five of status and what it would take

    def _nearest_pieces(self, profiles, status, unmet, unknown, others, unmet_ids, unknown_ids, reach, order, count,
                        wanted, known) -> np.ndarray:
        """(m x 3 * 12 - 1... ): each person's nearest pathways (Evaluation.nearest), commas between."""
        m, J = status.shape
        w = self._near_width
        out = np.full((m, 3 * w + 2), self.EMPTY, dtype=np.int32)
        position = np.empty_like(order)
        np.put_along_axis(position, order, np.broadcast_to(np.arange(J, dtype=np.int64), (m, J)), axis=1)
        rank = np.array([STATUS_RANK[s] for s in STATUS], dtype=np.int64)[status]
        candidate = (position < count[:, None]) & (self._ranks[None, :] >= wanted[:, None]) & ~others
        key = ((unmet * 2**10 + unknown) * 4 + rank) * 2**10 + position
        key[~candidate] = np.iinfo(np.int64).max
        top = np.argsort(key, axis=1, kind="stable")[:, :3]
        chosen = np.take_along_axis(candidate, top, axis=1)
        out[chosen[:, 1], w] = self.COMMA
        out[chosen[:, 2], 2 * w + 1] = self.COMMA
        rows, ks = np.nonzero(chosen)
        if not len(rows):
            return out
        js = top[rows, ks]
        opened = status[rows, js] == 0
        templates = self._rows(self._near, (js * 2 + reach[rows, js]) * 2 + opened, self._near_template)
        places = (ks * (w + 1))[:, None] + np.arange(w)[None, :]
        out[rows[:, None], places[:, 0::2]] = templates
        # the parts: status, ids unmet and unknown, facts to ask, requirements to arrange
        no, unsure = unmet_ids[rows, js], unknown_ids[rows, js]
        asked = self._asked_of(known, rows, js, unsure)
        parts = (self._statuses[status[rows, js]], self._id_pieces(js, no), self._id_pieces(js, unsure),
                 self._ask_pieces(js, unsure, asked), self._arrange_pieces(js, no))
        shut = ~opened
        for place, slot in zip(range(1, w, 2), self._near_order or ()):
            out[rows[shut], places[shut, place]] = parts[slot][shut]
        places = np.concatenate([places, ks[:, None] * (w + 1) - 1], axis=1)  # with the comma before, but the first's
        places[ks == 0, -1] = places[ks == 0, 0]
        entries = out[rows[:, None], places]
        entries[ks == 0, -1] = self.EMPTY
        entries = entries[:, np.r_[w, 0:w]]  # the comma first
        joined = self._merged(entries, self._joined_near)
        out[rows[:, None], places] = self.EMPTY
        out[rows, ks * (w + 1)] = joined[:, 0]
        return out

    def _asked_of(self, known: Rows, rows, js, unknown) -> np.ndarray:
        """Which of the facts read by each pair's requirements unknown are known (bits in the order of
        the pathway's facts): all that what it would take asks depends on."""
        asked = np.zeros(len(rows), dtype=np.int64)
        for j in np.unique(js).tolist():
            mine = np.nonzero(js == j)[0]
            shape = self.shapes[j]
            read = np.zeros(len(mine), dtype=np.int64)  # the facts the requirements unknown read
            for k, r in enumerate(shape.pathway.requirements):
                bits = sum(1 << shape.facts.index(f) for f in r.facts)
                read |= np.where(unknown[mine] >> k & 1, bits, 0)
            for bit, fact in enumerate(shape.facts):
                asked[mine] |= known.known(fact)[rows[mine]].astype(np.int64) << bit
            asked[mine] &= read
        return asked

    def _near_template(self, key: int) -> tuple:
        """Report's text of a nearest pathway (_tail), cut at its status and what it would take
        (sentinel ids), or whole for one that is open."""
        j, reachable, opened = key // 4, bool(key // 2 % 2), bool(key % 2)
        p = self.pathways[j]
        if opened:
            brief = _Pathway(p.id, "open", reachable, (), None, None, p.patient_contact, None)
            return (self._piece(dumps(_tail(_Verdict((brief,), (), (), None, ()))["nearest"][0])),) + (self.EMPTY,) * 5
        would = WouldTake((_IDS[1],), (_IDS[2],), (_IDS[3],), (_IDS[4],))
        brief = _Pathway(p.id, _IDS[0], reachable, (), None, None, p.patient_contact, would)
        template = _cut(dumps(_tail(_Verdict((brief,), (), (), None, ()))["nearest"][0]),
                        {dumps(_IDS[0]): 0, dumps([_IDS[1]]): 1, dumps([_IDS[2]]): 2, dumps([_IDS[3]]): 3,
                         dumps([_IDS[4]]): 4})
        self._near_order = _same(self._near_order, template[1::2], "a nearest pathway's parts")
        return tuple(self._piece(x) for x in template[0::2])

    def _would_take(self, j: int, unmet: int, unknown: int, known: int) -> WouldTake:
        """build._would_take of the pathway's requirements with these unmet and unknown, the facts
        known as given (a known fact's value does not show: True stands for it)."""
        p, facts = self.pathways[j], self.shapes[j].facts
        value = {f: (True if known >> n & 1 else None) for n, f in enumerate(facts)}
        requirements = tuple([_Requirement(r.id, r.kind, REQUIREMENT_STATUS[
            False if unmet >> n & 1 else None if unknown >> n & 1 else True], tuple([(f, value[f]) for f in r.facts]))
            for n, r in enumerate(p.requirements)])
        return _would_take(requirements, {})

    def _ask_pieces(self, js, unknown, known) -> np.ndarray:
        return self._by_pathway(self._asks, js, unknown << self._F | known, lambda j, code: dumps(list(
            self._would_take(j, 0, code >> self._F, code & (1 << self._F) - 1).ask)))

    def _arrange_pieces(self, js, unmet) -> np.ndarray:
        return self._by_pathway(self._arranges, js, unmet, lambda j, mask: dumps(list(
            self._would_take(j, mask, 0, 0).arrange)))

    def _upcoming(self, profiles, order, count) -> np.ndarray:
        """Each person's policy events ahead (Builder._upcoming_for), as the piece of their list."""
        out = np.full(len(profiles), self.EMPTY, dtype=np.int32)
        builder, pathways, ahead = self.builder, self.pathways, self._ahead
        for i, profile in enumerate(profiles):
            start = profile.get("start_date")
            if start is None:
                continue
            any_ahead = ahead.get(start)
            if any_ahead is None:  # any event known ahead of the start date, whoever it reaches
                any_ahead = ahead[start] = bool(builder.upcoming(start))
            if not any_ahead:
                continue
            evaluation = _Evaluation(profile, tuple([_Result(pathways[j]) for j in order[i, :count[i]].tolist()]))
            events = builder._upcoming_for(evaluation)
            if not events:
                continue
            found = self._upcoming_texts.get(events)
            if found is None:
                texts = [dumps(_tail(_Verdict((), (), (u,), None, ()))["upcoming_events"][0]) for u in events]
                found = self._upcoming_texts[events] = self._piece(b",".join(texts))
            out[i] = found
        return out


class _Result(NamedTuple):  # what Builder._upcoming_for reads of a PathwayResult
    pathway: object


class _Evaluation(NamedTuple):  # ... of an Evaluation
    profile: object
    pathways: tuple
