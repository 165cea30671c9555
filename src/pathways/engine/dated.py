"""A person's answer from dated templates (issue 16: the API's `/evaluate` for a new person, both details).

A new start date makes every pathway's verdict new: its plan's timeline and the day each step is
due, its stay's living costs and totals, and the sentence that warns when the start date is at
risk. Everything else in a pathway's text is the same for everyone who shares the rest of what the
builder's verdict depends on (build.py `Builder.pathway`'s key without the start date, the
length of stay and the facts its requirements read) and whose start date stands the same way
(can start, late) with the same kind of living costs. The facts read show in three parts only,
the requirements, what it would take and the programmes: those are the builder's own, shared by
everyone they are the same for (`Builder._judge`), and their texts are spliced in. So a
pathway's text is written, the second time its kind is met, by the builder and report.py
themselves; then written again with sentinels in place of the dated values and of those three
parts, and cut at them into a template; then filled with that person's own values and compared
with the builder's text. A template that does not give the same bytes is never used: that kind
is built the plain way, every time. (Not the first time: a template costs some three plain
builds, and people who share nothing with anyone, a varied stream, would pay it for nothing.)
The values filled in are worked out by the same functions the builder uses (plan.make_timeline,
plan.timeline_warning, costs.living_item, costs.owed_fees, Costs.totals), so the text is the
verdict's, without its objects.

People without a start date share the builder's verdicts already (nothing in them is dated by
the person): their answers are the builder's and BatchWriter's. The summary (section 4) is
made the same way, its template keeping the requirements as they are (it shows their ids).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, NamedTuple

import orjson

from ..rules.jsontext import json_bytes
from .brief import _Verdict
from .build import residence
from .costs import Costs, living_item, owed_fees, totals_with
from .evaluate import evaluate
from .plan import Plan, make_timeline, timeline_warning
from .composer_full import _Item, _cut_all
from .report import BatchWriter, _programs_json, _requirements_json, _tail, _value, _would_take_json, pathway_json
from .sentinels import NAIVE_SUM, TemplateError, _Sums
from .verdict import ProgramVerdict, RequirementVerdict, WarningVerdict, WouldTake

# sentinels: days, amounts and texts no real verdict holds, written where a person's own go
_START, _BY, _BY_LATE, _SAFE = date(9999, 12, 3), date(9999, 12, 5), date(1, 1, 5), date(9999, 12, 7)
_DUE = date(9000, 1, 1)  # step n is due on this day + n days
_WARNING, _LIVING = "\x00timeline_warning\x00", "\x00living\x00"
_AMOUNTS = tuple(7654321.25 + 2 * n for n in range(16))
_REQUIREMENTS = (RequirementVerdict("\x00requirements\x00", "eligibility", "", "met", (), (), (), None, False,
                                    "pathway"),)
_WOULD_TAKE = WouldTake(("\x00would_take\x00",), (), (), ())
_PROGRAMS = (ProgramVerdict("\x00programs\x00", "", "", "", "yes", None, None, (), ()),)
# slots of a template: the three parts the facts read show, the start date and the days to begin
# by, the timeline warning, the stay's text, then amounts (totals, the payers', the stay's item),
# then the steps' due days
REQUIREMENTS, WOULD_TAKE, PROGRAMS, START, BEGIN_BY, SAFE, WARNING, LIVING, AMOUNTS = range(9)


class _Near(NamedTuple):  # what the answer's tail reads of a nearest pathway (report._tail)
    id: str
    patient_contact: str
    status: str
    reachable: bool
    would_take: Any


_NO_TEMPLATE = object()  # a kind whose template did not give the builder's text: built the plain way
_SEEN_ONCE = object()  # a kind met once: its template is made when it comes again


class Dated:
    """Answers of one day's evaluations at one detail (report.DETAILS); templates kept per kind of
    pathway verdict."""

    def __init__(self, builder, places, kept: int, detail: str = "full"):
        self.builder, self.rules, self.places, self.kept = builder, builder.rules, places, kept
        self.detail, self.full = detail, detail == "full"
        self.templates: dict[tuple, object] = {}  # a kind -> (template, its shape), _SEEN_ONCE or _NO_TEMPLATE
        self.parts: dict[tuple, tuple] = {}  # (slot, id of a judged part) -> (the part, its text)
        self.writer = BatchWriter(detail, max_cached=kept)  # people without a start date: the builder's verdicts

    def answer(self, profile) -> bytes:
        evaluation = evaluate(self.rules, profile, self.places)
        start = profile.get("start_date")
        if start is None:
            return self.writer.encode(self.builder.verdict(evaluation))
        if len(self.templates) > self.kept or len(self.parts) > 3 * self.kept:
            self.templates.clear()  # all let go past the bound, as the builder's caches are
            self.parts.clear()
        country = residence(profile)
        near, texts = {}, []
        for result in evaluation.pathways:
            near[result.pathway.id], text = self._pathway(result, profile, country, start)
            texts.append(text)
        rules = self.rules
        tail = _Verdict(tuple(near[r.pathway.id] for r in evaluation.nearest()), rules.events,
                        self.builder._upcoming_for(evaluation), rules.last_checked, rules.stale)
        head = json_bytes({"as_of": rules.as_of.isoformat(), "category": evaluation.category})
        return b"".join((head[:-1], b',"pathways":[', b",".join(texts), b"],", json_bytes(_tail(tail))[1:]))

    def _pathway(self, result, profile, country, start: date) -> tuple[_Near, bytes]:
        p, values, builder, rules = result.pathway, result.values, self.builder, self.rules
        judged, planning, reaching = builder._keys(result, profile)
        requirements, reachable, _, would_take, programs = builder._judge(result, profile, judged)
        near = _Near(p.id, p.patient_contact, result.status, reachable, would_take)
        waits = rules.waits.get(country, {}) if country else {}
        timeline = make_timeline(rules, p.steps, values, rules.as_of, start, waits)
        living = living_item(rules, profile, start, p.jurisdiction)  # what Builder._cost's costs() adds
        item, note = living
        key = (p.id, judged[1], planning[2], builder._waits_used(p, country), reaching, timeline.can_start,
               timeline.late, note, None if item is None else (item.id, item.payer, item.step, item.citations,
                                                               item.sources, item.usd_min == item.usd_max))
        found = self.templates.get(key)
        if found is None or found is _NO_TEMPLATE:
            if found is None:
                self.templates[key] = _SEEN_ONCE
            return near, self.writer._pathway(builder.pathway(result, profile))
        if found is _SEEN_ONCE:
            verdict = builder.pathway(result, profile)
            found = self.templates[key] = self._template(verdict, result, country, start, item)
            return near, json_bytes(pathway_json(verdict, self.detail))
        template, shape = found
        fills = _fills(shape, rules, timeline, owed_fees(rules, p, values), item, self.full)
        if self.full:
            fills[REQUIREMENTS] = self._text(REQUIREMENTS, requirements, _requirements_json)
            if would_take is not None:
                fills[WOULD_TAKE] = self._text(WOULD_TAKE, would_take, _would_take_json)
            fills[PROGRAMS] = self._text(PROGRAMS, programs, _programs_json)
        return near, template.text(fills)

    def _text(self, slot: int, part, write) -> bytes:
        """A judged part's text, kept with the part (so that its id is not reused meanwhile)."""
        found = self.parts.get((slot, id(part)))
        if found is None or found[0] is not part:
            found = self.parts[(slot, id(part))] = (part, json_bytes(write(part)))
        return found[1]

    def _template(self, verdict, result, country, start: date, item):
        """The kind's template, checked against the builder's text of the verdict it is made from."""
        p, values, rules = result.pathway, result.values, self.rules
        try:
            shape = _Shape(verdict, self.builder._plan(p, values, start, country), item)
            standin = json_bytes(pathway_json(shape.standin(self.full), self.detail))
            template = _Template(_cut_all(standin, shape.marks()))
            fills = _fills(shape, rules, verdict.timeline, owed_fees(rules, p, values), item, self.full)
            fills[REQUIREMENTS] = json_bytes(_requirements_json(verdict.requirements))
            fills[WOULD_TAKE] = b"" if verdict.would_take is None else json_bytes(_would_take_json(verdict.would_take))
            fills[PROGRAMS] = json_bytes(_programs_json(verdict.programs))
            if template.text(fills) != json_bytes(pathway_json(verdict, self.detail)):
                raise TemplateError(f"{p.id}: the template does not give the builder's text")
        except TemplateError:
            return _NO_TEMPLATE
        return template, shape


