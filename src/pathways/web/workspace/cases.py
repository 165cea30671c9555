"""Cases and the engine: a case made from an evaluation, its checklist counted back from
the start date, and re-evaluation of open cases when the knowledge base changes."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from ...engine.costs import costs
from ...engine.plan import make_plan
from ..engine import get_engine
from .history import record
from .models import Case, ChecklistItem


def verdict_of(profile_data: dict, pathway_id: str, as_of: date) -> dict:
    """What a case keeps of an evaluation: status, dates and money, to compare later."""
    engine = get_engine()
    profile = engine.check(profile_data)
    result = engine.explain(profile, pathway_id, as_of)
    plan = make_plan(result, as_of, profile.get("start_date"))
    priced = costs(engine.rules(as_of), result, profile, plan.start_date or plan.earliest_start)
    return {
        "status": result.status,
        "unmet": [r.id for r in result.missing("unmet")],
        "unknown": [r.id for r in result.missing("unknown")],
        "earliest_start": plan.earliest_start.isoformat(),
        "begin_by": plan.begin_by.isoformat() if plan.begin_by else None,
        "cost_min": round(priced.total("min"), 2),
        "cost_max": round(priced.total("max"), 2),
        "steps": [
            {"id": p.step.id, "text": p.step.text, "actor": p.step.actor,
             "due": _due(plan, p).isoformat()}
            for p in plan.steps
        ],
    }


def _due(plan, planned) -> date:
    """The last day a step can finish and the slow case still be ready on the start date
    (or, without a start date, the slow case's own finishing day)."""
    start = plan.begin_by or plan.begin
    return start + timedelta(days=round(planned.finish_max * 7))


def knowledge_key() -> str:
    return get_engine()._key or "in-memory"


@transaction.atomic
def create_case(institution, user, *, trainee_name: str, trainee_email: str, home_country: str, stage: str,
                profile: dict, pathway_id: str, as_of: date, starts=None, ends=None, home_institution=None) -> Case:
    verdict = verdict_of(profile, pathway_id, as_of)
    case = Case.objects.create(
        institution=institution, trainee_name=trainee_name, trainee_email=trainee_email, home_country=home_country,
        stage=stage, profile=profile, pathway_id=pathway_id, evaluated_on=as_of, knowledge_key=knowledge_key(),
        verdict=verdict, starts=starts, ends=ends, home_institution=home_institution)
    ChecklistItem.objects.bulk_create([
        ChecklistItem(case=case, step_id=s["id"], text=s["text"], actor=s["actor"], due=date.fromisoformat(s["due"]),
                      position=i)
        for i, s in enumerate(verdict["steps"])
    ])
    record(user, case, "created", None)
    return case


def changes(before: dict, after: dict) -> list[str]:
    """Sentences for what moved between two verdicts."""
    moved = []
    for key, label in (("status", "status"), ("earliest_start", "earliest start"), ("begin_by", "begin by"),
                       ("cost_min", "minimum cost"), ("cost_max", "maximum cost")):
        if before.get(key) != after.get(key):
            moved.append(f"{label}: {before.get(key)} -> {after.get(key)}")
    for key in ("unmet", "unknown"):
        added = sorted(set(after.get(key, [])) - set(before.get(key, [])))
        if added:
            moved.append(f"newly {key}: {', '.join(added)}")
    return moved


def reevaluate_open_cases(as_of: date | None = None, user=None) -> list[Case]:
    """Re-evaluate every open case made with another knowledge base; flag those that moved."""
    key, flagged = knowledge_key(), []
    for case in Case.objects.filter(status=Case.Status.OPEN).exclude(knowledge_key=key).iterator():
        with transaction.atomic():
            after = verdict_of(case.profile, case.pathway_id, as_of or case.evaluated_on)
            moved = changes(case.verdict, after)
            before = dict(case.verdict)
            case.verdict, case.knowledge_key = after, key
            case.change = "; ".join(moved)
            case.save(update_fields=["verdict", "knowledge_key", "change", "updated"])
            if moved:
                record(user, case, "changed", {"verdict": before})
                flagged.append(case)
    return flagged


def overdue(case: Case, today: date) -> list[ChecklistItem]:
    return [i for i in case.checklist.all() if i.status == ChecklistItem.Status.TODO and i.due and i.due < today]


def at_risk(case: Case, today: date) -> bool:
    """A start date that the slow case can no longer meet, or a step due within a week."""
    begin_by = case.verdict.get("begin_by")
    soon = today + timedelta(days=7)
    todo = [i for i in case.checklist.all() if i.status == ChecklistItem.Status.TODO and i.due]
    return bool(begin_by and date.fromisoformat(begin_by) < today and todo) or any(i.due <= soon for i in todo)


CASE_FIELDS = ("trainee_name", "trainee_email", "home_institution", "home_country", "stage", "pathway_id",
               "starts", "ends", "status")


@transaction.atomic
def update_case(case: Case, user, values: dict) -> Case:
    """Change a case's trainee fields, dates, status or pathway; a new pathway or start date
    re-evaluates it and lays its checklist out again (steps already ticked keep their status)."""
    from .history import snapshot

    before = snapshot(case)
    replan = any(k in values and values[k] != getattr(case, k) for k in ("pathway_id", "starts"))
    for key, value in values.items():
        if key in CASE_FIELDS:
            setattr(case, key, value)
    if replan:
        profile = dict(case.profile)
        if case.starts:
            profile["start_date"] = case.starts.isoformat()
        else:
            profile.pop("start_date", None)
        case.profile = profile
        case.verdict = verdict_of(profile, case.pathway_id, date.today())
        case.evaluated_on, case.knowledge_key, case.change = date.today(), knowledge_key(), ""
        _lay_out_checklist(case)
    case.save()
    if snapshot(case) != before:
        record(user, case, "changed", before)
    return case


def _lay_out_checklist(case: Case) -> None:
    kept = {i.step_id: i.status for i in case.checklist.all()}
    case.checklist.all().delete()
    ChecklistItem.objects.bulk_create([
        ChecklistItem(case=case, step_id=s["id"], text=s["text"], actor=s["actor"], due=date.fromisoformat(s["due"]),
                      position=i, status=kept.get(s["id"], ChecklistItem.Status.TODO))
        for i, s in enumerate(case.verdict.get("steps", []))
    ])


@transaction.atomic
def set_step_status(item: ChecklistItem, status: str, user) -> ChecklistItem:
    from .history import snapshot

    before = snapshot(item)
    if item.status != status:
        item.status = status
        item.save(update_fields=["status"])
        record(user, item, "changed", before)
    return item


def acknowledge_change(case: Case, user) -> None:
    """The coordinator has seen what moved at the last re-evaluation: clear the flag."""
    from .history import snapshot

    if case.change:
        before = snapshot(case)
        case.change = ""
        case.save(update_fields=["change", "updated"])
        record(user, case, "changed", before)
