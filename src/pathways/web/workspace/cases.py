"""Cases and the engine: a case made from an evaluation, its checklist counted back from
the start date, and re-evaluation of open cases when the knowledge base changes."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery

from ..engine import get_engine
from .history import record
from .models import Case, ChecklistItem
from .models.cases import plan_columns


def verdict_of(profile_data: dict, pathway_id: str, as_of: date) -> dict:
    """What a case keeps of the engine's verdict on its pathway: status, dates and money, and
    the checklist with each step due when the typical plan needs it done (never before as_of);
    `unknown_facts`, the facts whose answers would settle what is still unknown."""
    v = get_engine().plan(profile_data, pathway_id, as_of)
    t = v.timeline
    unknown = v.missing("unknown")
    return {
        "status": v.status,
        "reachable": v.reachable,
        "unmet": [r.id for r in v.missing("unmet")],
        "unknown": [r.id for r in unknown],
        "unknown_facts": list(dict.fromkeys(f for r in unknown for f, value in r.facts if value is None)),
        "earliest_start": t.earliest_start.isoformat(),
        "likely_start": t.likely_start.isoformat(),
        "begin_by": t.begin_by.isoformat() if t.begin_by else None,
        "begin_by_safe": t.begin_by_safe.isoformat() if t.begin_by_safe else None,
        "can_start": t.can_start,
        "late": t.late,
        "cost_min": round(v.cost.min, 2),
        "cost_max": round(v.cost.max, 2),
        "steps": [{"id": s.id, "text": s.text, "actor": s.actor, "due": s.due.isoformat()} for s in v.steps],
    }


def knowledge_key() -> str:
    return get_engine().version


def with_dates(profile: dict, starts: date | None, ends: date | None) -> dict:
    """The profile with the case's training dates as the engine reads them: `start_date` (the
    plan's target) and `duration_weeks` (living costs for the stay), so that the case's dates,
    not a guess, decide its plan and costs. Left as they are where the case has no date."""
    out = dict(profile)
    if starts:
        out["start_date"] = starts.isoformat()
    if starts and ends and ends >= starts:
        out["duration_weeks"] = round(((ends - starts).days + 1) / 7, 1)
    return out


@transaction.atomic
def create_case(institution, user, *, trainee_name: str, trainee_email: str, home_country: str, stage: str,
                profile: dict, pathway_id: str, as_of: date, starts=None, ends=None, home_institution=None) -> Case:
    profile = with_dates(profile, starts, ends)
    verdict = verdict_of(profile, pathway_id, as_of)
    case = Case(institution=institution, trainee_name=trainee_name, trainee_email=trainee_email,
                home_country=home_country, stage=stage, profile=profile, pathway_id=pathway_id, evaluated_on=as_of,
                knowledge_key=knowledge_key(), starts=starts, ends=ends, home_institution=home_institution)
    case.set_verdict(verdict)
    case.save(force_insert=True)
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
    """Re-evaluate every open case made with another knowledge base; flag those that moved.
    Every case's plan columns are then checked against its verdict (refresh_plan_columns)."""
    key, flagged = knowledge_key(), []
    for case in Case.objects.filter(status=Case.Status.OPEN).exclude(knowledge_key=key).iterator():
        with transaction.atomic():
            after = verdict_of(case.profile, case.pathway_id, as_of or case.evaluated_on)
            moved = changes(case.verdict, after)
            before = dict(case.verdict)
            case.set_verdict(after)
            case.knowledge_key = key
            case.change = "; ".join(moved)
            case.save(update_fields=["verdict", *Case.PLAN_FIELDS, "knowledge_key", "change", "updated"])
            if moved:
                record(user, case, "changed", {"verdict": before})
                flagged.append(case)
    refresh_plan_columns()
    return flagged


def refresh_plan_columns() -> int:
    """Case.PLAN_FIELDS made to match each case's verdict again, wherever they do not (a verdict
    written around set_verdict: by hand in the database, a restore of an older backup); how many
    cases were corrected. Reads the cases a thousand at a time."""
    fields, stale, fixed = list(Case.PLAN_FIELDS), [], 0
    for case in Case.objects.only("pk", "verdict", *fields).order_by("pk").iterator(chunk_size=1000):
        if any(getattr(case, name) != value for name, value in plan_columns(case.verdict).items()):
            case.set_verdict(case.verdict)
            stale.append(case)
        if len(stale) == 1000:
            fixed += Case.objects.bulk_update(stale, fields)
            stale = []
    return fixed + (Case.objects.bulk_update(stale, fields) if stale else 0)


