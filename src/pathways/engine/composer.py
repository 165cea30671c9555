"""Summary lines of a batch composed from shared pieces, a block of people at a time (issue 16).

In a varied batch almost no two people share a line, nor a pathway's text: everyone has their
own start date, length of stay, city and country. But each part of a pathway's text depends on
few things, and those are worked out for the whole block at once with numpy:

- its status and requirements unmet and unknown, on the values of its requirements' tests;
- its timeline on the plan's layout (the steps needed, the post's waits: plan.py lays it out
  once for all who share them) and the start date, by day arithmetic;
- its costs on the fees owed (costs.fee_items, once per kind) and the stay's living costs
  (livingcosts.py, many stays at once);
- the nearest pathways (Evaluation.nearest) on the same, and what they would take on which facts
  are known; the events ahead through the builder, only for people with events ahead.

No text is written here. Every kind of text is written once by report.py's own functions, given
the engine's objects (a timeline of plan.py, costs of costs.py) in which what changes from person
to person (dates, amounts, ids) is a sentinel; the text is cut at the sentinels into a template.
A line is then a list of pieces (template pieces, and texts of dates, amounts and ids), gathered
for the whole block by numpy and joined. The structure, keys and wording stay report.py's: a
change there that a template cannot follow (a sentinel gone, or found twice, or parts in another
order) raises TemplateError (sentinels.py), and the first line of every block is also built the
plain way (brief.py) and compared; either way batch.py goes back to the plain way.

The costs' pieces are composer_costs.py's, the tail's (nearest pathways, events ahead)
composer_tail.py's; block.py holds the block's arrays; composer_full.py writes `--detail full`.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .block import Rows, _Block, _Shape
from .brief import _Pathway, _Requirement
from .build import residence
from .compiled import CONTACT_RANK, about_who_you_are
from .composer_costs import CostPieces
from .composer_tail import TailPieces
from .costs import Costs, fee_items
from .jsonbytes import dumps
from .livingcosts import Stays
from .plan import Timeline, make_timeline
from .report import _value, cost_json, pathway_json, timeline_json
from .sentinels import (_BY, _BY_LATE, _COSTS, _FAR, _IDS, _SAFE, _START, _TIMELINE, CAN_START, STATUS, TemplateError,
                        _bit_count, _cut, _same, _same_rows, _values)

LIMIT = 2_000_000  # pieces of text kept; all are let go past it
TRANSIENT = 2**30  # the numbers of pieces kept for one block only start here
ENTRIES = 500_000  # entries of a cache kept by people's values; all are let go past it


class Composer(CostPieces, TailPieces):
    """Summary lines for one builder's day and places, a block of profiles at a time."""

    JOINED = True  # a block's lines joined at once (many short pieces), not line by line when written

    def __init__(self, builder, places):
        self.builder, self.rules, self.places = builder, builder.rules, places
        rules = self.rules
        self.begin = rules.as_of
        self._begin = self.begin.toordinal()
        self.failed: str | None = None
        self.composed = 0  # lines composed (tests check that they were)
        self.pathways = [p for p in rules.pathways if places is None or p.jurisdiction in places]
        # a pathway's requirements (B of them at most) and the facts they read (F) as bits of one
        # number, with the pathway's number (J of them): each code fits in 62 bits
        self._B = max([len(p.requirements) for p in self.pathways], default=1)
        self._F = max([len({f for r in p.requirements for f in r.facts}) for p in self.pathways], default=1)
        if 2 * self._B + self._F + 1 + len(self.pathways).bit_length() > 62:
            raise TemplateError("pathways of too many requirements, or reading too many facts")
        self.shapes = [_Shape(
            p, np.array(p.slots, dtype=np.intp), 1 << np.arange(len(p.slots), dtype=np.int64),
            np.array([r.slot for r in p.requirements if r.kind == "eligibility"], dtype=np.intp),
            np.array([r.slot for r in p.requirements if about_who_you_are(r.origin, r.kind, r.facts)], dtype=np.intp),
            np.array([s.slot for s in p.steps], dtype=np.intp),
            np.array([s.slot for s in p.steps] + [f.slot for f in p.fees], dtype=np.intp),
            tuple(dict.fromkeys(f for r in p.requirements for f in r.facts))) for p in self.pathways]
        J = len(self.pathways)
        # the contract's order (Evaluation's sort_key): status, more contact, fewer unmet and unknown, the rules' order
        ranks = sorted(range(J), key=lambda j: self.pathways[j].order)
        self._fixed = np.array([(len(CONTACT_RANK) - p.contact_rank) * 2**44 + ranks.index(j)
                                for j, p in enumerate(self.pathways)], dtype=np.int64)
        self._ranks = np.array([p.contact_rank for p in self.pathways], dtype=np.int64)
        categories = [c for c, _ in rules.categories]
        # applicable[c, j]: pathway j is evaluated for category c (the last: no category)
        self._applicable = np.array([[c in p.categories for p in self.pathways] for c in categories]
                                    + [[True] * J], dtype=bool).reshape(len(categories) + 1, J)
        self._categories = categories + [None]
        self._waits = {country: k for k, country in enumerate(rules.waits)}
        self._places = sorted({p.jurisdiction for p in self.pathways})
        self._stays = {place: Stays(rules, place) for place in self._places}
        self.registry: dict = {}  # fact -> {a value's bytes: its number} (Rows.ids), for the day
        self._stay_of: tuple | None = None
        self._place_of = np.array([self._places.index(p.jurisdiction) for p in self.pathways], dtype=np.int64)
        # kept for the day: layouts, fees, stays, by kind
        self._layouts: dict = {}  # (pathway, steps needed, waits) -> number in _layout_list
        self._layout_list: list = []  # (timeline without a start date, days to its first day fast, typical, slow,
        #                                its kind, the pathway's shape, values and country that lay it out)
        self._fees: dict = {}  # (pathway, steps' and fees' values) -> number in _fee_list
        self._fee_list: list = []  # (fee items, their kind)
        self._kinds: dict = {}  # a layout's timeline, or fee items -> its kind (a number)
        self._kind_list: list = []
        self._fee_sums: dict = {}  # kind of fees -> (min, max, by payer, whole numbers)
        self._payers: dict[str, int] = {}
        self._livings: dict = {}  # (place, kind of stay) -> number in _living_list
        self._living_list: list = []  # (answer of costs.living_item, kind of its text, its payer's number)
        self._living_texts: dict = {}  # kind of a stay's text: (payer, id, note) or (None, note) -> number
        # the order of the parts of the texts, as report.py writes them (the first template fixes it)
        self._timeline_order: tuple | None = None
        self._cost_order: tuple | None = None
        self._near_order: tuple | None = None
        self._said_templates: dict = {}  # (pathway, within reach) -> report's text, cut
        self._ids_texts: dict = {}  # (pathway, requirements) -> the text of their ids
        self._reset()

    def _reset(self) -> None:
        """Let go of every piece of text, and of all that names them."""
        self._pieces = np.empty(1 << 14, dtype=object)
        self._lengths = np.zeros(1 << 14, dtype=np.int64)  # of each piece, in bytes
        self._count = 0
        self.EMPTY, self.COMMA, self.NEWLINE = self._piece(b""), self._piece(b","), self._piece(b"\n")
        self._statuses = np.array([self._piece(dumps(s)) for s in STATUS], dtype=np.int32)
        self._tail = tuple(self._piece(t) for t in self._tail_template()[:2]) + (self._piece(self._tail_template()[2] + b"\n"),)
        self._heads = np.array([self._head(c) for c in self._categories], dtype=np.int32)
        self._numbers: dict[float, int] = {}
        self._said: dict = {}  # (pathway, requirements unmet, unknown, first) -> piece of its text up to the timeline
        self._said_tails: dict = {}  # (pathway, requirements unknown, within reach) -> piece from them to the timeline
        self._between: dict = {}  # (pathway, within reach) -> pieces between timeline and costs, and after them
        self._ids: dict = {}  # (pathway, requirements) -> piece of their ids
        self._asks: dict = {}  # (pathway, requirements unknown, facts known) -> piece of the facts to ask
        self._arranges: dict = {}  # (pathway, requirements unmet) -> piece of those to arrange
        self._timelines: dict = {}  # (timeline kind, can start, late) -> the template's pieces
        self._dated: dict = {}  # (timeline kind, start date) -> piece
        self._day_texts: dict = {}
        self._costs: dict = {}  # (fee kind, text kind of the stay) -> the template's pieces
        self._cost_texts: dict = {}  # (fee kind, stay, amounts) -> piece, where amounts are not whole
        self._joined_costs: dict = {}  # the pieces of a pathway's costs -> the piece of their text
        self._joined_near: dict = {}  # the pieces of a nearest pathway -> the piece of its text
        self._near: dict = {}  # (pathway, within reach, open) -> the template's pieces
        self._upcoming_texts: dict = {}  # events ahead -> piece
        self._ahead: dict = {}  # start date -> whether any event is known ahead of it

    def _bound(self) -> None:
        """Let go of what grows with the values people give (a batch may be endless)."""
        if sum(len(numbers) for numbers in self.registry.values()) > ENTRIES:
            self.registry.clear()  # the numbers of values start again: so must what is kept by them
            self._forget_values()
        for cache in (self._day_texts, self._ahead):
            if len(cache) > ENTRIES:
                cache.clear()

    def _forget_values(self) -> None:
        """Let go of what is kept by the numbers of people's values (Rows.ids)."""

    def _piece(self, text: bytes) -> int:
        if self._count == len(self._pieces):
            self._pieces = np.concatenate([self._pieces, np.empty(len(self._pieces), dtype=object)])
            self._lengths = np.concatenate([self._lengths, np.zeros(len(self._lengths), dtype=np.int64)])
        self._pieces[self._count] = text
        self._lengths[self._count] = len(text)
        self._count += 1
        return self._count - 1

    # a block ----------------------------------------------------------------------------

    def lines(self, profiles: list, values: np.ndarray, known: "Rows") -> list[tuple[list[bytes], int]]:
        """Each profile's line, newline included, as its pieces and its length in bytes. `values`:
        the tests' values by row (vector.evaluate_table); `known`: the profiles' facts as columns."""
        if self._count > LIMIT:
            self._reset()
        self._bound()
        self._transient: list[bytes] = []
        b = self._block(profiles, values, known)
        pieces = self._pathway_pieces(b)
        lines = self._joined(b, pieces, self._ends(b))
        self.composed += len(profiles)
        return lines

    def _block(self, profiles: list, values: np.ndarray, known: "Rows") -> _Block:
        """What the block's lines say, as arrays: by person, and by (person, pathway)."""
        m, J = len(profiles), len(self.shapes)
        # the person: category, start date, country's waits, contact wanted
        category = np.full(m, len(self._categories) - 1, dtype=np.intp)
        for c in range(len(self.rules.categories) - 1, -1, -1):  # the first true one
            category[values[:, self.rules.categories[c][1]] == 1] = c
        applicable = self._applicable[category]  # m x J
        start = np.array([-1 if s is None else s.toordinal() for s in [p.get("start_date") for p in profiles]],
                         dtype=np.int64)
        dated = start >= 0
        countries = [residence(p) for p in profiles]
        waits = np.array([self._waits.get(c, -1) for c in countries], dtype=np.int64)
        wanted = np.array([CONTACT_RANK.get(p.get("desired_contact"), 0) for p in profiles], dtype=np.int64)

        # each pathway for everyone: requirements unmet and unknown, within reach, for others; its
        # layout and fees, by kind
        unmet_ids, unknown_ids = np.empty((m, J), dtype=np.int64), np.empty((m, J), dtype=np.int64)
        reach, others = np.empty((m, J), dtype=bool), np.empty((m, J), dtype=bool)
        needed, owed = np.empty((m, J), dtype=np.int64), np.empty((m, J), dtype=np.int64)
        no, unsure, off = values == 0, values == -1, (values != 0).astype(np.int64)
        three = values.astype(np.int64) + 1
        for j, s in enumerate(self.shapes):
            unmet_ids[:, j] = no[:, s.slots] @ s.bits
            unknown_ids[:, j] = unsure[:, s.slots] @ s.bits
            reach[:, j] = ~no[:, s.eligibility].any(axis=1)
            others[:, j] = no[:, s.theirs].any(axis=1)
            needed[:, j] = off[:, s.steps] @ (1 << np.arange(len(s.steps), dtype=np.int64))
            owed[:, j] = three[:, s.owed] @ (3 ** np.arange(len(s.owed), dtype=np.int64))
        plans = self._kinds_of(self._layouts, self._layout_list, needed * 4096 + (waits[:, None] + 1), values,
                               countries, self._lay_out)
        fees = self._kinds_of(self._fees, self._fee_list, owed, values, countries, self._fee_items)
        unmet, unknown = _bit_count(unmet_ids), _bit_count(unknown_ids)
        status = np.where(unmet > 0, 2, np.where(unknown > 0, 1, 0))
        others &= unmet > 0
        kept = np.array([k[1:5] for k in self._layout_list], dtype=np.int64).reshape(-1, 4)
        early, typical, slow, layout = kept[plans, 0], kept[plans, 1], kept[plans, 2], kept[plans, 3]
        fees = np.array([k[1] for k in self._fee_list], dtype=np.int64)[fees]

        key = status * 2**50 + unmet * 2**36 + unknown * 2**28 + self._fixed  # Evaluation's order
        key[~applicable] = np.iinfo(np.int64).max
        order = np.argsort(key, axis=1, kind="stable")
        count = applicable.sum(axis=1)

        # the timeline: dates from the layout and the start date (plan._timeline in days)
        s2 = start[:, None]
        begin_by, begin_by_safe = s2 - typical, s2 - slow
        earliest = self._begin + early
        can = np.where(~dated[:, None], 4, np.where(self._begin + slow <= s2, 0, np.where(
            self._begin + typical <= s2, 1, np.where(earliest <= s2, 2, 3))))
        late = dated[:, None] & (begin_by < self._begin)
        # the stay: from the start date, else from the earliest first day (Builder._cost)
        arrive = np.where(dated[:, None], s2, earliest)
        # the pairs in the lines' order (rows, then place in the line)
        rows, ks = np.nonzero(np.arange(J)[None, :] < count[:, None])
        cols = order[rows, ks]
        return _Block(profiles, values, known, category, start, dated, wanted, unmet_ids, unknown_ids, unmet,
                      unknown, status, reach, others, plans, layout, fees, order, count, begin_by, begin_by_safe,
                      can, late, arrive, rows, ks, cols, {})

    def _pathway_pieces(self, b: _Block) -> np.ndarray:
        """(pairs x width): each pathway's pieces: [its text up to the timeline (a comma before, but
        for the first), up to its requirements unknown and from them, the timeline, what comes
        between, the costs' pieces, what comes after]."""
        rows, cols = b.rows, b.cols
        W = 4 + _TIMELINE + _COSTS
        pieces = np.full((len(rows), W), self.EMPTY, dtype=np.int32)
        pieces[:, 0:2] = self._said_pieces(cols, b.unmet_ids[rows, cols], b.unknown_ids[rows, cols],
                                           b.reach[rows, cols], b.ks == 0)
        pieces[:, [2 + _TIMELINE, 3 + _TIMELINE + _COSTS]] = self._rows(
            self._between, cols * 2 + b.reach[rows, cols], self._between_pieces)
        pieces[:, 2:2 + _TIMELINE] = self._timeline_pieces(
            b.layout[rows, cols], b.can[rows, cols], b.late[rows, cols], b.start[rows], b.begin_by[rows, cols],
            b.begin_by_safe[rows, cols])
        stays, low, high = self._stays_of(b.profiles, rows, cols, b.arrive[rows, cols])
        pieces[:, 3 + _TIMELINE:3 + _TIMELINE + _COSTS] = self._cost_pieces(
            b.fees[rows, cols], stays, low, high, rows, cols, b.profiles, b.arrive, b.values)
        # what comes between, the costs and what comes after: one piece (the same costs, the same text)
        pieces[:, 2 + _TIMELINE:] = self._merged(pieces[:, 2 + _TIMELINE:], self._joined_costs)
        return pieces

    def _ends(self, b: _Block) -> np.ndarray:
        """(m x width): the tail of each line: nearest pathways, events ahead; then a newline."""
        ends = np.empty((len(b.profiles), 3 * self._near_width + 7), dtype=np.int32)
        ends[:, 0], ends[:, -4], ends[:, -2], ends[:, -1] = self._tail[0], self._tail[1], self._tail[2], self.EMPTY
        ends[:, 1:-4] = self._nearest_pieces(b.profiles, b.status, b.unmet, b.unknown, b.others, b.unmet_ids,
                                             b.unknown_ids, b.reach, b.order, b.count, b.wanted, b.known)
        ends[:, -3] = self._upcoming(b.profiles, b.order, b.count)
        return ends

    def _joined(self, b: _Block, pieces: np.ndarray, ends: np.ndarray) -> list[tuple[list[bytes], int]]:
        """Each line: its head, its pathways' pieces, its tail, one after the other (and its length)."""
        m, W, E = len(b.profiles), pieces.shape[1], ends.shape[1]
        offsets = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(1 + b.count * W + E, out=offsets[1:])
        every = np.empty(offsets[-1], dtype=np.int32)
        every[offsets[:-1]] = self._heads[b.category]
        every[(offsets[b.rows] + 1 + b.ks * W)[:, None] + np.arange(W)] = pieces
        every[(offsets[:-1] + 1 + b.count * W)[:, None] + np.arange(E)] = ends
        shown = every != self.EMPTY
        ids = every[shown]
        if self._transient:  # texts of this block alone, numbered from TRANSIENT
            passing = ids >= TRANSIENT
            objects = np.empty(len(ids), dtype=object)
            objects[~passing] = self._pieces[ids[~passing]]
            kept = np.empty(len(self._transient), dtype=object)
            kept[:] = self._transient
            objects[passing] = kept[ids[passing] - TRANSIENT]
            lengths = np.empty(len(ids), dtype=np.int64)
            lengths[~passing] = self._lengths[ids[~passing]]
            lengths[passing] = np.array([len(t) for t in self._transient], dtype=np.int64)[ids[passing] - TRANSIENT]
            texts = objects.tolist()
            self._transient = []
        else:
            texts, lengths = self._pieces[ids].tolist(), self._lengths[ids]
        counted = np.cumsum(np.add.reduceat(shown, offsets[:-1]))  # pieces up to the end of each line
        ends_at = np.cumsum(lengths)
        bounds = np.concatenate([[0], ends_at[counted - 1]]).tolist()
        if not self.JOINED:  # long lines of few pieces: each line its pieces (joined once, when written)
            counted = [0] + counted.tolist()
            return [(texts[counted[i]:counted[i + 1]], bounds[i + 1] - bounds[i]) for i in range(m)]
        whole = memoryview(b"".join(texts))  # the block's text, joined once; each line a view of its part
        return [((whole[bounds[i]:bounds[i + 1]],), bounds[i + 1] - bounds[i]) for i in range(m)]

    def _kinds_of(self, kept: dict, listed: list, codes: np.ndarray, values, countries, make) -> np.ndarray:
        """(m x J): the number of each pair's entry in `kept`, by (pathway, code); a new one made
        from the first row that has it."""
        m, J = codes.shape
        unique, first, inverse = np.unique(codes * J + np.arange(J), return_index=True, return_inverse=True)
        ids = np.empty(len(unique), dtype=np.int64)
        for n, (code, at) in enumerate(zip(unique.tolist(), first.tolist())):
            found = kept.get(code)
            if found is None:
                found = kept[code] = len(listed)
                row = at // J
                listed.append(make(self.shapes[code % J], values[row], countries[row]))
            ids[n] = found
        return ids[inverse].reshape(m, J)

    def _kind(self, what) -> int:
        found = self._kinds.get(what)
        if found is None:
            found = self._kinds[what] = len(self._kind_list)
            self._kind_list.append(what)
        return found

    def _lay_out(self, shape: _Shape, row: np.ndarray, country) -> tuple:
        """The timeline without a start date (plan.py), its days to the first day (fast, typical,
        slow) and its kind."""
        waits = self.rules.waits.get(country, {}) if country else {}
        values = _values(row)
        t = make_timeline(self.rules, shape.pathway.steps, values, self.begin, None, waits)
        return (t, (t.earliest_start - self.begin).days, (t.likely_start - self.begin).days,
                (t.ready_by - self.begin).days, self._kind(t), shape, values, country)

    def _fee_items(self, shape: _Shape, row: np.ndarray, country) -> tuple:
        items = tuple(fee_items(shape.pathway, _values(row)))
        return (items, self._kind(("fees", items)))

    def _head(self, category: str | None) -> int:
        head = dumps({"as_of": self.begin.isoformat(), "category": category})
        return self._piece(head[:-1] + b',"pathways":[')

    def _lookup(self, cache: dict, codes: np.ndarray, make) -> np.ndarray:
        """The piece of each code's text, made once per code by `make(code)`."""
        unique, inverse = np.unique(codes, return_inverse=True)
        ids = np.empty(len(unique), dtype=np.int32)
        for n, code in enumerate(unique.tolist()):
            found = cache.get(code)
            if found is None:
                found = cache[code] = self._piece(make(code))
            ids[n] = found
        return ids[inverse.reshape(-1)]

    def _number(self, amounts: np.ndarray) -> np.ndarray:
        """Whole amounts, written as report._value writes them."""
        return self._lookup(self._numbers, amounts, lambda x: dumps(_value(x)))

    # what a pathway says: status, requirements unmet and unknown --------------------------------

    def _said_pieces(self, cols, unmet, unknown, reach, first) -> np.ndarray:
        """(pairs x 2): each pathway's text up to its timeline, in two pieces: up to its
        requirements unknown (a comma before, but for the first), and from them."""
        out = np.empty((len(cols), 2), dtype=np.int32)
        out[:, 0] = self._by_pathway(self._said, cols, ((unmet << 1 | (unknown > 0)) << 1) | first, self._said_head)
        out[:, 1] = self._by_pathway(self._said_tails, cols, unknown << 1 | reach, self._said_tail)
        return out

    def _said_head(self, j: int, code: int) -> bytes:
        unmet, unsure, first = code >> 2, code >> 1 & 1, code & 1
        template = self._said_template(j, not any(
            r.kind == "eligibility" for n, r in enumerate(self.pathways[j].requirements) if unmet & 1 << n))
        if template[5] != 2:
            raise TemplateError("a pathway's ids unknown are expected after its status and ids unmet")
        texts = (dumps(STATUS[2 if unmet else 1 if unsure else 0]), self._ids_text(j, unmet))
        return (b"" if first else b",") + b"".join([texts[x] if type(x) is int else x for x in template[:5]])

    def _said_tail(self, j: int, code: int) -> bytes:
        template = self._said_template(j, bool(code & 1))
        return self._ids_text(j, code >> 1) + template[6]

    def _between_pieces(self, key: int) -> tuple:
        template = self._said_template(key // 2, bool(key % 2))
        return (self._piece(template[8]), self._piece(template[10]))

    def _ids_text(self, j: int, mask: int) -> bytes:
        found = self._ids_texts.get((j, mask))
        if found is None:
            found = self._ids_texts[(j, mask)] = dumps(
                [r.id for n, r in enumerate(self.pathways[j].requirements) if mask & 1 << n])
        return found

    def _rows(self, cache: dict, keys: np.ndarray, make) -> np.ndarray:
        """Each key's tuple of pieces, made once per key."""
        unique, inverse = np.unique(keys, return_inverse=True)
        rows = []
        for k in unique.tolist():
            found = cache.get(k)
            if found is None:
                found = cache[k] = make(k)
            rows.append(found)
        return np.array(rows, dtype=np.int32).reshape(len(unique), -1)[inverse.reshape(-1)]

    def _said_template(self, j: int, reachable: bool) -> tuple:
        """report.pathway_json's summary, cut at the status, the ids unmet and unknown, the
        timeline and the costs (in that order)."""
        found = self._said_templates.get((j, reachable))
        if found is not None:
            return found
        p = self.pathways[j]
        requirements = (_Requirement(_IDS[1], "arrangement", "unmet", ()), _Requirement(_IDS[2], "arrangement", "unknown", ()))
        timeline = Timeline(self.begin, *_FAR, None, None, None, None, None, ())
        brief = _Pathway(p.id, _IDS[0], reachable, requirements, timeline, Costs(()), p.patient_contact, None)
        template = _cut(dumps(pathway_json(brief, "summary")), {
            dumps(_IDS[0]): 0, dumps([_IDS[1]]): 1, dumps([_IDS[2]]): 2,
            dumps(timeline_json(brief)): 3, dumps(cost_json(brief, items=False)): 4})
        if template[1::2][3:] != (3, 4):
            raise TemplateError(f"a pathway's parts come in another order: {template[1::2]}")
        self._said_templates[(j, reachable)] = template
        return template

    def _by_pathway(self, cache: dict, js, codes, make) -> np.ndarray:
        """The piece of each (pathway, code)'s text, made once by `make(j, code)`."""
        J = len(self.pathways)
        return self._lookup(cache, codes * J + js, lambda code: make(code % J, code // J))

    def _id_pieces(self, js, masks) -> np.ndarray:
        """The text of the ids of the requirements in each mask, of each pair's pathway."""
        return self._by_pathway(self._ids, js, masks, self._ids_text)

    # the timeline -----------------------------------------------------------------------------

    def _timeline_pieces(self, kind, can, late, start, begin_by, begin_by_safe) -> np.ndarray:
        """(pairs x 1): each pathway's timeline, by its kind and the start date: a template's
        pieces with the start date and the days to begin by between them."""
        out = np.empty((len(kind), _TIMELINE), dtype=np.int32)
        dated = can != 4
        out[~dated, 0] = self._rows(self._timelines, kind[~dated] * 10 + 8, self._timeline_template)[:, 0]
        if not dated.any():
            return out
        at = np.nonzero(dated)[0]
        key = kind[at] << 22 | start[at]  # (day numbers stay below 2**22 until the year 11000)
        unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        ids = np.empty(len(unique), dtype=np.int32)
        texts, days = self._dated, self._day_text
        for n, (k, f) in enumerate(zip(unique.tolist(), at[first].tolist())):
            found = texts.get(k)
            if found is None:
                template = self._timelines.get((int(kind[f]) * 5 + int(can[f])) * 2 + int(late[f]))
                if template is None:
                    template = self._timeline_template((int(kind[f]) * 5 + int(can[f])) * 2 + int(late[f]))
                    self._timelines[(int(kind[f]) * 5 + int(can[f])) * 2 + int(late[f])] = template
                values = (days(int(start[f])), days(int(begin_by[f])), days(int(begin_by_safe[f])))
                parts = [self._pieces[template[0]]]
                for place, slot in enumerate(self._timeline_order):
                    parts += [values[slot], self._pieces[template[place + 1]]]
                found = texts[k] = self._piece(b"".join(parts))
            ids[n] = found
        out[at, 0] = ids[inverse.reshape(-1)]
        return out

    def _day_text(self, ordinal: int) -> bytes:
        found = self._day_texts.get(ordinal)
        if found is None:
            found = self._day_texts[ordinal] = dumps(date.fromordinal(ordinal).isoformat())
        return found

    def _timeline_template(self, key: int) -> tuple:
        kind, can, late = key // 10, key // 2 % 5, bool(key % 2)
        t0 = self._kind_list[kind]
        if can == 4:  # no start date: the timeline as plan.py gives it
            return (self._piece(dumps(timeline_json(_Pathway(*[None] * 4, t0, *[None] * 3)))),) + (self.EMPTY,) * 3
        by = _BY_LATE if late else _BY  # only which side of the beginning begin_by falls shows (late)
        t = Timeline(t0.begin, t0.earliest_start, t0.likely_start, t0.ready_by, _START, by, _SAFE, CAN_START[can],
                     t0.deciding_step, t0.critical_path)
        template = _cut(dumps(timeline_json(_Pathway(*[None] * 4, t, *[None] * 3))),
                        {dumps(_START.isoformat()): 0, dumps(by.isoformat()): 1, dumps(_SAFE.isoformat()): 2})
        self._timeline_order = _same(self._timeline_order, template[1::2], "a timeline's dates")
        return tuple(self._piece(x) for x in template[0::2])


    def _merged(self, pieces: np.ndarray, cache: dict) -> np.ndarray:
        """(n x width) pieces as (n x width) with all of each row's pieces joined in the first (the
        rest left empty): one piece per row to gather for the line instead of several."""
        several = (pieces[:, 1:] != self.EMPTY).any(axis=1)
        if not several.any():
            return pieces
        rows = np.ascontiguousarray(pieces[several])
        first, inverse = _same_rows(rows)
        ids = np.empty(len(first), dtype=np.int32)
        texts = self._pieces
        for n, row in enumerate(rows[first].tolist()):
            key = tuple(row)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self._piece(b"".join(texts[row].tolist()))
                texts = self._pieces  # (the store may have grown)
            ids[n] = found
        out = pieces.copy()
        out[several] = self.EMPTY
        out[several, 0] = ids[inverse]
        return out


