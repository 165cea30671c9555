"""Full lines of a batch composed from shared pieces, a block of people at a time (issue 16).

composer.py writes the summary; this writes `--detail full`, whose pathways also show every
requirement with the facts it read, the warnings, what it would take, the dated steps, the cost
items and the programmes that would take the person. Each is worked out once per kind by the
builder's own methods (build.py: requirements, plans and their sentences, steps, programmes)
for the first person of the kind, and written by report.py's own functions:

- a requirement's text, per requirement and what it reads (its test's value, its ways' values,
  the values of its facts: numbered per block, vector.ProfileTable's columns);
- what it would take, per requirements unmet and unknown and the facts known;
- the steps, per plan layout and fees, cut at sentinel due dates that are moved by the plan's
  anchor (the last day to begin, or the day of the evaluation);
- the costs, as in composer.py, with the living costs' item;
- the warnings: the rules' (by their tests), events ahead (the builder's, for people with events
  ahead), the plan's sentences (the builder's, per plan and start date);
- the programmes, per their tests' values with and without what is arranged.

The pathway's text is report.pathway_json's, cut at sentinel parts, per pathway, within reach,
status and whether it has a timeline warning. As in composer.py, a template that cannot be cut
raises TemplateError, and batch.py compares the first line of each block with the plain way's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from .build import _event_sentence
from .block import _Block
from .composer import ENTRIES, TRANSIENT, Composer
from .sentinels import (_BY, _BY_LATE, _FAR, _SAFE, _START, _USD, NAIVE_SUM, STATUS, TemplateError, _cut, _Sums,
                        _whole)
from .costs import CostItem, Costs
from .jsonbytes import dumps
from .plan import Span, Timeline
from .report import (_value, _would_take_json, cost_json, pathway_json, programs_json, requirement_json, steps_json,
                     timeline_json)
from .verdict import PathwayVerdict, ProgramVerdict, RequirementVerdict, Step, WarningVerdict, WouldTake

_SLOTS = ("requirements", "warnings", "would_take", "steps", "timeline", "cost", "programs", "timeline_warning")
_DUE = date(9000, 1, 1)  # sentinel due dates: this day and the following ones, one per step


@dataclass(frozen=True)
class _Item(CostItem):
    """A cost item whose `usd` is given (a sentinel in a template)."""

    shown: float | None = None

    @property
    def usd(self):
        return self.shown


class _Parts:
    """What stands for a pathway's parts in its template, and the marks they leave in its text."""

    def __init__(self, begin: date):
        self.requirement = RequirementVerdict("\x00requirement\x00", "eligibility", "", "met", (), (), (), None, False,
                                              "pathway")
        self.warning = WarningVerdict("\x00warnings\x00", ())
        self.would_take = WouldTake(("\x00would_take\x00",), (), (), ())
        zero = Span(0.0, 0.0, 0.0)
        self.step = Step("\x00step\x00", "", "person", zero, (), None, (), (), False, zero, zero, begin, begin, begin, None)
        self.timeline = Timeline(begin, *_FAR, None, None, None, None, None, ())
        self.cost = Costs((CostItem("\x00cost\x00", "", None, None, "person", ()),))
        self.program = ProgramVerdict("\x00program\x00", "", "", "", "yes", None, None, (), ())
        self.warning_text = "\x00timeline_warning\x00"


class _Marks:
    """A profile whose facts' values are sentinels (for a requirement's template)."""

    def __init__(self, facts):
        self.values = tuple(f"\x00fact{n}\x00" for n in range(len(facts)))
        self._of = dict(zip(facts, self.values))

    def get(self, name, default=None):
        return self._of.get(name, default)


