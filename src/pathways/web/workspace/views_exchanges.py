"""Exchanges each way and the reciprocity report (page with an SVG chart, and CSV)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from . import reports
from .access import scoped, workspace_view
from .charts import reciprocity_svg
from .forms import ExchangeForm
from .history import record
from .models import Exchange


@workspace_view
def exchange_list(request: HttpRequest) -> HttpResponse:
    exchanges = scoped(request.member, Exchange).select_related("partner")
    return render(request, "workspace/exchanges/list.html", {"exchanges": exchanges,
                                                              "can_write": request.member.can_write})


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def exchange_new(request: HttpRequest) -> HttpResponse:
    institution = request.member.institution
    if request.method == "POST":
        form = ExchangeForm(request.POST, institution=institution)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.institution = institution
            saved.save()
            record(request.user, saved, "created", None)
            return redirect("/workspace/exchanges/")
        status = 400
    else:
        form, status = ExchangeForm(institution=institution), 200
    return render(request, "workspace/form.html", {"form": form, "title": "New exchange", "back": "/workspace/exchanges/"},
                  status=status)


def totals(rows) -> dict:
    inbound = sum((r.inbound_usd for r in rows), Decimal(0))
    outbound = sum((r.outbound_usd for r in rows), Decimal(0))
    return {
        "inbound_heads": sum(r.inbound_heads for r in rows), "outbound_heads": sum(r.outbound_heads for r in rows),
        "inbound_weeks": sum((r.inbound_weeks for r in rows), Decimal(0)),
        "outbound_weeks": sum((r.outbound_weeks for r in rows), Decimal(0)),
        "inbound_usd": inbound, "outbound_usd": outbound, "inbound_cases": sum(r.inbound_cases for r in rows),
        "inbound_case_weeks": sum((r.inbound_case_weeks for r in rows), Decimal(0)),
        "funding_ratio": float(inbound / outbound) if outbound else None,
    }


@workspace_view
def reciprocity(request: HttpRequest) -> HttpResponse:
    rows = reports.reciprocity(request.member.institution)
    return render(request, "workspace/reciprocity.html", {
        "rows": rows, "totals": totals(rows), "chart": mark_safe(reciprocity_svg([r for r in rows if r.inbound_usd or r.outbound_usd])),  # dollars only
        "uncounted": reports.uncounted_cases(request.member.institution)})


@workspace_view
def reciprocity_csv(request: HttpRequest) -> HttpResponse:
    text = reports.reciprocity_csv(reports.reciprocity(request.member.institution))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reciprocity.csv"'
    return response
