"""A pathway's plan as Markdown: the steps with dates, the answer on the start date, costs.
Every date and amount comes from the verdict; nothing is computed here."""

from __future__ import annotations

from .wording import fee_text, without_stand_in

ACTOR = {"person": "you", "host": "the host", "agency": "an agency"}
CAN_START = {"yes": "yes", "likely": "yes at the usual pace; not if every step is slow",
             "only-if-fast": "only if every step goes fast", "no": "no"}


def _usd(value) -> str:
    return "not collected" if value is None else f"${value:,.0f}"


def _weeks(span) -> str:
    return f"{span.min:g} to {span.max:g} weeks, usually {span.typical:g}"


def plan_markdown(p, letters: list[dict] = ()) -> str:
    """`letters`: the letter kinds the pathway needs (Engine.letters_for), each named under the
    steps it serves."""
    t = p.timeline
    serving: dict[str, list[dict]] = {}
    for letter in letters:
        for step in letter["steps"]:
            serving.setdefault(step, []).append(letter)
    lines = [f"# Plan: {p.name}", "",
             f"`{p.id}`: {p.visa} → {p.authorization} → patient contact: {p.patient_contact}. "
             f"Status: **{p.status}**. " + (
                 f"Work begins on {t.begin}, the day of the evaluation." if t.start_date else
                 f"Your start date is not known, so the plan counts from {t.begin}, the day of the evaluation, and "
                 "gives the earliest and the likely first day of training; give `start_date` in the profile to see "
                 "whether you can start on that day and when to begin."), ""]
    if p.group == "reachable":
        lines += ["> Within reach: what is missing can be arranged on the way ("
                  + ", ".join(p.would_take.arrange) + ").", ""]
    elif p.status != "open":
        lines += ["> This pathway is not open for you yet: see `pathways explain` for what it would take.", ""]
    if p.programs:
        lines += ["## Where to apply", ""]
        for g in p.programs:
            who = f" {g.takes_text}" if g.takes_text else ""
            lines.append(f"- **{g.name}** ({g.institution}){':' + who if who else ''}"
                         + {"maybe": " (may take you: check)", "if-arranged": " (once what it asks is arranged)"}.get(g.takes, "") + (f" <{g.address}>" if g.address else ""))
        lines.append("")
    if p.steps:
        lines += ["## Steps", ""]
    paid: dict[str, list] = {}
    for item in p.cost.items:
        if item.step:
            paid.setdefault(item.step, []).append(item)
    for number, s in enumerate(p.steps, start=1):
        lines.append(f"{number}. **{without_stand_in(s.text)}**")
        lines.append(f"   - Who: {ACTOR[s.actor]}. Takes {_weeks(s.weeks)}"
                     + (f" (the published wait at {s.post})." if s.post else "."))
        lines.append(f"   - At the usual pace: starts {s.start_on}, done {s.done_by}."
                     + (f" Finish by {s.due} to meet the start date." if t.start_date else ""))
        if s.after:
            lines.append(f"   - After: {', '.join(s.after)}.")
        if not s.blocks_start:
            lines.append("   - May be finished after training starts.")
        for item in paid.get(s.id, []):
            lines.append(f"   - Pays: {fee_text(item.text)} ({_usd(item.usd_max)}, paid by {item.payer}).")
        for letter in serving.get(s.id, []):
            lines.append(f"   - Letter: {letter['name']} (`pathways letter {letter['kind']}`).")
        lines.append(f"   - Sources: {'; '.join(s.citations)}.")
    lines += ["", "## When you can start", "",
              f"- Earliest first day, if every step goes fast: **{t.earliest_start}**.",
              f"- Likely first day, at the usual pace: **{t.likely_start}**.",
              f"- Ready even if every step is slow: **{t.ready_by}**."]
    if t.deciding_step:
        lines.append(f"- The step that decides it: `{t.deciding_step}` (path: {' → '.join(t.critical_path)}).")
    if t.start_date:
        lines.append(f"- Can training start on {t.start_date}? **{CAN_START[t.can_start]}**.")
        lines.append("- " + ("**Late: begin now.**" if t.late else f"Begin by **{t.begin_by}** (usual pace)")
                     + (f"; by {t.begin_by_safe} to be safe even if every step is slow." if t.begin_by_safe >= t.begin else "."))
        if p.timeline_warning:
            lines.append(f"- {without_stand_in(p.timeline_warning)}")
    lines += ["", f"## Costs (fees in force on {t.begin})", "", "| item | paid by | amount |", "|---|---|---|"]
    for item in p.cost.items:
        amount = _usd(item.usd_max) if item.usd_min == item.usd_max else f"{_usd(item.usd_min)} to {_usd(item.usd_max)}"
        lines.append(f"| {fee_text(item.text)} | {item.payer} | {amount} |")
    lines.append(f"| **total** | | **{_usd(p.cost.min)} to {_usd(p.cost.max)}** |")
    lines += ["", *[f"- {without_stand_in(note)}" for note in p.cost.notes]]
    return "\n".join(lines).rstrip() + "\n"
