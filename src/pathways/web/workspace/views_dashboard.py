"""The dashboard: what needs doing now."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..engine import get_engine
from . import reports
from .access import scoped, workspace_view
from .cases import at_risk, overdue
from .models import Case


def dashboard_context(member, today: date) -> dict:
    institution = member.institution
    open_cases = list(scoped(member, Case).filter(status=Case.Status.OPEN).prefetch_related("checklist"))
    late = [(c, sorted(overdue(c, today), key=lambda i: i.due)) for c in open_cases]
    return {
        "today": today,
        "overdue": [(c, items) for c, items in late if items],
        "at_risk": [c for c, items in late if not items and at_risk(c, today)],
        "moved": [c for c in open_cases if c.change],
        "expiring": reports.expiring(institution, today),
        "uncovered": reports.uncovered_cases(institution, reports.pathways_needing_agreement(get_engine().kb)),
        "open_count": len(open_cases),
    }


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/dashboard.html", dashboard_context(request.member, date.today()))
