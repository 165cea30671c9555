"""Put together what applies to one pathway on one date.

A pathway's requirements come from its visa (`use: visa`), its authorization and route
(`use: authorization`), its own list, and the policy events in force that day (an
entry restriction adds a requirement to the pathways of the visas it suspends). The
same requirement id from two places is one requirement with both sets of citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from . import schema


@dataclass(frozen=True)
class Part:
    """A requirement or warning with where it came from and its local @lists."""

    item: schema.Requirement | schema.Warning
    origin: str  # visa | authorization | route | pathway | policy:<id>
    lists: Mapping[str, list[str]] | None = None  # a policy event's own lists


def in_force(event: schema.PolicyEvent, on: date) -> bool:
    return event.starts <= on and (event.ends is None or on <= event.ends)


def active_events(kb, on: date) -> list[schema.PolicyEvent]:
    return [e for e in kb.policies.values() if in_force(e, on)]


def list_members(code_list: schema.CodeList, on: date | None) -> frozenset[str]:
    """Codes on the list that day (every code ever listed when `on` is None)."""
    return frozenset(
        m.code for m in code_list.members
        if on is None or (m.from_ <= on and (m.until is None or on <= m.until))
    )


def route_of(kb, pathway: schema.Pathway) -> schema.Route | None:
    authorization = kb.authorization_of(pathway)
    if authorization is None or pathway.route is None:
        return None
    return next((r for r in authorization.routes if r.id == pathway.route), None)


def _sourced_parts(kb, pathway: schema.Pathway, kind: str):
    """(items, origin) from the visa, authorization and route that the pathway uses."""
    visa = kb.visas.get(pathway.visa)
    authorization = kb.authorization_of(pathway)
    route = route_of(kb, pathway)
    used = {u.use for u in pathway.requirements if isinstance(u, schema.Use)} if kind == "requirements" else {"visa", "authorization"}
    if "visa" in used and visa:
        yield from ((item, "visa") for item in getattr(visa, kind))
    if "authorization" in used and authorization:
        yield from ((item, "authorization") for item in getattr(authorization, kind))
        if route:
            yield from ((item, "route") for item in getattr(route, kind))


def requirements_for(kb, pathway: schema.Pathway, events) -> tuple[list[Part], list[str]]:
    """The pathway's requirements in order, merged by id; and any conflicts found."""
    parts: list[Part] = []
    for item in pathway.requirements:
        if isinstance(item, schema.Use):
            continue
        parts.append(Part(item, "pathway"))
    # The visa's and authorization's requirements come first, then the pathway's own.
    parts = [Part(i, o) for i, o in _sourced_parts(kb, pathway, "requirements")] + parts
    for event in events:
        for effect in event.effects:
            if effect.requirement and pathway.visa in effect.visas:
                parts.append(Part(effect.requirement, f"policy:{event.id}", event.lists))
    return _merge(parts)


def warnings_for(kb, pathway: schema.Pathway, events) -> list[Part]:
    parts = [Part(i, o) for i, o in _sourced_parts(kb, pathway, "warnings")]
    parts += [Part(w, "pathway") for w in pathway.warnings]
    for event in events:
        for effect in event.effects:
            if effect.warning and pathway.visa in effect.visas:
                parts.append(Part(effect.warning, f"policy:{event.id}", event.lists))
    return parts


def _merge(parts: list[Part]) -> tuple[list[Part], list[str]]:
    merged: dict[str, Part] = {}
    conflicts = []
    for part in parts:
        key = part.item.id
        if key not in merged:
            merged[key] = part
            continue
        first = merged[key]
        if first.item.test.strip() != part.item.test.strip():
            conflicts.append(
                f"requirement {key!r} from {first.origin} and {part.origin} has two different tests: "
                f"`{first.item.test}` and `{part.item.test}`"
            )
            continue
        cites = list(dict.fromkeys(first.item.cite + part.item.cite))
        merged[key] = Part(first.item.model_copy(update={"cite": cites}), first.origin, first.lists)
    return list(merged.values()), conflicts


def steps_for(kb, pathway: schema.Pathway, events) -> tuple[list[schema.Step], list[str]]:
    """The pathway's plan: visa, authorization, route, pathway and event steps, by id."""
    visa = kb.visas.get(pathway.visa)
    authorization = kb.authorization_of(pathway)
    route = route_of(kb, pathway)
    found = list(visa.steps if visa else []) + list(authorization.steps if authorization else [])
    found += list(route.steps if route else []) + list(pathway.steps)
    for event in events:
        found += [e.step for e in event.effects if e.step and pathway.visa in e.visas]
    steps: dict[str, schema.Step] = {}
    problems = []
    for step in found:
        if step.id in steps and steps[step.id] != step:
            problems.append(f"step {step.id!r} is defined twice, differently")
            continue
        steps[step.id] = step
    return list(steps.values()), problems


def fees_for(kb, pathway: schema.Pathway, events, on: date | None) -> list[schema.Fee]:
    """Fee entries of the visa, authorization and events in force `on` that day (all when None)."""
    visa = kb.visas.get(pathway.visa)
    authorization = kb.authorization_of(pathway)
    entries = list(visa.fees if visa else []) + list(authorization.fees if authorization else [])
    for event in events:
        entries += [e.fee for e in event.effects if e.fee and pathway.visa in e.visas]
    return [f for f in entries if on is None or (f.from_ <= on and (f.until is None or on <= f.until))]


def order_steps(steps: list[schema.Step]) -> tuple[list[schema.Step], dict[str, set[str]], list[str]]:
    """Steps in an order where each comes after what it waits for; the waits; problems
    (an unknown id, a cycle)."""
    ids = {s.id for s in steps}
    waits: dict[str, set[str]] = {s.id: set(s.after) for s in steps}
    problems = []
    for s in steps:
        for other in s.after:
            if other not in ids:
                problems.append(f"step {s.id!r} comes after {other!r}, which is not a step of this plan")
        for other in s.before:
            if other not in ids:
                problems.append(f"step {s.id!r} comes before {other!r}, which is not a step of this plan")
            else:
                waits[other].add(s.id)
    for key in waits:
        waits[key] &= ids
    ordered, done = [], set()
    by_id = {s.id: s for s in steps}
    while len(done) < len(steps):
        ready = [s for s in steps if s.id not in done and waits[s.id] <= done]
        if not ready:
            problems.append("steps wait for each other in a cycle: " + ", ".join(sorted(ids - done)))
            break
        for s in ready:
            ordered.append(by_id[s.id])
            done.add(s.id)
    return ordered, waits, problems
