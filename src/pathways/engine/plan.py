"""When a person can start: the steps of a pathway laid out in time.

Each step takes between its fastest and worst time, usually its typical time, and starts
when every step it waits for is done. Work begins on the day of the evaluation
(`as_of`): the fast case gives the earliest first day, the typical case the likely one,
the slow case the day everything is surely done. With a start date, `begin_by` is the
last day to begin for the typical plan to meet it and `begin_by_safe` the same for the
slow plan. A consular interview's wait is the one published for the person's country
where the knowledge base has it.

Weeks become days in one place, `days()`: every date of a plan, a page, a PDF or a
workspace checklist comes from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from ..rules.messages import say, short  # noqa: F401  (short: the deciding step named in a sentence)
from .compiled import CompiledStep, PostWait, Rules


_DAYS: dict[float, timedelta] = {}


def days(weeks: float) -> timedelta:
    """Weeks as whole days, rounded up: a step of 1.5 weeks needs 11 days, not 10."""
    found = _DAYS.get(weeks)
    if found is None:
        found = _DAYS[weeks] = timedelta(days=math.ceil(round(weeks * 7, 6)))
    return found


@dataclass(frozen=True, slots=True)
class Span:
    """Weeks, or weeks after work begins, in the fast, typical and slow cases."""

    min: float
    typical: float
    max: float


@dataclass(frozen=True, slots=True)
class PlannedStep:
    step: CompiledStep
    weeks: Span  # how long it takes (a consular wait: the person's post's)
    starts: Span  # weeks after work begins
    finishes: Span
    due: date  # the last day to finish it for the typical plan to meet the start date (never before as_of)
    wait: PostWait | None = None  # the published wait it uses, if any (a fresh one)
    old_wait: PostWait | None = None  # a post's figure over a year old: counted only as the slow case
    start_on: date | None = None  # the typical plan's days to start it and to have it done (work begun on the
    done_by: date | None = None  # plan's first day): the layout's, whatever the start date


@dataclass(frozen=True, slots=True)
class Timeline:
    begin: date  # the day work begins: the evaluation's date
    earliest_start: date  # first day of training if every step goes fast
    likely_start: date  # ... if every step takes its typical time
    ready_by: date  # ... even if every step is slow
    start_date: date | None
    begin_by: date | None  # last day to begin for the typical plan to meet start_date
    begin_by_safe: date | None  # ... for the slow plan
    can_start: str | None  # yes | likely | only-if-fast | no (None without a start date)
    deciding_step: str | None  # the longest step on the critical path
    critical_path: tuple[str, ...]

    @property
    def late(self) -> bool:
        """The typical plan should already have begun: say "late: begin now", not a past date."""
        return self.begin_by is not None and self.begin_by < self.begin


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[PlannedStep, ...]
    timeline: Timeline

    def step(self, step_id: str) -> PlannedStep | None:
        return next((p for p in self.steps if p.step.id == step_id), None)


WAIT_FRESH_FOR = timedelta(days=365)  # waits change monthly: a figure over a year old no longer sets the typical case


def fresh(wait: PostWait, on: date) -> bool:
    return on - wait.snapshot <= WAIT_FRESH_FOR


def step_weeks(step: CompiledStep, wait: PostWait | None, rules: Rules) -> Span:
    """A step's durations; an interview's are the post's published wait plus processing after it.
    A post's figure over a year old is only the slow case: the typical case is the step's own."""
    if wait is None:
        return Span(step.weeks_min, step.weeks_typical, step.weeks_max)
    low, typical, high = rules.processing
    if not fresh(wait, rules.as_of):
        return Span(step.weeks_min, step.weeks_typical, max(step.weeks_max, wait.weeks + high))
    return Span(min(step.weeks_min, wait.weeks), wait.weeks + typical, wait.weeks + high)


def can_start(timeline_fast: date, typical: date, slow: date, start_date: date | None) -> str | None:
    if start_date is None:
        return None
    if slow <= start_date:
        return "yes"
    if typical <= start_date:
        return "likely"
    return "only-if-fast" if timeline_fast <= start_date else "no"


def make_plan(rules: Rules, steps: tuple[CompiledStep, ...], values: tuple, begin: date, start_date: date | None,
              waits: dict[str, PostWait]) -> Plan:
    """The needed steps (those whose `when` is not false) in time, from `begin`.

    The layout (how long each step takes and when it starts and finishes, in weeks) does not
    depend on the start date, so it is kept for the steps, the answers that decide which are
    needed, the day and the post's waits; the start date only sets the days to begin by."""
    return _dated(_layout(rules, steps, values, begin, waits), rules, begin, start_date)


