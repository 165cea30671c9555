"""A case's incidental-contact log: the weeks and the report (share of patient contact against
the institution's threshold), a week logged, corrected or deleted (logs.py checks each week)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..engine import get_engine
from . import reports
from .access import get_case, get_scoped, workspace_view
from .forms import ContactLogForm
from .logs import HOURS, correct_week, delete_week, log_week
from .models import ContactLog


def _day(text: str | None) -> date | None:
    """The day a redirect names (`?logged=2026-09-14`), if it is one."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _page(case) -> str:
    return f"/workspace/cases/{case.pk}/contact-log/"


@workspace_view
@require_http_methods(["GET", "HEAD", "POST"])
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    today = date.today()
    status = 200
    if request.method == "POST":
        form = ContactLogForm(request.POST, case=case, today=today)
        if form.is_valid():
            entry = log_week(case, request.user, form.cleaned_data["week_of"],
                             {k: form.cleaned_data[k] for k in HOURS}, today=today)
            return redirect(f"{_page(case)}?logged={entry.week_of}#weeks")
        status = 400
    else:
        form = ContactLogForm(case=case, today=today)
    report = reports.contact_report(case)
    return render(request, "workspace/cases/contact_log.html", {
        "case": case, "report": report, "form": form, "can_write": request.member.can_write,
        "over": {w.pk for w in report.weeks_over}, "today": today,
        "incidental": case.pathway_id in reports.pathways_with_incidental_contact(get_engine()),
        "done": {k: _day(request.GET.get(k)) for k in ("logged", "corrected", "deleted")},
    }, status=status)


def _week(request: HttpRequest, pk: int, week: int) -> ContactLog:
    """The case's logged week (another case's, or another institution's: 404)."""
    case = get_case(request.member, pk)
    entry = get_scoped(request.member, ContactLog, week, case=case)
    entry.case = case
    return entry


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def contact_log_week(request: HttpRequest, pk: int, week: int) -> HttpResponse:
    """Correct a logged week: its Monday or its hours."""
    entry = _week(request, pk, week)
    case, today, status = entry.case, date.today(), 200
    if request.method == "POST":
        form = ContactLogForm(request.POST, instance=entry, case=case, today=today)
        if form.is_valid():
            saved = correct_week(entry, request.user, form.cleaned_data["week_of"],
                                 {k: form.cleaned_data[k] for k in HOURS}, today=today)
            return redirect(f"{_page(case)}?corrected={saved.week_of}#weeks")
        status = 400
    else:
        form = ContactLogForm(instance=entry, case=case, today=today)
    return render(request, "workspace/cases/contact_week.html", {
        "case": case, "entry": ContactLog.objects.get(pk=entry.pk), "form": form}, status=status)


@workspace_view(write=True)
@require_POST
def contact_log_delete(request: HttpRequest, pk: int, week: int) -> HttpResponse:
    """Delete a logged week (the history keeps what it said)."""
    entry = _week(request, pk, week)
    day = entry.week_of
    delete_week(entry, request.user)
    return redirect(f"{_page(entry.case)}?deleted={day}#weeks")
