"""An evaluation as the contract's JSON (../shared/CONTRACT.md section 3), with reasons.

Beyond the contract's keys each requirement says which facts it read and their values
(`facts`), and each pathway that is not open says what it would take (`would_take`);
the evaluation as a whole lists the `nearest` pathways to the contact the person wants.
"""

from __future__ import annotations

import json
from datetime import date

from .evaluate import Evaluation, PathwayResult


def _value(value):
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def requirement_json(requirement, status: str, profile) -> dict:
    item = {
        "id": requirement.id,
        "text": requirement.text,
        "status": status,
        "citations": list(requirement.citations),
        "sources": list(requirement.source_ids),
        "facts": {name: _value(profile.get(name)) for name in requirement.facts},
    }
    if requirement.article_says:
        item["article_says"] = requirement.article_says
    if requirement.unverified:
        item["unverified"] = True
    return item


def would_take(result: PathwayResult, profile) -> dict:
    """The unmet requirements to change (ids), the unknown ones, and the facts to answer."""
    unknown = result.missing("unknown")
    ask = [f for r in unknown for f in r.facts if profile.get(f) is None]
    return {
        "unmet": [r.id for r in result.missing("unmet")],
        "unknown": [r.id for r in unknown],
        "ask": list(dict.fromkeys(ask)),
    }


def plan_of(result: PathwayResult, profile, as_of: date):
    from .plan import make_plan

    return make_plan(result, as_of, profile.get("start_date"))


def steps_json(plan, cost_items) -> list[dict]:
    paid: dict[str, float] = {}
    for item in cost_items:
        if item.step and item.usd_max is not None:
            paid[item.step] = paid.get(item.step, 0.0) + item.usd_max
    return [
        {"id": p.step.id, "text": p.step.text, "actor": p.step.actor,
         "weeks": {"min": _value(p.step.weeks_min), "max": _value(p.step.weeks_max)},
         "after": list(p.step.after), "cost_usd": _value(paid[p.step.id]) if p.step.id in paid else None,
         "citations": list(p.step.citations), "blocks_start": p.step.blocks_start,
         "starts_after_weeks": {"min": _value(p.start_min), "max": _value(p.start_max)}}
        for p in plan.steps
    ]


def timeline_json(plan) -> dict:
    return {
        "earliest_start": plan.earliest_start.isoformat(),
        "begin_by": plan.begin_by.isoformat() if plan.begin_by else None,
        "ready_by": plan.ready_by.isoformat(),
        "start_date": plan.start_date.isoformat() if plan.start_date else None,
        "can_start": plan.can_start,
        "deciding_step": plan.deciding_step,
        "critical_path": list(plan.critical),
    }


def cost_json(costs) -> dict:
    by_payer = {}
    for payer in ("person", "host", "either"):
        if any(i.payer == payer for i in costs.items):
            by_payer[payer] = {"min": _value(costs.total("min", payer)), "max": _value(costs.total("max", payer))}
    return {
        "min": _value(costs.total("min")),
        "max": _value(costs.total("max")),
        "items": [{"id": i.id, "text": i.text, "usd": _value(i.usd), "usd_min": _value(i.usd_min),
                   "usd_max": _value(i.usd_max), "payer": i.payer, "step": i.step, "citations": list(i.citations)}
                  for i in costs.items],
        "by_payer": by_payer,
        "notes": list(costs.notes),
    }


def barriers_json(result: PathwayResult) -> list[dict]:
    """The article's barriers for this pathway and the enablers that answer them, by name
    (their texts are in `pathways show` and the knowledge browser, not repeated per pathway)."""
    return [{"id": b.id, "name": b.name, "citations": list(b.citations),
             "enablers": [{"id": i, "name": n} for i, n, _ in b.enablers]}
            for b in result.pathway.barriers]


def pathway_json(result: PathwayResult, profile, rules=None) -> dict:
    """The pathway's verdict; with `rules`, also its steps, timeline, costs and barriers."""
    p = result.pathway
    item = {
        "id": p.id,
        "name": p.name,
        "visa": p.visa,
        "authorization": p.authorization,
        "patient_contact": p.patient_contact,
        "categories": list(p.categories),
        "status": result.status,
        "requirements": [requirement_json(r, s, profile) for r, s in result.requirements],
        "warnings": [w.text for w in result.warnings],
    }
    if p.route:
        item["route"] = p.route
    if result.status != "open":
        item["would_take"] = would_take(result, profile)
    if rules is not None:
        item.update(time_and_money(result, profile, rules))
    return item


def time_and_money(result: PathwayResult, profile, rules) -> dict:
    """steps, timeline, cost_usd and barriers of a pathway, as the contract shapes them."""
    from .costs import costs
    from .plan import timeline_warning

    plan = plan_of(result, profile, rules.as_of)
    priced = costs(rules, result, profile, plan.start_date or plan.earliest_start)
    warning = timeline_warning(plan)
    out = {"timeline": timeline_json(plan), "cost_usd": cost_json(priced), "barriers": barriers_json(result)}
    if result.status != "blocked":  # the full plan where it can be acted on; `pathways plan` gives any
        out = {"steps": steps_json(plan, priced.items), **out}
    if warning:
        out["timeline_warning"] = warning
    return out