def make_timeline(rules: Rules, steps: tuple[CompiledStep, ...], values: tuple, begin: date,
                  start_date: date | None, waits: dict[str, PostWait]) -> Timeline:
    """The timeline of `make_plan`'s plan, without its dated steps (all that a summary shows)."""
    return _timeline(_layout(rules, steps, values, begin, waits), begin, start_date)


def _layout(rules: Rules, steps: tuple[CompiledStep, ...], values: tuple, begin: date,
            waits: dict[str, PostWait]) -> "_Layout":
    needed = tuple([values[s.slot] is not False for s in steps])
    waits = waits or _NO_WAITS  # one empty mapping, so that those without waits share layouts
    layouts = memo(rules, "layouts")
    key = (id(steps), needed, begin, id(waits))
    found = layouts.get(key)
    if found is None or found[0] is not steps or found[1] is not waits:  # kept with it: their ids are not reused
        found = layouts[key] = (steps, waits, _lay_out(rules, steps, needed, begin, waits))
    return found[2]


_NO_WAITS: dict[str, PostWait] = {}
MEMO_LIMIT = 50_000  # entries per memo; cleared, not grown, past it


def memo(rules: Rules, name: str) -> dict:
    """A dict of what was worked out from these rules, that lives and dies with them (never
    pickled: Rules.__reduce__ names its fields). Cleared when it grows past MEMO_LIMIT, or past
    the smaller bound `bound_memos` set."""
    found = rules.__dict__.get(name)
    if found is None or len(found) >= rules.__dict__.get("memo_limit", MEMO_LIMIT):
        found = {}
        object.__setattr__(rules, name, found)  # frozen against changes to the rules, not to this
    return found


def bound_memos(rules: Rules, limit: int) -> None:
    """Keep each memo of these rules to `limit` entries: a long-running server asked about ever
    new people (each new start date and stay adds living costs) sets its own, smaller bound."""
    object.__setattr__(rules, "memo_limit", min(limit, MEMO_LIMIT))


@dataclass(frozen=True, slots=True)
class _Layout:
    timing: tuple  # per needed step: (step, weeks, wait, start min/typical/max, finish min/typical/max, slowest before)
    fast: float  # weeks to the first day, fast, typical and slow
    typical: float
    slow: float
    deciding: str | None
    critical: tuple[str, ...]
    # per needed step, what its dated form holds whatever the start date: (step, weeks, starts,
    # finishes, days to its typical finish, its current wait, its wait over a year old, the
    # typical plan's days to start it and to have it done)
    dated: tuple = ()


