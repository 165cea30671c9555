"""The verdict written as the contract's JSON (docs/contract.md sections 3 and 4).

Nothing is computed here: every value comes from the verdict objects (verdict.py). Beyond
the contract's keys each requirement says which facts it read and their values
(`facts`), each pathway that is not open what it would take (`would_take`), the
programmes that would take the person (`programs`) and its barriers; the evaluation
lists the `nearest` pathways and the policy events `upcoming` before the start date.
"""

from __future__ import annotations

from datetime import date

import orjson

from ..rules.jsontext import json_bytes
from .verdict import PathwayVerdict, RequirementVerdict, Verdict

DETAILS = ("full", "summary")


def _value(value):
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _span(span) -> dict:
    return {"min": _value(span.min), "typical": _value(span.typical), "max": _value(span.max)}


def requirement_json(r: RequirementVerdict) -> dict:
    item = {"id": r.id, "kind": r.kind, "text": r.text, "status": r.status, "citations": list(r.citations),
            "sources": list(r.sources), "facts": {name: _value(value) for name, value in r.facts}}
    if r.article_says:
        item["article_says"] = r.article_says
    if r.unverified:
        item["unverified"] = True
    if r.met_by:
        item["met_by"] = r.met_by
    return item


def would_take_json(p: PathwayVerdict) -> dict:
    return _would_take_json(p.would_take)


def _would_take_json(w) -> dict:
    return {"unmet": list(w.unmet), "unknown": list(w.unknown), "ask": list(w.ask), "arrange": list(w.arrange)}


def steps_json(p: PathwayVerdict) -> list[dict]:
    return _steps_json(p.steps)


def _steps_json(steps, written=None) -> list[dict]:
    span = _span if written is None else lambda value: written(value, "span", _span)
    return [
        {"id": s.id, "text": s.text, "actor": s.actor, "weeks": span(s.weeks), "after": list(s.after),
         "cost_usd": _value(s.cost_usd), "citations": list(s.citations), "blocks_start": s.blocks_start,
         "starts_after_weeks": span(s.starts), "start_on": s.start_on.isoformat(), "done_by": s.done_by.isoformat(),
         "due": s.due.isoformat(), **({"consular_post": s.post} if s.post else {})}
        for s in steps
    ]


def timeline_json(p: PathwayVerdict) -> dict:
    return _timeline_json(p.timeline)


def _timeline_json(t) -> dict:
    return {"earliest_start": t.earliest_start.isoformat(), "likely_start": t.likely_start.isoformat(),
            "begin_by": _day(t.begin_by), "begin_by_safe": _day(t.begin_by_safe), "can_start": t.can_start,
            "late": t.late, "ready_by": t.ready_by.isoformat(), "start_date": _day(t.start_date),
            "deciding_step": t.deciding_step, "critical_path": list(t.critical_path)}


def cost_json(p: PathwayVerdict, items: bool = True) -> dict:
    return _cost_json(p.cost, items)


def _cost_summary_json(c) -> dict:
    return _cost_json(c, False)


def _cost_json(c, items: bool = True, written=None) -> dict:
    least, most, by_payer = c.totals()
    out = {"min": _value(least), "max": _value(most),
           "by_payer": {payer: {"min": _value(low), "max": _value(high)} for payer, (low, high) in by_payer.items()},
           "notes": list(c.notes)}
    if items:
        out["items"] = ([_cost_item_json(i) for i in c.items] if written is None
                        else [written(i, "cost_item", _cost_item_json) for i in c.items])
    return out


def _cost_item_json(i) -> dict:
    return {"id": i.id, "text": i.text, "usd": _value(i.usd), "usd_min": _value(i.usd_min),
            "usd_max": _value(i.usd_max), "payer": i.payer, "step": i.step, "citations": list(i.citations)}


def barriers_json(p: PathwayVerdict) -> list[dict]:
    """The article's barriers by name with the enablers that answer them (their texts are in
    the knowledge browser, not repeated per pathway)."""
    return _barriers_json(p.barriers)


def _barriers_json(barriers) -> list[dict]:
    return [{"id": b.id, "name": b.name, "citations": list(b.citations),
             "enablers": [{"id": i, "name": n} for i, n, _ in b.enablers]} for b in barriers]


def programs_json(p: PathwayVerdict) -> list[dict]:
    return _programs_json(p.programs)


def _programs_json(programs) -> list[dict]:
    return [{"id": g.id, "name": g.name, "institution": g.institution, "kind": g.kind, "takes": g.takes,
             "takes_text": g.takes_text, "address": g.address, "citations": list(g.citations)} for g in programs]


def _ids(status: str):
    return lambda requirements: [r.id for r in requirements if r.status == status]


def _requirements_json(requirements) -> list[dict]:
    return [requirement_json(r) for r in requirements]


def _fresh(value, name: str, render):
    return render(value)