class FullComposer(Composer):
    """Full lines for one builder's day and places, a block of profiles at a time."""

    JOINED = False  # a line is some 170 KB in few pieces: joined only when written

    def __init__(self, builder, places):
        super().__init__(builder, places)
        self._parts = _Parts(self.begin)
        self._order: tuple | None = None  # the parts' order in a pathway's text (all of them shown)
        self._templates: dict = {}  # (pathway, within reach, status, timeline warning) -> template
        self._requirement_codes: dict = {}  # (pathway, requirement, what it reads) -> its text
        self._requirement_templates: dict = {}  # (pathway, requirement, what shows but its facts) -> template
        self._fact_texts: dict = {}  # (fact, number of its value: Rows.ids) -> the value's text
        self._would_take_template: tuple | None = None
        self._programs: dict = {}  # (pathway, programmes' states) -> text
        self._step_templates: dict = {}  # (plan, fees kind) -> (template, days from anchor to each due)
        self._step_texts: dict = {}  # (plan, fees kind, anchor) -> the steps' text
        self._cost_texts_full: dict = {}  # (fees kind, stay, its amounts) -> the costs' text
        self._warnings: dict = {}  # (plan, can start, late) -> (timeline warning's template or None, old waits' texts)
        self._isos: dict = {}  # day number -> its ISO text (in sentences)
        self._rule_warnings: dict = {}  # (pathway, warnings' tests) -> their texts
        self._full_costs: dict = {}  # (fee kind, stay's text, usd shown) -> template
        self._event_texts: dict = {}  # event ahead -> its warning's text
        self._number_texts: dict = {}  # amount -> its text
        self._texts: dict = {}  # a living costs item's text -> its JSON
        self._pathway_template(0, True, 2, True) if self.pathways else None  # fixes the parts' order

    def _bound(self) -> None:
        super()._bound()
        for cache in (self._requirement_codes, self._fact_texts, self._number_texts,
                      self._texts, self._isos, self._event_texts, self._step_texts, self._cost_texts_full):
            if len(cache) > ENTRIES:
                cache.clear()

    def _forget_values(self) -> None:
        self._requirement_codes.clear()
        self._fact_texts.clear()

    # a pathway's template -----------------------------------------------------------------

    def _pathway_template(self, j: int, reachable: bool, status: int, warned: bool) -> tuple:
        key = (j, reachable, status, warned)
        found = self._templates.get(key)
        if found is not None:
            return found
        p, parts = self.pathways[j], self._parts
        verdict = PathwayVerdict(
            p.id, p.name, p.jurisdiction, p.visa, p.visa_name, p.authorization, p.authorization_name, p.route,
            p.patient_contact, p.contact_rank, p.categories, p.summary, p.summary_citations, p.summary_sources,
            STATUS[status], reachable, (parts.requirement,), (parts.warning,),
            None if status == 0 else parts.would_take, (parts.step,), parts.timeline,
            parts.warning_text if warned else None, parts.cost, p.barriers, (parts.program,))
        closed = verdict.group == "closed"
        marks = {dumps([requirement_json(parts.requirement)]): 0, dumps([parts.warning.text]): 1,
                 dumps(timeline_json(verdict)): 4, dumps(cost_json(verdict)): 5, dumps(programs_json(verdict)): 6}
        if status != 0:
            marks[dumps(_would_take_json(parts.would_take))] = 2
        if not closed:
            marks[dumps(steps_json(verdict))] = 3
        if warned:
            marks[dumps(parts.warning_text)] = 7
        text = dumps(pathway_json(verdict, "full"))
        template = _cut(text, marks)
        order = tuple(template[1::2])
        if self._order is None:
            if len(order) != len(_SLOTS):
                raise TemplateError("the first template is expected to show every part")
            self._order = order
        elif [x for x in self._order if x in order] != list(order):
            raise TemplateError(f"a pathway's parts come in another order: {order} after {self._order}")
        self._templates[key] = template
        return template

    # the block ------------------------------------------------------------------------------

    def _pathway_pieces(self, b: _Block) -> np.ndarray:
        """(pairs x 1): each pathway's text, whole (a transient piece), a comma before but for the first."""
        rows, cols = b.rows, b.cols
        n = len(rows)
        profiles, values = b.profiles, b.values
        timelines = self._timeline_pieces(b.layout[rows, cols], b.can[rows, cols], b.late[rows, cols], b.start[rows],
                                          b.begin_by[rows, cols], b.begin_by_safe[rows, cols])[:, 0].tolist()
        stays, low, high = self._stays_of(profiles, rows, cols, b.arrive[rows, cols])
        costs = self._full_cost_texts(b, b.fees[rows, cols], stays, low, high)
        requirements = self._requirement_lists(b)
        would_takes = self._would_take_texts(b)
        programs = self._program_texts(b)
        steps, sentences = self._plan_texts(b)
        warnings = self._warning_lists(b, sentences)
        status, reach = b.status[rows, cols].tolist(), b.reach[rows, cols].tolist()
        pieces = self._pieces
        out = np.empty((n, 1), dtype=np.int32)
        texts = []
        for x, (j, k) in enumerate(zip(cols.tolist(), b.ks.tolist())):
            warning = sentences[x][0]
            template = self._templates.get((j, reach[x], status[x], warning is not None))
            if template is None:
                template = self._pathway_template(j, reach[x], status[x], warning is not None)
            parts = (requirements[x], warnings[x], would_takes[x], steps[x], pieces[timelines[x]], costs[x],
                     programs[x], warning or b"")
            text = b"".join([t if type(t) is bytes else parts[t] for t in template])
            texts.append(b"," + text if k else text)
        out[:, 0] = self._transients(texts)
        return out

    # requirements ---------------------------------------------------------------------------------

    def _requirement_lists(self, b: _Block) -> list[bytes]:
        """Each pair's requirements' text. A requirement's text is Builder._requirement's, written
        by report once per what shows of it but its facts' values (its test's value, the way it is
        met, whether its facts are all true), with sentinel values cut out; then filled with the
        texts of each person's values."""
        rows, cols = b.rows, b.cols
        out: list = [None] * len(rows)
        values = b.values
        for j in np.unique(cols).tolist():
            mine = np.nonzero(cols == j)[0]
            people = rows[mine]
            p = self.pathways[j]
            texts = []
            for k, r in enumerate(p.requirements):
                value = values[people, r.slot].astype(np.int64)
                true = np.ones(len(people), dtype=bool)  # every fact it reads is true (a bool, true)
                for f in r.facts:
                    column = b.known.table.columns[f]
                    if column.kind != "bool":
                        true[:] = False
                        break
                    at = b.known.rows[people]
                    true &= column.known[at] & column.values[at]
                way = np.full(len(people), -1, dtype=np.int64)  # the way it is met, if said (Builder._requirement)
                if r.met_by:
                    said = (value == 1) & ~true
                    for t in range(len(r.met_by) - 1, -1, -1):
                        way = np.where(said & (values[people, r.met_by[t][1]] == 1), t, way)
                ids = [b.known.ids(f)[people] for f in r.facts]
                parts = np.stack([value + 1, way + 1, true.astype(np.int64)] + ids, axis=1)
                unique, first, inverse = _unique_rows(parts)
                made = []
                cache = self._requirement_codes
                shown = parts[first]
                shown[:, :2] -= 1  # the test's value and the way as they are: -1, 0, 1 and -1 (none), 0, 1...
                for code, f in zip(map(tuple, shown.tolist()), first.tolist()):
                    found = cache.get((j, k, code))
                    if found is None:
                        i = int(people[f])
                        template = self._requirement_template(j, k, code[:3], b.profiles[i], b.row(i))
                        found = cache[(j, k, code)] = b"".join(
                            [t if type(t) is bytes else self._fact_text(r.facts[t], code[3 + t], b.profiles[i])
                             for t in template])
                    made.append(found)
                texts.append([made[u] for u in inverse.reshape(-1).tolist()])
            for x, row in enumerate(mine.tolist()):
                out[row] = b"[" + b",".join([t[x] for t in texts]) + b"]"
        return out

    def _requirement_template(self, j: int, k: int, key: tuple, profile, values) -> tuple:
        found = self._requirement_templates.get((j, k, key))
        if found is not None:
            return found
        r = self.pathways[j].requirements[k]
        if key[2]:  # its facts all true: the text shows them as they are
            verdict = self.builder._requirement(r, values[r.slot], profile, values)
            found = (dumps(requirement_json(verdict)),)
        else:
            marks = _Marks(r.facts)
            verdict = self.builder._requirement(r, values[r.slot], marks, values)
            found = _cut(dumps(requirement_json(verdict)), {dumps(m): n for n, m in enumerate(marks.values)})
        self._requirement_templates[(j, k, key)] = found
        return found

    def _fact_text(self, fact: str, number: int, profile) -> bytes:
        found = self._fact_texts.get((fact, number))
        if found is None:
            found = self._fact_texts[(fact, number)] = dumps(_value(profile.get(fact)))
        return found

    def _would_take_texts(self, b: _Block) -> list[bytes]:
        """Each pair's `would_take` (but where open): report's text, cut at its four lists; the
        lists as composer.py writes them for the nearest pathways."""
        rows, cols = b.rows, b.cols
        unmet, unknown = b.unmet_ids[rows, cols], b.unknown_ids[rows, cols]
        asked = self._asked_of(b.known, rows, cols, unknown)
        if self._would_take_template is None:
            would = WouldTake(("\x00unmet\x00",), ("\x00unknown\x00",), ("\x00ask\x00",), ("\x00arrange\x00",))
            self._would_take_template = _cut(dumps(_would_take_json(would)), {
                dumps(list(would.unmet)): 0, dumps(list(would.unknown)): 1, dumps(list(would.ask)): 2,
                dumps(list(would.arrange)): 3})
        template = self._would_take_template
        parts = (self._id_pieces(cols, unmet), self._id_pieces(cols, unknown), self._ask_pieces(cols, unknown, asked),
                 self._arrange_pieces(cols, unmet))
        parts = [self._pieces[p].tolist() for p in parts]  # (after the pieces are made: the store grows)
        opened = (b.status[rows, cols] == 0).tolist()
        return [b"" if opened[x] else b"".join([t if type(t) is bytes else parts[t][x] for t in template])
                for x in range(len(rows))]

    # programmes -----------------------------------------------------------------------------------

    def _program_texts(self, b: _Block) -> list[bytes]:
        """Each pair's programmes (Builder._programs): per the states of their tests, with and
        without what is arranged."""
        rows, cols = b.rows, b.cols
        unarranged = None
        out: list = [None] * len(rows)
        for j in np.unique(cols).tolist():
            mine = np.nonzero(cols == j)[0]
            people = rows[mine]
            p = self.pathways[j]
            slots = np.array([g.slot for g in p.programs], dtype=np.intp)
            state = b.values[people][:, slots].astype(np.int64) + 1  # 0 unknown, 1 false, 2 true
            if (state == 1).any():
                if unarranged is None:
                    unarranged = b.known.unarranged()
                state = np.where((state == 1) & (unarranged[people][:, slots] == 0), 3, state)  # left out
            code = state @ (4 ** np.arange(len(slots), dtype=np.int64))
            unique, first, inverse = np.unique(code, return_index=True, return_inverse=True)
            made = []
            for c, f in zip(unique.tolist(), first.tolist()):
                found = self._programs.get((j, c))
                if found is None:
                    i = int(people[f])
                    found = self._programs[(j, c)] = dumps(programs_json(_Programs(
                        self.builder._programs(p, b.row(i), b.profiles[i]))))
                made.append(found)
            for x, u in zip(mine.tolist(), inverse.reshape(-1).tolist()):
                out[x] = made[u]
        return out

    # the plan: steps, its sentences ---------------------------------------------------------------

    def _plan_texts(self, b: _Block) -> tuple[list[bytes], list[tuple]]:
        """Each pair's steps (Builder._steps, due by the plan's anchor) and its plan's sentences
        (Builder._sentences: the timeline warning, the old waits')."""
        rows, cols = b.rows, b.cols
        plans, fees = b.plans[rows, cols].tolist(), b.fees[rows, cols].tolist()
        start, begin_by = b.start[rows].tolist(), b.begin_by[rows, cols].tolist()
        closed = ((b.status[rows, cols] == 2) & ~b.reach[rows, cols]).tolist()
        can = b.can[rows, cols].tolist()
        steps, sentences = [], []
        begin = self._begin
        late, safe = b.late[rows, cols].tolist(), b.begin_by_safe[rows, cols].tolist()
        for x in range(len(rows)):
            plan, s = plans[x], start[x]
            # the plan's sentences: the timeline warning, written per plan, how the start date
            # stands (can start, late) and its dates; the waits', per plan
            key = (plan, can[x], late[x])
            template = self._warnings.get(key)
            if template is None:
                template = self._warnings[key] = self._warning_template(plan, can[x], late[x], s, begin_by[x], safe[x])
            warning = None if template[0] is None else b"".join([
                t if type(t) is bytes else self._iso((s, begin_by[x], safe[x])[t]) for t in template[0]])
            sentences.append((warning, template[1]))
            if closed[x]:
                steps.append(b"")
                continue
            anchor = begin_by[x] if s >= 0 and begin_by[x] >= begin else begin
            found = self._step_texts.get((plan, fees[x], anchor))
            if found is None:
                template = self._step_templates.get((plan, fees[x]))
                if template is None:
                    template = self._step_templates[(plan, fees[x])] = self._steps_template(plan, fees[x])
                found = self._step_texts[(plan, fees[x], anchor)] = b"".join(
                    [t if type(t) is bytes else self._day_text(anchor + t) for t in template])
            steps.append(found)
        return steps, sentences

    def _plan_of(self, plan: int, start: int):
        """The builder's plan of a layout (composer._lay_out) for a start date (-1: none)."""
        shape, values, country = self._layout_list[plan][5:8]
        day = None if start < 0 else date.fromordinal(start)
        return shape.pathway, values, self.builder._plan(shape.pathway, values, day, country)

    def _warning_template(self, plan: int, can: int, late: bool, start: int, by: int, safe: int) -> tuple:
        """Builder._sentences of the plan for a start date that stands so: the timeline warning's
        text cut at sentinel dates (start, begin by, begin by safely), checked against this one's;
        and the old waits' texts."""
        _, _, made = self._plan_of(plan, start)
        warning, old = self.builder._sentences(made)
        old = tuple(dumps(w.text) for w in old)
        if warning is None:
            return None, old
        t = made.timeline
        dates = (_START, _BY_LATE if late else _BY, _SAFE)
        standin = replace(made, timeline=replace(t, start_date=dates[0], begin_by=dates[1], begin_by_safe=dates[2]))
        template = _cut_all(dumps(self.builder._sentences(standin)[0]), {d.isoformat().encode(): n for n, d in enumerate(dates)})
        if b"".join([x if type(x) is bytes else self._iso((start, by, safe)[x]) for x in template]) != dumps(warning):
            raise TemplateError("the timeline warning depends on more than its start date and days to begin by")
        return template, old

    def _iso(self, ordinal: int) -> bytes:
        found = self._isos.get(ordinal)
        if found is None:
            found = self._isos[ordinal] = date.fromordinal(ordinal).isoformat().encode()
        return found

    def _steps_template(self, plan: int, fees: int) -> tuple:
        """The steps' text with each due date a sentinel, as (bytes, days from the anchor, ...)."""
        pathway, values, made = self._plan_of(plan, -1)  # begun on the day of the evaluation: anchored there
        steps = self.builder._steps(made, Costs(self._kind_list[fees][1]))
        sentinels = tuple(replace(s, due=_DUE + timedelta(days=n)) for n, s in enumerate(steps))
        template = _cut(dumps(steps_json(_Steps(sentinels))),
                        {dumps(s.due.isoformat()): n for n, s in enumerate(sentinels)})
        days = [(s.due - self.begin).days for s in steps]
        return tuple(t if type(t) is bytes else days[t] for t in template)

    def _warning_lists(self, b: _Block, sentences: list) -> list[bytes]:
        """Each pair's warnings, as Builder._build lists them: the rules' (their tests not false),
        the events ahead that reach it, the timeline warning (but where closed), the old waits'."""
        rows, cols = b.rows, b.cols
        out = []
        status, reach = b.status[rows, cols].tolist(), b.reach[rows, cols].tolist()
        ahead = self._ahead
        bits = np.zeros(len(rows), dtype=np.int64)  # which of the pathway's warnings apply (their tests not false)
        for j in np.unique(cols).tolist():
            mine = np.nonzero(cols == j)[0]
            for n, w in enumerate(self.pathways[j].warnings):
                bits[mine] |= (b.values[rows[mine], w.slot] != 0).astype(np.int64) << n
        for x, (i, j, on) in enumerate(zip(rows.tolist(), cols.tolist(), bits.tolist())):
            said = self._rule_warnings.get((j, on))
            if said is None:
                said = self._rule_warnings[(j, on)] = [dumps(w.text) for n, w in enumerate(self.pathways[j].warnings)
                                                       if on >> n & 1]
            texts = list(said)
            profile = b.profiles[i]
            start = profile.get("start_date")
            if start is not None:
                any_ahead = ahead.get(start)
                if any_ahead is None:
                    any_ahead = ahead[start] = bool(self.builder.upcoming(start))
                if any_ahead:
                    p = self.pathways[j]
                    for u in self.builder.upcoming(start, p.visa, p.id, profile):
                        found = self._event_texts.get(u)
                        if found is None:
                            found = self._event_texts[u] = dumps(_event_sentence(self.rules.messages, u))
                        texts.append(found)
            warning, old = sentences[x]
            if warning and not (status[x] == 2 and not reach[x]):
                texts.append(warning)
            texts += old
            out.append(b"[" + b",".join(texts) + b"]")
        return out

    # costs -----------------------------------------------------------------------------------------

    def _full_cost_texts(self, b: _Block, fees, stays, low, high) -> list[bytes]:
        """Each pair's costs with their items: the fees', then the stay's, whose amounts are the pair's own."""
        rows, cols = b.rows, b.cols
        sums = self._sums(fees, np.maximum(np.array([e[2] for e in self._living_list], dtype=np.int64)[stays], 0))
        exact = NAIVE_SUM | sums[4] & _whole(low) & _whole(high)
        amounts = np.stack([sums[0] + low, sums[1] + high, sums[2] + low, sums[3] + high], axis=1)
        out = []
        cache = self._cost_texts_full
        for x, (f, stay, lo, hi, whole) in enumerate(zip(fees.tolist(), stays.tolist(), low.tolist(), high.tolist(),
                                                         exact.tolist())):
            key = (f, stay, lo, hi)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self._full_cost(b, x, f, stay, lo, hi, amounts[x].tolist() if whole else None)
            out.append(found)
        return out

    def _full_cost(self, b: _Block, x: int, fees: int, stay: int, low: float, high: float, amounts) -> bytes:
        answer = self._living_list[stay][0]
        item, note = answer
        if item is None or amounts is None:  # nothing to add up, or not whole numbers: the builder's costs
            return dumps(cost_json(_Costs(self._real_cost(b, x, fees))))
        equal = low == high
        key = (fees, item.id, item.payer, item.step, item.citations, note, equal)
        template = self._full_costs.get(key)
        if template is None:
            template = self._full_costs[key] = self._full_cost_template(b, x, fees, answer, equal)
        number = self._number_text
        # min, max, the payer's min and max; the item's usd, usd_min, usd_max and text
        shown = (number(amounts[0]), number(amounts[1]), number(amounts[2]), number(amounts[3]), number(low),
                 number(low), number(high), self._living_text(item.text))
        return b"".join([t if type(t) is bytes else shown[t] for t in template])

    def _living_text(self, text: str) -> bytes:
        found = self._texts.get(text)
        if found is None:
            found = self._texts[text] = dumps(text)
        return found

    def _real_cost(self, b: _Block, x: int, fees: int) -> Costs:
        """The builder's costs of the pair x."""
        i, j = int(b.rows[x]), int(b.cols[x])
        real = self.builder._cost(self.pathways[j], b.row(i), b.profiles[i],
                                  date.fromordinal(int(b.arrive[i, j])))
        if real.items[:len(self._kind_list[fees][1])] != self._kind_list[fees][1]:
            raise TemplateError("the builder's costs are not the fees' and the stay's")
        return real

    def _full_cost_template(self, b: _Block, x: int, fees: int, answer, equal: bool) -> tuple:
        item, note = answer
        notes = self._real_cost(b, x, fees).notes
        items = self._kind_list[fees][1]
        real = Costs(items + (item,), notes)
        sums = {p: ((_USD[2], _USD[3]) if p == item.payer else totals) for p, totals in real.by_payer.items()}
        shown = (7654321.25, 7654323.25, 7654325.25)  # the item's usd, usd_min, usd_max
        standin = _Sums(items + (_Item(item.id, "\x00living\x00", shown[1], shown[2], item.payer, item.citations,
                                       item.step, item.sources, shown[0] if equal else None),), notes,
                        (_USD[0], _USD[1], sums))
        marks = {dumps(v): n for n, v in enumerate(_USD)}
        marks.update({dumps(v): 4 + n for n, v in enumerate(shown) if equal or n})
        marks[dumps("\x00living\x00")] = 7
        template = _cut(dumps(cost_json(_Costs(standin))), marks)
        return template

    def _number_text(self, x) -> bytes:
        found = self._number_texts.get(x)
        if found is None:
            found = self._number_texts[x] = dumps(_value(x))
        return found

    def _transients(self, texts: list) -> np.ndarray:
        """Pieces for this block alone (composer.TRANSIENT)."""
        start = len(self._transient)
        self._transient += texts
        return np.arange(TRANSIENT + start, TRANSIENT + start + len(texts), dtype=np.int32)


