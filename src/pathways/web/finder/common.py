"""What every public page shares: the answers read from the address, and a 400 page naming
each bad value."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render

from pathways import ProfileError
from ..engine import get_engine
from . import answers as qs


def _answers_or_error(request: HttpRequest):
    """(answers, profile), or an HTTP 400 page naming each bad value."""
    engine = get_engine()
    try:
        answers = qs.parse(_pairs(request))
        return answers, qs.profile(answers, engine), None
    except ProfileError as error:
        try:
            answers = qs.parse(_pairs(request))
        except ProfileError:
            answers = qs.Answers()
        fixed = answers
        for field in {p.field for p in error.problems}:
            fixed = fixed.without(field)
        for fact in fixed.skipped:
            if fact not in engine.facts():
                fixed = fixed.without(fact)
        page = render(request, "finder/bad_answers.html",
                      {"problems": error.problems, "fixed": fixed.query()}, status=400)
        return None, None, page


def _pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The query's (key, value) pairs in the order they were written."""
    from urllib.parse import parse_qsl

    return parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)


def _redirect(path: str, answers: qs.Answers) -> HttpResponseRedirect:
    query = answers.query()
    return HttpResponseRedirect(f"{path}?{query}" if query else path)


def _url(path: str, answers: qs.Answers) -> str:
    query = answers.query()
    return f"{path}?{query}" if query else path