class _Template:
    """A text cut at its slots (sentinels._cut's pieces: text, slot, text, ..., text), filled by slot."""

    def __init__(self, pieces: tuple):
        self.texts, slots = pieces[0::2], pieces[1::2]
        self.size = len(pieces)
        self.values = (lambda fills: ()) if not slots else (
            itemgetter(*slots) if len(slots) > 1 else (lambda fills, at=slots[0]: (fills[at],)))

    def text(self, fills: list) -> bytes:
        out = [b""] * self.size
        out[0::2] = self.texts
        out[1::2] = self.values(fills)
        return b"".join(out)


class _Shape:
    """What a kind's template is made of, and what fills it: a verdict of the kind, its plan's
    steps (the deciding step's weeks and wait, for the timeline warning), the days from the
    plan's anchor to each step's due day, and the payers of its costs."""

    def __init__(self, verdict, plan: Plan, item):
        t = verdict.timeline
        if t.start_date is None or t.begin_by is None:
            raise TemplateError("a template is made for a start date")
        cost = verdict.cost
        if item is not None and (not cost.items or cost.items[-1] is not item):
            raise TemplateError("the costs do not end with the stay's item")
        self.verdict, self.plan_steps, self.item = verdict, plan.steps, item
        self.warned = verdict.timeline_warning is not None
        anchor = t.begin if t.late else t.begin_by
        self.dues = tuple([(s.due - anchor).days for s in verdict.steps])
        self.payers = tuple(cost.totals()[2])
        fees = cost.items[:-1] if item is not None else cost.items
        self.fee_totals = Costs(fees).totals() if NAIVE_SUM else None  # the same for everyone of the kind
        self.amounts = 2 + 2 * len(self.payers) + (0 if item is None else 3)

    def standin(self, judged: bool = True):
        """The verdict with sentinels where the dated values go, and the judged parts (`judged`:
        the summary shows none of them but the requirements' ids, kept as they are)."""
        v, t = self.verdict, self.verdict.timeline
        timeline = replace(t, start_date=_START, begin_by=_BY_LATE if t.late else _BY, begin_by_safe=_SAFE)
        steps = tuple([replace(s, due=_DUE + timedelta(days=n)) for n, s in enumerate(v.steps)])
        a = _AMOUNTS
        items = v.cost.items
        if self.item is not None:
            i, n = self.item, 2 + 2 * len(self.payers)
            items = items[:-1] + (_Item(i.id, _LIVING, a[n + 1], a[n + 2], i.payer, i.citations, i.step, i.sources,
                                        a[n] if i.usd_min == i.usd_max else None),)
        sums = (a[0], a[1], {payer: (a[2 + 2 * k], a[3 + 2 * k]) for k, payer in enumerate(self.payers)})
        warnings = v.warnings
        if self.warned:
            warnings = tuple([WarningVerdict(_WARNING, ()) if w.text == v.timeline_warning and not w.citations else w
                              for w in warnings])
        if judged:
            v = replace(v, requirements=_REQUIREMENTS, would_take=None if v.would_take is None else _WOULD_TAKE,
                        programs=_PROGRAMS)
        return replace(v, timeline=timeline, steps=steps, cost=_Sums(items, v.cost.notes, sums), warnings=warnings,
                       timeline_warning=_WARNING if self.warned else None)

    def marks(self) -> dict[bytes, int]:
        late = self.verdict.timeline.late
        marks = {json_bytes(_requirements_json(_REQUIREMENTS)): REQUIREMENTS,
                 json_bytes(_would_take_json(_WOULD_TAKE)): WOULD_TAKE, json_bytes(_programs_json(_PROGRAMS)): PROGRAMS,
                 json_bytes(_START.isoformat()): START, json_bytes((_BY_LATE if late else _BY).isoformat()): BEGIN_BY,
                 json_bytes(_SAFE.isoformat()): SAFE, json_bytes(_WARNING): WARNING, json_bytes(_LIVING): LIVING}
        marks.update({json_bytes(_AMOUNTS[n]): AMOUNTS + n for n in range(self.amounts)})
        marks.update({json_bytes((_DUE + timedelta(days=n)).isoformat()): AMOUNTS + self.amounts + n
                      for n in range(len(self.dues))})
        return marks


