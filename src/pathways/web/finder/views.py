"""Public pages. Each view builds one result and renders it as HTML or, with .json, as JSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Exchange Pathways")
