"""The dashboard: what needs doing now."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from django.db.models import Count, Min, Q

from ..engine import get_engine
from . import reports
from .access import scoped, workspace_view
from .cases import at_risk_cases, verdict_text
from .models import Case, ChecklistItem


SHOWN = 50  # cases listed per section; the counts say how many there are in all


def _first_due(items, case_ids) -> dict[int, ChecklistItem]:
    """Each case's most urgent step of `items` (the earliest due; then the checklist's order)."""
    first: dict[int, ChecklistItem] = {}
    for item in items.filter(case_id__in=case_ids).order_by("case_id", "due", "position"):
        first.setdefault(item.case_id, item)
    return first


def _why(case, today: date) -> str:
    """Why a case is at risk, in a few words (its plan as annotated by dashboard_context)."""
    if case.plan_can_start == "no":
        return "the start date cannot be reached even if every step goes fast"
    if case.plan_can_start == "only-if-fast":
        return "only a fast plan reaches the start date"
    if case.plan_begin_by and case.plan_begin_by < today.isoformat():
        return f"the plan should have begun by {case.plan_begin_by}"
    return "a step is due within a week"


def dashboard_context(member, today: date) -> dict:
    """The dashboard in a handful of queries, whatever the number of cases: the lists are
    worked out in SQL, each case once per list (grouped by case, never a DISTINCT over a
    column the ordering adds), most urgent first, and each shows its first SHOWN cases."""
    institution = member.institution
    open_cases = scoped(member, Case).filter(status=Case.Status.OPEN).defer("profile", "verdict")
    todo = ChecklistItem.objects.filter(case__institution=institution, case__status=Case.Status.OPEN,
                                        status=ChecklistItem.Status.TODO, due__isnull=False)
    late_items = todo.filter(due__lt=today)
    # One row per case: its count of overdue steps and the first of their due dates.
    late_rows = list(late_items.order_by().values("case_id").annotate(steps=Count("pk"), first=Min("due"))
                     .order_by("first", "case_id")[:SHOWN])
    late_ids = [r["case_id"] for r in late_rows]
    late_cases = {c.pk: c for c in open_cases.filter(pk__in=late_ids)}
    late_first = _first_due(late_items, late_ids)
    # at risk (cases.at_risk), overdue ones left to the list above
    at_risk = (at_risk_cases(open_cases, today).exclude(pk__in=late_items.values("case_id"))
               .annotate(next_due=Min("checklist__due", filter=Q(checklist__status=ChecklistItem.Status.TODO)),
                         plan_can_start=verdict_text("can_start"), plan_begin_by=verdict_text("begin_by"))
               .order_by("next_due", "starts", "pk"))
    at_risk_shown = list(at_risk[:SHOWN])
    risk_first = _first_due(todo, [c.pk for c in at_risk_shown])
    moved = open_cases.exclude(change="")
    crossed = reports.crossed_thresholds(institution)
    return {
        "today": today,
        "overdue": [(late_cases[r["case_id"]], r["steps"], late_first.get(r["case_id"]))
                    for r in late_rows if r["case_id"] in late_cases],
        "overdue_count": late_items.order_by().values("case_id").distinct().count(),
        "at_risk": [(c, _why(c, today), risk_first.get(c.pk)) for c in at_risk_shown],
        "at_risk_count": at_risk.count(),
        "crossed": crossed[:SHOWN],
        "crossed_count": len(crossed),
        "moved": list(moved[:SHOWN]),
        "moved_count": moved.count(),
        "expiring": reports.expiring(institution, today),
        "uncovered": list(reports.uncovered_cases(institution, reports.pathways_needing_agreement(get_engine()))[:SHOWN]),
        "open_count": open_cases.count(),
    }


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/dashboard.html", dashboard_context(request.member, date.today()))
