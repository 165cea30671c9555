"""The result: one evaluation rendered as HTML, JSON, PDF and the profile file."""

from __future__ import annotations

import yaml
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from ...engine.report import evaluation_json
from ..engine import get_engine
from . import answers as qs
from . import decorate, words
from .common import _answers_or_error


def _evaluation(request: HttpRequest):
    """(answers, the evaluation's JSON) or (None, a 400 page)."""
    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return None, page
    engine = get_engine()
    return answers, evaluation_json(engine.find(profile, answers.as_of_date()))


def result(request: HttpRequest) -> HttpResponse:
    answers, data = _evaluation(request)
    if answers is None:
        return data
    return render(request, "finder/result.html", _result_context(answers, data))


def _result_context(answers, data) -> dict:
    engine = get_engine()
    query = answers.query()
    return {**decorate.evaluation(engine.kb, data), "query": query, "packed": qs.pack(query) if query else "",
            "given": [{"question": engine.kb.facts[f].question if f in engine.kb.facts else f,
                       "answer": words.shown(engine.kb, engine.kb.facts.get(f), f, t)} for f, t in answers.steps()]}


def result_json(request: HttpRequest) -> HttpResponse:
    answers, data = _evaluation(request)
    if answers is None:
        return data
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def result_pdf(request: HttpRequest) -> HttpResponse:
    answers, data = _evaluation(request)
    if answers is None:
        return data
    try:
        from .pdf import html_to_pdf
    except OSError:  # WeasyPrint without Pango: say what to install rather than fail with a 500
        return HttpResponse("The PDF needs the Pango library on the server (Debian: apt-get install "
                            "libpango-1.0-0 libpangoft2-1.0-0). The page itself prints with the print stylesheet.",
                            status=503, content_type="text/plain; charset=utf-8")

    html = render_to_string("finder/result.html", {**_result_context(answers, data), "pdf": True}, request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="exchange-pathways-result.pdf"'
    return response


def profile_yaml(request: HttpRequest) -> HttpResponse:
    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return page
    text = "# Exchange Pathways profile (../shared/CONTRACT.md section 1). Evaluate with: pathways find profile.yaml\n"
    text += yaml.safe_dump(profile.to_contract(), sort_keys=False, allow_unicode=True)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="profile.yaml"'
    return response


# The knowledge browser -------------------------------------------------------------
