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


def pathway_json(result: PathwayResult, profile) -> dict:
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
    return item


def evaluation_json(evaluation: Evaluation) -> dict:
    head = evaluation_json_head(evaluation)
    return {"as_of": head["as_of"], "category": head["category"],
            "pathways": [pathway_json(r, evaluation.profile) for r in evaluation.pathways],
            "nearest": head["nearest"], "policy_events": head["policy_events"], "rules_checked": head["rules_checked"]}


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
        values = result.values
        key = (id(p), result.statuses, tuple([facts.get(n) for n in names]),
               tuple([values[w.slot] is not False for w in p.warnings]))
        text = self._pathway.get(key)
        if text is None:
            if len(self._pathway) > self.MAX_CACHED_PATHWAYS:
                self._pathway.clear()
            text = self._pathway[key] = self._pathway_text(result, profile)
        return text

    def _pathway_text(self, result: PathwayResult, profile) -> str:
        p, facts = result.pathway, profile.facts
        parts = [
            '{"id":', self._cached_text(p.id), ',"name":', self._cached_text(p.name), ',"visa":', self._cached_text(p.visa),
            ',"authorization":', self._cached_text(p.authorization), ',"patient_contact":', self._cached_text(p.patient_contact),
            ',"categories":', self._dump(list(p.categories)), ',"status":"', result.status, '","requirements":[',
            ",".join([self.requirement(r, s, facts) for r, s in result.requirements]),
            '],"warnings":[', ",".join([self._cached_text(w.text) for w in result.warnings]), "]",
        ]
        if p.route:
            parts += [',"route":', self._cached_text(p.route)]
        if result.status != "open":
            parts += [',"would_take":', self._dump(would_take(result, profile))]
        return "".join(parts) + "}"

    def evaluation(self, evaluation: Evaluation) -> str:
        data = evaluation_json_head(evaluation)
        head = self._dump({"as_of": data["as_of"], "category": data["category"]})
        tail = self._dump({k: data[k] for k in ("nearest", "policy_events", "rules_checked")})
        pathways = ",".join([self.pathway(r, evaluation.profile) for r in evaluation.pathways])
        return head[:-1] + ',"pathways":[' + pathways + "]," + tail[1:]
