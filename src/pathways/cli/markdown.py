"""A pathway's plan as Markdown: the steps with dates, the answer on the start date, costs."""

from __future__ import annotations

from datetime import timedelta

from ..engine.costs import Costs
from ..engine.plan import Plan, timeline_warning

ACTOR = {"person": "you", "host": "the host", "agency": "an agency"}


def _day(begin, weeks: float):
    return begin + timedelta(days=round(weeks * 7))


def _usd(value) -> str:
    return "not collected" if value is None else f"${value:,.0f}"


def plan_markdown(result, plan: Plan, costs: Costs) -> str:
    p = result.pathway
    lines = [f"# Plan: {p.name}", "",
             f"`{p.id}`: {p.visa} → {p.authorization} → patient contact: {p.patient_contact}. "
             f"Status: **{result.status}**. Work begins on {plan.begin}.", ""]
    if result.status != "open":
        lines += ["> This pathway is not open for you yet: see `pathways explain` for what it would take.", ""]
    lines += ["## Steps", ""]
    paid: dict[str, list] = {}
    for item in costs.items:
        if item.step:
            paid.setdefault(item.step, []).append(item)
    for number, s in enumerate(plan.steps, start=1):
        step = s.step
        when = f"{_day(plan.begin, s.start_min)} at the earliest, {_day(plan.begin, s.start_max)} if earlier steps are slow"
        done = f"{_day(plan.begin, s.finish_min)} to {_day(plan.begin, s.finish_max)}"
        lines.append(f"{number}. **{step.text}**")
        lines.append(f"   - Who: {ACTOR[step.actor]}. Takes {step.weeks_min:g} to {step.weeks_max:g} weeks.")
        lines.append(f"   - Starts {when}; done {done}.")
        if step.after:
            lines.append(f"   - After: {', '.join(step.after)}.")
        if not step.blocks_start:
            lines.append("   - May be finished after training starts.")
        for item in paid.get(step.id, []):
            lines.append(f"   - Pays: {item.text} ({_usd(item.usd_max)}, paid by {item.payer}).")
        lines.append(f"   - Sources: {'; '.join(step.citations)}.")
    lines += ["", "## When you can start", "",
              f"- Earliest first day, if every step goes fast: **{plan.earliest_start}**.",
              f"- Ready even if every step is slow: **{plan.ready_by}**."]
    if plan.deciding_step:
        lines.append(f"- The step that decides it: `{plan.deciding_step}` (path: {' → '.join(plan.critical)}).")
    if plan.start_date:
        answer = {True: "yes", False: "no", None: "only if every step goes fast"}[plan.can_start]
        lines.append(f"- Can training start on {plan.start_date}? **{answer}**. Begin by {plan.begin_by} to be safe.")
        warning = timeline_warning(plan)
        if warning:
            lines.append(f"- {warning}")
    lines += ["", "## Costs (fees in force on " + str(plan.begin) + ")", "",
              "| item | paid by | amount |", "|---|---|---|"]
    for item in costs.items:
        amount = _usd(item.usd_max) if item.usd_min == item.usd_max else f"{_usd(item.usd_min)} to {_usd(item.usd_max)}"
        lines.append(f"| {item.text} | {item.payer} | {amount} |")
    lines.append(f"| **total** | | **{_usd(costs.total('min'))} to {_usd(costs.total('max'))}** |")
    lines += [f"", *[f"- {note}" for note in costs.notes]]
    return "\n".join(lines).rstrip() + "\n"