def _lay_out(rules: Rules, steps: tuple[CompiledStep, ...], needed: tuple, begin: date,
             waits: dict[str, PostWait]) -> _Layout:
    """Kept to plain floats and tuples inside the loop: a verdict lays out a plan for every
    pathway, thousands of times a second in a batch."""
    timing: dict[str, tuple] = {}  # id -> (step, weeks, wait, start min/typical/max, finish min/typical/max, slowest before)
    for s, need in zip(steps, needed):  # compiled steps come in an order where each follows what it waits for
        if not need:
            continue
        wait = waits.get(s.consular_wait) if s.consular_wait else None
        weeks = step_weeks(s, wait, rules)
        a0 = a1 = a2 = 0.0
        slowest = None
        for other in s.after:
            b = timing.get(other)
            if b is None:
                continue
            if b[6] > a0:
                a0 = b[6]
            if b[7] > a1:
                a1 = b[7]
            if slowest is None or b[8] > a2:
                a2, slowest = b[8], other
        timing[s.id] = (s, weeks, wait, a0, a1, a2, a0 + weeks.min, a1 + weeks.typical, a2 + weeks.max, slowest)
    fast = typical = 0.0
    last, last_slow = None, -1.0
    for t in timing.values():
        if not t[0].blocks_start:
            continue
        fast, typical = max(fast, t[6]), max(typical, t[7])
        if t[8] > last_slow:
            last, last_slow = t[0].id, t[8]
    slow = max(last_slow, 0.0)
    critical: list[str] = []
    while last is not None:
        critical.append(last)
        last = timing[last][9]
    critical.reverse()
    deciding = max(critical, key=lambda i: timing[i][1].max, default=None)
    dated = []
    for s, weeks, wait, a0, a1, a2, f0, f1, f2, _ in timing.values():
        current = wait is not None and fresh(wait, rules.as_of)
        finish = days(f1)
        dated.append((s, weeks, Span(a0, a1, a2), Span(f0, f1, f2), finish, wait if current else None,
                      wait if wait is not None and not current else None, begin + days(a1), begin + finish))
    return _Layout(tuple(timing.values()), fast, typical, slow, deciding, tuple(critical), tuple(dated))


def _timeline(layout: _Layout, begin: date, start_date: date | None) -> Timeline:
    begin_by = start_date - days(layout.typical) if start_date else None
    begin_by_safe = start_date - days(layout.slow) if start_date else None
    earliest, likely, ready = begin + days(layout.fast), begin + days(layout.typical), begin + days(layout.slow)
    return Timeline(begin, earliest, likely, ready, start_date, begin_by, begin_by_safe,
                    can_start(earliest, likely, ready, start_date), layout.deciding, layout.critical)


def _dated(layout: _Layout, rules: Rules, begin: date, start_date: date | None) -> Plan:
    """The layout in days: the timeline, and each step with the day it is due by."""
    timeline = _timeline(layout, begin, start_date)
    begin_by = timeline.begin_by
    anchor = begin_by if begin_by is not None and begin_by >= begin else begin
    return Plan(tuple([PlannedStep(s, weeks, starts, finishes, anchor + finish, current, old, start_on, done_by)
                       for s, weeks, starts, finishes, finish, current, old, start_on, done_by in layout.dated]), timeline)


def timeline_warning(plan: Plan, messages) -> str | None:
    """A sentence when the start date is at risk: not reachable, reachable only if fast, or
    reachable on the typical plan but not if steps are slow (knowledge/messages.yaml)."""
    t = plan.timeline
    if t.start_date is None or t.can_start == "yes":
        return None
    step = plan.step(t.deciding_step) if t.deciding_step else None
    deciding = ""
    if step:
        weeks = {"step": short(step.step.text), "weeks": f"{step.weeks.typical:g}",
                 "fastest": f"{step.weeks.min:g}", "slowest": f"{step.weeks.max:g}"}
        deciding = (say(messages, "deciding-step-at-post", post=step.wait.post, **weeks) if step.wait
                    else say(messages, "deciding-step", **weeks))
    if t.can_start == "no":
        return say(messages, "start-date-out-of-reach", start_date=t.start_date, begin=t.begin,
                   earliest=t.earliest_start, deciding=deciding)
    if t.can_start == "only-if-fast":
        return say(messages, "start-date-only-if-fast", start_date=t.start_date, likely=t.likely_start, deciding=deciding)
    # "likely": the slow plan, begun today, would miss the start date
    return say(messages, "start-date-at-usual-pace", start_date=t.start_date, begin_by=t.begin_by,
               ready_by=t.ready_by, deciding=deciding)