def pathway_json(p: PathwayVerdict, detail: str = "full", steps: bool | None = None, written=None) -> dict:
    """The contract's pathway; `steps` forces the plan's steps in or out (default: for all but closed pathways).
    `written(part, name, render)`: `render(part)`, or what stands for it (BatchWriter's texts kept for the
    parts that verdicts share: requirements, what it would take, steps, timeline, costs, barriers, programmes)."""
    part = written or _fresh
    if detail == "summary":
        return {"id": p.id, "status": p.status, "reachable": p.reachable,
                "unmet": part(p.requirements, "unmet", _ids("unmet")),
                "unknown": part(p.requirements, "unknown", _ids("unknown")),
                "timeline": part(p.timeline, "timeline", _timeline_json),
                "cost_usd": part(p.cost, "cost_summary", _cost_summary_json)}
    item = {"id": p.id, "name": p.name, "jurisdiction": p.jurisdiction, "visa": p.visa,
            "authorization": p.authorization, "patient_contact": p.patient_contact, "categories": list(p.categories),
            "status": p.status, "reachable": p.reachable,
            "requirements": part(p.requirements, "requirements", _requirements_json),
            "warnings": [w.text for w in p.warnings]}
    if p.route:
        item["route"] = p.route
    if p.would_take is not None:
        item["would_take"] = part(p.would_take, "would_take", _would_take_json)
    if steps if steps is not None else p.group != "closed":  # the plan where it can be acted on
        item["steps"] = part(p.steps, "steps", lambda steps: _steps_json(steps, written))
    item.update({"timeline": part(p.timeline, "timeline", _timeline_json),
                 "cost_usd": part(p.cost, "cost", lambda cost: _cost_json(cost, True, written)),
                 "barriers": part(p.barriers, "barriers", _barriers_json),
                 "programs": part(p.programs, "programs", _programs_json)})
    if p.timeline_warning:
        item["timeline_warning"] = p.timeline_warning
    return item


def verdict_json(v: Verdict, detail: str = "full") -> dict:
    return {"as_of": v.as_of.isoformat(), "category": v.category,
            "pathways": [pathway_json(p, detail) for p in v.pathways], **_tail(v)}


def _tail(v: Verdict) -> dict:
    return {
        "nearest": [{"id": p.id, "patient_contact": p.patient_contact, "status": p.status, "reachable": p.reachable,
                     **({} if p.would_take is None else {"would_take": would_take_json(p)})} for p in v.nearest],
        "policy_events": list(v.policy_events),
        "upcoming_events": [{"id": u.id, "name": u.name, "on": u.on.isoformat(), "change": u.change,
                             "visas": list(u.visas), "citations": list(u.citations)} for u in v.upcoming],
        "rules_checked": _day(v.rules_checked),
        "stale": list(v.stale),
    }


class BatchWriter:
    """The same JSON as `verdict_json`, compact, one line per evaluation.

    Verdict objects are shared between people who share everything a pathway's verdict
    depends on, so each pathway's text is written once per distinct verdict and reused:
    the batch command's lines and the API's answers (`encode`) are spliced from those
    texts. At most `max_cached` texts are kept (then they are all dropped, as the engine's
    own caches are): a long-running server passes a smaller bound than a batch.
    `tests/test_report.py` checks that both writers give the same object.

    A new person's verdict still shares parts with others': its requirements, what it would
    take and its programmes (the builder shares them between everyone whose tests and facts
    agree), its steps, timeline and costs (shared by everyone with the same plan and costs),
    fees, barriers, and steps' spans. Their texts are kept too, by part and kept with it (at
    most `max_cached` of them, then all dropped: a part's text holds its part, and more of them
    took a server's worker more memory, not less time), and spliced into the pathway's text.
    """

    MAX_CACHED = 100_000

    def __init__(self, detail: str = "full", max_cached: int | None = None):
        self.detail = detail
        self.max_cached = self.MAX_CACHED if max_cached is None else max_cached
        self._texts: dict[int, tuple[PathwayVerdict, bytes]] = {}
        self._parts: dict[tuple[str, int], tuple[object, orjson.Fragment]] = {}

    def _pathway(self, p: PathwayVerdict) -> bytes:
        found = self._texts.get(id(p))
        if found is None or found[0] is not p:  # the object is kept, so its id is not reused
            if len(self._texts) >= self.max_cached:
                self._texts.clear()
            found = self._texts[id(p)] = (p, json_bytes(pathway_json(p, self.detail, written=self._written)))
        return found[1]

    def _written(self, part, name: str, render) -> orjson.Fragment:
        """`render(part)` as a JSON text to splice in, kept with `part` (so its id is not reused)."""
        key = (name, id(part))
        found = self._parts.get(key)
        if found is None or found[0] is not part:
            if len(self._parts) >= self.max_cached:
                self._parts.clear()
            found = self._parts[key] = (part, orjson.Fragment(json_bytes(render(part))))
        return found[1]

    def encode(self, v: Verdict) -> bytes:
        """The evaluation as UTF-8 JSON, without a newline."""
        head = json_bytes({"as_of": v.as_of.isoformat(), "category": v.category})
        tail = json_bytes(_tail(v))
        return b"".join((head[:-1], b',"pathways":[', b",".join([self._pathway(p) for p in v.pathways]), b"],",
                         tail[1:]))

    def line(self, v: Verdict) -> str:
        return self.encode(v).decode()
