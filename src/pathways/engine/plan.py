"""When a person can start: the steps of a pathway laid out in time.

Each step takes between `weeks_min` and `weeks_max` and starts when every step it
waits for is done. Begun on `as_of`, the quickest the plan can go gives the earliest
first day; the slowest gives the day everything is surely done. With a start date,
`begin_by` is the last day to begin so that even the slow case is ready: the
coordinator's "can this person start on 1 September?" is a yes or no, the step that
decides it, and that date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from .compiled import CompiledStep
from .evaluate import PathwayResult


@dataclass(frozen=True)
class PlannedStep:
    step: CompiledStep
    start_min: float  # weeks after beginning, if every step goes fast
    finish_min: float
    start_max: float  # weeks after beginning, if every step is slow
    finish_max: float


@dataclass(frozen=True)
class Plan:
    begin: date
    steps: tuple[PlannedStep, ...]
    earliest_start: date  # the first day of training if every step goes fast
    ready_by: date  # the first day of training even if every step is slow
    critical: tuple[str, ...]  # the steps that decide the slow case, first to last
    deciding_step: str | None  # the longest of them
    start_date: date | None
    begin_by: date | None  # the last day to begin for the slow case to be ready on start_date

    @property
    def can_start(self) -> bool | None:
        """On the start date: True if even the slow case is ready, False if not even the fast one is, else None."""
        if self.start_date is None:
            return None
        if self.ready_by <= self.start_date:
            return True
        return False if self.earliest_start > self.start_date else None

    def step(self, step_id: str) -> PlannedStep | None:
        return next((p for p in self.steps if p.step.id == step_id), None)


def _days(weeks: float) -> timedelta:
    return timedelta(days=math.ceil(weeks * 7))


def make_plan(result: PathwayResult, begin: date, start_date: date | None) -> Plan:
    values = result.values
    needed = [s for s in result.pathway.steps if values[s.slot] is not False]
    ids = {s.id for s in needed}
    timing: dict[str, PlannedStep] = {}
    slowest_before: dict[str, str | None] = {}
    for s in needed:  # compiled steps come in an order where each follows what it waits for
        before = [timing[a] for a in s.after if a in ids]
        start_min = max((b.finish_min for b in before), default=0.0)
        start_max = max((b.finish_max for b in before), default=0.0)
        slowest_before[s.id] = max(before, key=lambda b: b.finish_max).step.id if before else None
        timing[s.id] = PlannedStep(s, start_min, start_min + s.weeks_min, start_max, start_max + s.weeks_max)
    blocking = [timing[s.id] for s in needed if s.blocks_start]
    fast = max((p.finish_min for p in blocking), default=0.0)
    slow = max((p.finish_max for p in blocking), default=0.0)
    critical: list[str] = []
    if blocking:
        last = max(blocking, key=lambda p: p.finish_max).step.id
        while last is not None:
            critical.insert(0, last)
            last = slowest_before[last]
    deciding = max(critical, key=lambda i: timing[i].step.weeks_max, default=None)
    begin_by = start_date - _days(slow) if start_date else None
    return Plan(begin, tuple(timing.values()), begin + _days(fast), begin + _days(slow), tuple(critical), deciding,
                start_date, begin_by)


def timeline_warning(plan: Plan) -> str | None:
    """A sentence when the start date cannot be reached, or only if everything goes fast."""
    if plan.can_start is True or plan.start_date is None:
        return None
    step = plan.step(plan.deciding_step) if plan.deciding_step else None
    decides = f" The step that decides it: {step.step.text.rstrip('.')} ({step.step.weeks_min:g} to {step.step.weeks_max:g} weeks)." if step else ""
    if plan.can_start is False:
        return (f"The start date {plan.start_date} cannot be reached if work begins on {plan.begin}: "
                f"the earliest first day is {plan.earliest_start}.{decides}")
    return (f"The start date {plan.start_date} is reached only if every step goes fast: to be safe, work should "
            f"have begun by {plan.begin_by}.{decides}")
