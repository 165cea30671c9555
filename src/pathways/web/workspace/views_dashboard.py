"""The dashboard: what needs doing now."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..engine import get_engine
from . import reports
from .access import scoped, workspace_view
from django.db.models import Q

from .models import Case, ChecklistItem


SHOWN = 50  # cases listed per section; the counts say how many there are in all


def dashboard_context(member, today: date) -> dict:
    """The dashboard in a handful of queries, whatever the number of cases: the lists are
    worked out in SQL, and each shows its first SHOWN cases."""
    institution = member.institution
    open_cases = scoped(member, Case).filter(status=Case.Status.OPEN).defer("profile", "verdict")
    todo = ChecklistItem.objects.filter(case__institution=institution, case__status=Case.Status.OPEN,
                                        status=ChecklistItem.Status.TODO, due__isnull=False)
    late_items = todo.filter(due__lt=today).order_by("case_id", "due")
    late_ids = list(late_items.values_list("case_id", flat=True).distinct()[:SHOWN])
    by_case: dict[int, list] = {}
    for item in late_items.filter(case_id__in=late_ids):
        by_case.setdefault(item.case_id, []).append(item)
    late_cases = {c.pk: c for c in open_cases.filter(pk__in=late_ids)}
    soon = todo.filter(due__gte=today, due__lte=today + timedelta(days=7)).values("case_id")
    # a begin-by date already past, with steps still to do (the date sits in the verdict's JSON)
    passed = [pk for pk, begin_by in open_cases.filter(pk__in=todo.values("case_id")).values_list("pk", "verdict__begin_by")
              if begin_by and begin_by < today.isoformat()]
    at_risk = open_cases.exclude(pk__in=late_items.values("case_id")).filter(Q(pk__in=soon) | Q(pk__in=passed))
    moved = open_cases.exclude(change="")
    return {
        "today": today,
        "overdue": [(late_cases[i], by_case[i]) for i in late_ids if i in late_cases],
        "overdue_count": late_items.values("case_id").distinct().count(),
        "at_risk": list(at_risk[:SHOWN]),
        "at_risk_count": at_risk.count(),
        "moved": list(moved[:SHOWN]),
        "moved_count": moved.count(),
        "expiring": reports.expiring(institution, today),
        "uncovered": list(reports.uncovered_cases(institution, reports.pathways_needing_agreement(get_engine()))[:SHOWN]),
        "open_count": open_cases.count(),
    }


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/dashboard.html", dashboard_context(request.member, date.today()))
