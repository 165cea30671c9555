"""The interview: one question per page, the next one chosen by the engine."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ...rules.profile import ProfileError
from ...engine.interview import Interviewer
from ..engine import get_engine
from . import answers as qs
from . import words
from .common import _answers_or_error, _redirect, _url

FIRST_QUESTION = "desired_contact"  # asked by the page itself, before the engine's questions


def interview(request: HttpRequest) -> HttpResponse:
    engine = get_engine()
    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return page
    error = None
    fact = request.GET.get("fact")
    if fact:  # the form was submitted: record the answer and go to the clean address
        if fact not in engine.kb.facts:
            return HttpResponse(f"{fact!r} is not a profile fact", status=400, content_type="text/plain")
        given = request.GET.getlist("answer")
        definition = engine.kb.facts[fact]
        if qs.UNKNOWN in given:
            return _redirect("/interview/", answers.with_skip(fact))
        if definition.type == "set":
            text = ",".join(v for v in given if v)
        else:
            text = given[-1].strip() if given else ""
        if text or definition.type == "set":
            try:
                nxt = answers.with_answer(fact, text)
                qs.profile(nxt, engine)
                return _redirect("/interview/", nxt)
            except ProfileError as problem:
                error = "; ".join(p.message for p in problem.problems)
        accepted = qs.accepted(definition, engine.checker.vocabularies)
        error = (f"{error}. " if error else "No answer was given. ") + f"Accepted: {accepted}, or “I don't know”."
        question_fact = fact
        entered = text
    else:
        question_fact, entered = None, ""
    rules = engine.rules(engine.as_of(profile, answers.as_of_date()))
    progress = Interviewer(rules, engine.kb.facts, engine.checker.vocabularies).progress(profile, answers.skipped)
    if question_fact is None:
        if FIRST_QUESTION not in answers:
            question_fact = FIRST_QUESTION
        elif progress.question is None:
            return _redirect("/result/", answers)
        else:
            question_fact = progress.question.fact
    asked = len(answers)
    remaining = progress.remaining + (0 if FIRST_QUESTION in answers else 1)
    context = {
        "question": _question(engine, question_fact, entered),
        "error": error,
        "answers": answers,
        "hidden": answers.pairs(),
        "number": asked + 1,
        "asked": asked,
        "total": asked + max(remaining, 1),
        "back": _url("/interview/", answers.back()) if len(answers) else None,
        "given": [{"fact": f, "question": engine.kb.facts[f].question if f in engine.kb.facts else f,
                   "answer": words.shown(engine.kb, engine.kb.facts.get(f), f, text),
                   "change": _url("/interview/", answers.without(f))} for f, text in answers.steps()],
        "query": answers.query(),
        "result": _url("/result/", answers),
    }
    return render(request, "finder/interview.html", context, status=200)


def _question(engine, fact: str, entered: str) -> dict:
    """The question, its help and its choices, in words."""
    d = engine.kb.facts[fact]
    values = sorted(engine.checker.vocabularies[d.vocabulary]) if d.vocabulary else list(d.values)
    if fact == "desired_contact":
        values = ["none", "incidental", "supervised", "independent"]
    question = {"fact": fact, "text": d.question, "help": d.help, "type": d.type, "entered": entered,
                "minimum": d.minimum, "maximum": d.maximum}
    if d.type == "bool":
        question["choices"] = [("true", "Yes"), ("false", "No")]
    elif d.type == "enum":
        question["choices"] = [(v, words.choice_label(engine.kb, fact, v)) for v in values]
    elif d.type == "set":
        chosen = set(entered.split(","))
        question["choices"] = [(v, words.STEPS.get(v, v), v in chosen) for v in values]
    elif d.type == "codes":
        question["countries"] = sorted(words.country_names(engine.kb).items(), key=lambda kv: kv[1])
    return question