def _unique_rows(parts: np.ndarray):
    """np.unique of the rows of a matrix of numbers from 0 (each row as one number where they fit)."""
    sizes = parts.max(axis=0, initial=0) + 1
    if np.prod(sizes.astype(float)) < 2.0**62:
        code = np.zeros(len(parts), dtype=np.int64)
        for column, size in zip(parts.T, sizes.tolist()):
            code = code * size + column
        unique, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    else:
        unique, first, inverse = np.unique(parts, axis=0, return_index=True, return_inverse=True)
    return unique, first, inverse.reshape(-1)


def _cut_all(text: bytes, sentinels: dict[bytes, int]) -> tuple:
    """`text` as the pieces between the sentinels' texts, wherever each is found (maybe nowhere)."""
    places = sorted((at, len(marker), slot) for marker, slot in sentinels.items()
                    for at in _find_all(text, marker))
    pieces, at = [], 0
    for start, length, slot in places:
        if start < at:
            raise TemplateError(f"sentinels overlap in {text[:300]!r}")
        pieces += [text[at:start], slot]
        at = start + length
    return tuple(pieces + [text[at:]])


def _find_all(text: bytes, marker: bytes):
    at = text.find(marker)
    while at >= 0:
        yield at
        at = text.find(marker, at + len(marker))


class _Programs:
    def __init__(self, programs):
        self.programs = programs


class _Steps:
    def __init__(self, steps):
        self.steps = steps


class _Costs:
    def __init__(self, cost):
        self.cost = cost