def _fills(shape: _Shape, rules, timeline, fees: tuple, item, full: bool = True) -> list:
    """The texts a person's own dated values put in a template's slots (the judged parts' slots
    are left empty, for the caller; a summary shows no warning, no stay's text and no steps)."""
    warning = b""
    if full and shape.warned:
        warning = json_bytes(timeline_warning(Plan(shape.plan_steps, timeline), rules.messages))
    if shape.fee_totals is None:
        least, most, by_payer = Costs(fees if item is None else (*fees, item)).totals()
    else:  # the kind's fees' totals, the stay's amounts added
        least, most, by_payer = shape.fee_totals if item is None else totals_with(shape.fee_totals, item)
    amounts = [least, most]
    for payer in shape.payers:
        amounts += by_payer[payer]
    if item is not None:
        amounts += (item.usd, item.usd_min, item.usd_max)
    isos = _ISOS
    days = [d.toordinal() for d in (timeline.start_date, timeline.begin_by, timeline.begin_by_safe)]
    fills = [b"", b"", b"", *[isos.get(d) or _iso_of(d) for d in days], warning,
             b"" if item is None or not full else json_bytes(item.text)]
    numbers = _NUMBERS
    fills += [numbers.get(x) or _number(x) for x in amounts]
    if full:
        anchor = timeline.begin.toordinal() if timeline.late else days[1]
        fills += [isos.get(anchor + n) or _iso_of(anchor + n) for n in shape.dues]
    return fills


_NUMBERS: dict = {}  # an amount -> its JSON text (fees and their sums repeat from person to person)


def _number(x) -> bytes:
    if len(_NUMBERS) > 100_000:
        _NUMBERS.clear()
    found = _NUMBERS[x] = orjson.dumps(_value(x))
    return found


_ISOS: dict[int, bytes] = {}  # a day's number -> its JSON text (a plan's due days fall within some years)


def _iso_of(ordinal: int) -> bytes:
    if len(_ISOS) > 100_000:
        _ISOS.clear()
    found = _ISOS[ordinal] = _iso(date.fromordinal(ordinal))
    return found


def _iso(day: date) -> bytes:
    return b'"' + day.isoformat().encode() + b'"'