def overdue(case: Case, today: date) -> list[ChecklistItem]:
    return [i for i in case.checklist.all() if i.status == ChecklistItem.Status.TODO and i.due and i.due < today]


def at_risk(case: Case, today: date) -> bool:
    """The typical plan misses the start date (it should have begun already, or only a fast
    plan reaches it), or a step still to do is due within a week."""
    verdict = case.verdict
    soon = today + timedelta(days=7)
    todo = [i for i in case.checklist.all() if i.status == ChecklistItem.Status.TODO and i.due]
    begin_by = verdict.get("begin_by")
    missed = verdict.get("can_start") in ("only-if-fast", "no") or bool(begin_by and date.fromisoformat(begin_by) < today)
    return bool(todo) and (missed or any(i.due <= soon for i in todo))


# The same tests in SQL, over a queryset of cases (the dashboard, the case list's risk filter):
# the verdict's part read from the plan columns (Case.PLAN_FIELDS, indexed with the institution),
# the steps' part one index look-up a case (ChecklistItem's case, status, due), never the JSON.


def _todo_steps():
    """A case's steps still to do that have a due date (inside a subquery over cases)."""
    return ChecklistItem.objects.filter(case=OuterRef("pk"), status=ChecklistItem.Status.TODO, due__isnull=False)


def first_due():
    """A case's earliest due date among its steps still to do (None: none), as an annotation."""
    return Subquery(_todo_steps().order_by("due").values("due")[:1])


def plan_misses(today: date):
    """The typical plan misses the start: its begin-by date is past, or only a fast plan, or
    none, reaches it."""
    return Q(plan_begin_by__lt=today) | Q(plan_can_start__in=("only-if-fast", "no"))


def overdue_cases(cases, today: date):
    """The cases with a step still to do past its due date."""
    return cases.filter(Exists(_todo_steps().filter(due__lt=today)))


def at_risk_cases(cases, today: date):
    """The cases `at_risk` is true of: steps still to do, and one due within a week, or a typical
    plan that misses the start (its begin-by date past, or only a fast plan, or none, reaches it)."""
    todo = _todo_steps()
    return cases.filter(Exists(todo.filter(due__lte=today + timedelta(days=7))) | (plan_misses(today) & Exists(todo)))


def at_risk_not_overdue_cases(cases, today: date):
    """at_risk_cases less overdue_cases (the dashboard's at-risk list), in the form that reads
    least: the candidates are the cases with a step to do due this week (an index range of one
    week's steps) or a plan that misses the start (the plan columns), and of those the ones
    whose first step to do is not past (one index look-up each: a step to do, none overdue)."""
    this_week = ChecklistItem.objects.filter(status=ChecklistItem.Status.TODO, due__gte=today,
                                             due__lte=today + timedelta(days=7)).values("case_id")
    return cases.alias(first_step_due=first_due()).filter(Q(pk__in=this_week) | plan_misses(today),
                                                          first_step_due__gte=today)


def late_cases(cases):
    """The cases whose start date cannot be reached even if every step goes fast."""
    return cases.filter(plan_can_start="no")


CASE_FIELDS = ("profile", "trainee_name", "trainee_email", "home_institution", "home_country", "stage", "pathway_id",
               "starts", "ends", "status")


@transaction.atomic
def update_case(case: Case, user, values: dict) -> Case:
    """Change a case's trainee fields, dates, status, pathway or profile (a checked profile, the
    contract's shape); a new pathway, profile or date re-evaluates it and lays its checklist out
    again (steps already ticked keep their status)."""
    from .history import snapshot

    before = snapshot(case)
    replan = any(k in values and values[k] != getattr(case, k) for k in ("pathway_id", "starts", "ends", "profile"))
    for key, value in values.items():
        if key in CASE_FIELDS:
            setattr(case, key, value)
    if replan:
        profile = with_dates(values.get("profile", case.profile), case.starts, case.ends)
        if not case.starts:
            profile.pop("start_date", None)
        case.profile = profile
        case.set_verdict(verdict_of(profile, case.pathway_id, date.today()))
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
