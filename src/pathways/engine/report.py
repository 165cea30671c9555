"""An evaluation as the contract's JSON (../shared/CONTRACT.md section 3), with reasons.

Beyond the contract's keys each requirement says which facts it read and their values
(`facts`), and each pathway that is not open says what it would take (`would_take`);
the evaluation as a whole lists the `nearest` pathways to the contact the person wants.
"""

from __future__ import annotations

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
    """The unmet requirements to change and the unknown facts to answer."""
    unknown = result.missing("unknown")
    ask = [f for r in unknown for f in r.facts if profile.get(f) is None]
    return {
        "unmet": [{"id": r.id, "text": r.text} for r in result.missing("unmet")],
        "unknown": [{"id": r.id, "text": r.text} for r in unknown],
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
    profile = evaluation.profile
    return {
        "as_of": evaluation.as_of.isoformat(),
        "category": evaluation.category,
        "pathways": [pathway_json(r, profile) for r in evaluation.pathways],
        "nearest": [
            {"id": r.pathway.id, "patient_contact": r.pathway.patient_contact, "status": r.status,
             **({} if r.status == "open" else {"would_take": would_take(r, profile)})}
            for r in evaluation.nearest()
        ],
        "policy_events": list(evaluation.rules.events),
        "rules_checked": evaluation.rules.last_checked.isoformat() if evaluation.rules.last_checked else None,
    }