def evaluation_json(evaluation: Evaluation) -> dict:
    head = evaluation_json_head(evaluation)
    return {"as_of": head["as_of"], "category": head["category"],
            "pathways": [_with_timeline_warning(pathway_json(r, evaluation.profile, evaluation.rules)) for r in evaluation.pathways],
            "nearest": head["nearest"], "policy_events": head["policy_events"], "rules_checked": head["rules_checked"],
            "stale": head["stale"]}


def _with_timeline_warning(item: dict) -> dict:
    """A start date out of reach is a warning of the pathway, as people read warnings."""
    if "timeline_warning" in item:
        item["warnings"] = item["warnings"] + [item["timeline_warning"]]
    return item


def evaluation_json_head(evaluation: Evaluation) -> dict:
    """Everything of the evaluation's JSON but its pathways."""
    profile = evaluation.profile
    return {
        "as_of": evaluation.as_of.isoformat(),
        "category": evaluation.category,
        "nearest": [
            {"id": r.pathway.id, "patient_contact": r.pathway.patient_contact, "status": r.status,
             **({} if r.status == "open" else {"would_take": would_take(r, profile)})}
            for r in evaluation.nearest()
        ],
        "policy_events": list(evaluation.rules.events),
        "rules_checked": evaluation.rules.last_checked.isoformat() if evaluation.rules.last_checked else None,
        "stale": list(evaluation.rules.stale),
    }


class CompactWriter:
    """The same JSON as `evaluation_json`, compact, assembled from cached fragments.

    For batches: every requirement's and warning's JSON is built once per status and
    reused, so a line costs string joins rather than a dict and a full encoding.
    `tests/test_report.py` checks that both give the same object.
    """

    def __init__(self):
        self._requirement: dict = {}
        self._fact: dict = {}
        self._text: dict = {}
        self._pathway: dict = {}  # whole pathways, by everything their JSON depends on
        self._facts_of: dict = {}

    MAX_CACHED_PATHWAYS = 200_000  # about 2 GB at most; cleared, not grown, past it

    def _dump(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def _cached_text(self, value) -> str:
        if value not in self._text:
            self._text[value] = self._dump(value)
        return self._text[value]

    def _requirement_parts(self, requirement, status):
        key = (id(requirement), status)  # compiled requirements live as long as their rules
        if key not in self._requirement:
            head = self._dump({"id": requirement.id, "text": requirement.text, "status": status,
                               "citations": list(requirement.citations), "sources": list(requirement.source_ids)})
            tail = {}
            if requirement.article_says:
                tail["article_says"] = requirement.article_says
            if requirement.unverified:
                tail["unverified"] = True
            self._requirement[key] = (head[:-1] + ',"facts":{', "}" + ("," + self._dump(tail)[1:] if tail else "}"))
        return self._requirement[key]

    def _fact_part(self, name, value) -> str:
        key = (name, value)
        if key not in self._fact:
            self._fact[key] = self._dump(name) + ":" + self._dump(_value(value))
        return self._fact[key]

    def requirement(self, requirement, status, facts) -> str:
        head, tail = self._requirement_parts(requirement, status)
        return head + ",".join([self._fact_part(n, facts.get(n)) for n in requirement.facts]) + tail

    def pathway(self, result: PathwayResult, profile) -> str:
        """A pathway's JSON depends only on its requirements' values, the facts they
        read and which warnings apply: people who share those share the text."""
        p, facts = result.pathway, profile.facts
        names = self._facts_of.get(id(p))
        if names is None:
            names = self._facts_of[id(p)] = tuple(dict.fromkeys(f for r in p.requirements for f in r.facts))
        key = (id(p), result.values, tuple([facts.get(n) for n in names]), self._rules.as_of,
               facts.get("start_date"), facts.get("duration_weeks"), facts.get("host_city"))
        text = self._pathway.get(key)
        if text is None:
            if len(self._pathway) > self.MAX_CACHED_PATHWAYS:
                self._pathway.clear()
            text = self._pathway[key] = self._pathway_text(result, profile)
        return text

    def _pathway_text(self, result: PathwayResult, profile) -> str:
        p, facts = result.pathway, profile.facts
        extra = time_and_money(result, profile, self._rules)
        warnings = [self._cached_text(w.text) for w in result.warnings]
        if "timeline_warning" in extra:  # as _with_timeline_warning does
            warnings.append(self._dump(extra["timeline_warning"]))
        parts = [
            '{"id":', self._cached_text(p.id), ',"name":', self._cached_text(p.name), ',"visa":', self._cached_text(p.visa),
            ',"authorization":', self._cached_text(p.authorization), ',"patient_contact":', self._cached_text(p.patient_contact),
            ',"categories":', self._dump(list(p.categories)), ',"status":"', result.status, '","requirements":[',
            ",".join([self.requirement(r, s, facts) for r, s in result.requirements]),
            '],"warnings":[', ",".join(warnings), "]",
        ]
        if p.route:
            parts += [',"route":', self._cached_text(p.route)]
        if result.status != "open":
            parts += [',"would_take":', self._dump(would_take(result, profile))]
        return "".join(parts) + "," + self._dump(extra)[1:]

    def evaluation(self, evaluation: Evaluation) -> str:
        self._rules = evaluation.rules
        data = evaluation_json_head(evaluation)
        head = self._dump({"as_of": data["as_of"], "category": data["category"]})
        tail = self._dump({k: data[k] for k in ("nearest", "policy_events", "rules_checked", "stale")})
        pathways = ",".join([self.pathway(r, evaluation.profile) for r in evaluation.pathways])
        return head[:-1] + ',"pathways":[' + pathways + "]," + tail[1:]
