"""The institution's data in and out: CSV import (checked row by row) and JSON export."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .access import workspace_view
from .exports import export_institution
from .forms import ImportForm
from .imports import IMPORTERS, PARTNER_COLUMNS, TEMPLATE_CASE_COLUMNS, case_template

MAX_BYTES = 5 * 1024 * 1024


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def import_csv(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404(f"nothing to import as {kind!r}: cases or partners")
    result, status = None, 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                form.add_error("file", "The file is larger than 5 MB.")
                status = 400
            else:
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    form.add_error("file", "The file is not UTF-8 text.")
                    status = 400
                else:
                    result = IMPORTERS[kind](request.member.institution, request.user, text,
                                             form.cleaned_data["import_valid_rows"])
                    status = 200 if not result.errors or result.imported else 400
        else:
            status = 400
    else:
        form = ImportForm()
    columns = TEMPLATE_CASE_COLUMNS if kind == "cases" else PARTNER_COLUMNS
    return render(request, "workspace/import.html", {"form": form, "kind": kind, "result": result,
                                                     "columns": columns}, status=status)


@workspace_view
def import_template(request: HttpRequest) -> HttpResponse:
    """The header of a case import: the case's columns and one column per profile field."""
    response = HttpResponse(case_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases-template.csv"'
    return response


@workspace_view
def export_json(request: HttpRequest) -> HttpResponse:
    data = export_institution(request.member.institution)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{request.member.institution.slug}.json"'
    return response
