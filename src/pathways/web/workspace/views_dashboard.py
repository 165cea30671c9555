"""The dashboard: what needs doing now."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..engine import get_engine
from . import reports
from .access import scoped, workspace_view
from .cases import at_risk_not_overdue_cases, first_due, overdue_cases
from .models import Case, ChecklistItem


SHOWN = 50  # cases listed per section; the counts say how many there are in all


def _ranked(cases, order: tuple[str, ...]) -> tuple[list[int], int]:
    """The ids of the first SHOWN of `cases` in `order` (whose keys may name `next_due`, the
    earliest due date of a case's steps still to do) and how many there are in all, in one
    query: the count is a window over the same rows, so the cases are filtered once, and only
    their ids are read (from the covering index on the plan columns)."""
    rows = list(cases.annotate(next_due=first_due(), total=Window(Count("pk")))
                .order_by(*order).values_list("pk", "total")[:SHOWN])
    return [pk for pk, _ in rows], (rows[0][1] if rows else 0)


def _steps(case_ids, today: date) -> tuple[dict[int, dict], Counter]:
    """For the listed cases: each one's most urgent step still to do (the earliest due, then
    the checklist's order; its pk, text and due date) and its number of overdue steps, in one
    query of plain rows (a few hundred steps: no model instance made for each)."""
    first: dict[int, dict] = {}
    late: Counter = Counter()
    items = ChecklistItem.objects.filter(case_id__in=case_ids, status=ChecklistItem.Status.TODO, due__isnull=False)
    for item in items.order_by("case_id", "due", "position").values("pk", "case_id", "text", "due"):
        first.setdefault(item["case_id"], item)
        late[item["case_id"]] += item["due"] < today
    return first, late


def _why(case, today: date) -> str:
    """Why a case is at risk, in a few words (its plan columns, Case.PLAN_FIELDS)."""
    if case.plan_can_start == "no":
        return "the start date cannot be reached even if every step goes fast"
    if case.plan_can_start == "only-if-fast":
        return "only a fast plan reaches the start date"
    if case.plan_begin_by and case.plan_begin_by < today:
        return f"the plan should have begun by {case.plan_begin_by.isoformat()}"
    return "a step is due within a week"


def dashboard_context(member, today: date) -> dict:
    """The dashboard in a fixed number of queries, whatever the number of cases: the lists are
    worked out in SQL from indexed columns (the verdict's plan columns; the steps through their
    case, status and due date), each case once per list, most urgent first, each cut at SHOWN
    cases and counted in the same query."""
    institution = member.institution
    open_cases = scoped(member, Case).filter(status=Case.Status.OPEN).defer("profile", "verdict")
    late_ids, overdue_count = _ranked(overdue_cases(open_cases, today), ("next_due", "pk"))
    # at risk (cases.at_risk), overdue ones left to the list above
    risk_ids, at_risk_count = _ranked(at_risk_not_overdue_cases(open_cases, today), ("next_due", "starts", "pk"))
    listed = open_cases.only("trainee_name", "pathway_id", "starts", *Case.PLAN_FIELDS).in_bulk(late_ids + risk_ids)
    first, late = _steps(late_ids + risk_ids, today)
    moved = open_cases.exclude(change="")
    crossed = reports.crossed_thresholds(institution)
    return {
        "today": today,
        "overdue": [(listed[pk], late[pk], first.get(pk)) for pk in late_ids if pk in listed],
        "overdue_count": overdue_count,
        "at_risk": [(listed[pk], _why(listed[pk], today), first.get(pk)) for pk in risk_ids if pk in listed],
        "at_risk_count": at_risk_count,
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
