"""What every public page shares: the answers read from the address, and a 400 page naming
each bad value."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render

from pathways import ProfileError
from ..engine import get_engine
from . import answers as qs


def _answers_or_error(request: HttpRequest):
    """(answers, profile), or an HTTP 400 page naming each bad value."""
    engine = get_engine()
    try:
        pairs = _pairs(request)
    except ProfileError as error:  # past a bound: nothing of it was read, so nothing is kept
        return None, None, _bad_answers(request, error, qs.Answers())
    try:
        answers = qs.parse(pairs)
    except ProfileError as error:  # a bad as_of
        return None, None, _bad_answers(request, error, qs.Answers())
    try:
        return answers, qs.profile(answers, engine), None
    except ProfileError as error:
        unknown = {fact for fact in answers.skipped if fact not in engine.facts()}
        return None, None, _bad_answers(request, error, answers.without_all({p.field for p in error.problems} | unknown))


def _bad_answers(request: HttpRequest, error: ProfileError, fixed: qs.Answers):
    """The 400 page: each problem, and a link that continues with the answers that were fine."""
    return render(request, "finder/bad_answers.html", {"problems": error.problems, "fixed": fixed.query()}, status=400)


def _pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The query's (key, value) pairs in the order they were written, within the bounds of
    answers.read_query (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS among them)."""
    return qs.read_query(request.META.get("QUERY_STRING", ""), settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)


def _redirect(path: str, answers: qs.Answers) -> HttpResponseRedirect:
    query = answers.query()
    return HttpResponseRedirect(f"{path}?{query}" if query else path)


def _url(path: str, answers: qs.Answers) -> str:
    query = answers.query()
    return f"{path}?{query}" if query else path
