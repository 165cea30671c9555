"""The interview: one question per page.

The engine chooses every question (`Engine.next_question`), as it does for the API, so the
page and the API ask the same facts in the same order: the person's wish first, then the
eligibility questions, then the plan's dates and city. This page only puts the question
in words (facts.yaml's labels, through `Engine.labels`) and reads the answer back into
the address. Nationalities are typed by name ("Uganda", "Ivory Coast") or code; the
address keeps ISO codes.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..engine import get_engine
from ..i18n.templatetags.kb_text import kb
from . import answers as qs
from . import words
from .common import _answers_or_error, _redirect, _url

PHASE = {"wish": _("What you want"), "eligibility": _("About you"), "programmes": _("Where you could apply"),
         "planning": _("Your plans")}
NATIONALITY_INPUTS = 2  # a second box for a second passport; each also takes a comma list


def interview(request: HttpRequest) -> HttpResponse:
    engine = get_engine()
    facts = engine.facts()
    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return page
    error = None
    entered: list[str] = []
    fact = request.GET.get("fact")
    if fact:  # the form was submitted: record the answer and go to the clean address
        if fact not in facts:
            return HttpResponse(f"{fact!r} is not a profile fact", status=400, content_type="text/plain")
        given = request.GET.getlist("answer")
        definition = facts[fact]
        if qs.UNKNOWN in given:
            return _redirect("/interview/", answers.with_skip(fact))
        text, problem = _read(engine, definition, given)
        if problem is None and (text or definition.type == "set"):
            try:
                nxt = answers.with_answer(fact, text)
                qs.profile(nxt, engine)
                return _redirect("/interview/", nxt)
            except qs.ProfileError as bad:
                problem = "; ".join(kb(p.message) for p in bad.problems)  # the engine's words, translated
        error = (f"{problem[:1].upper()}{problem[1:]}. " if problem else gettext("No answer was given.") + " ") + gettext(
            "Accepted: %(accepted)s, or “I don't know”.") % {"accepted": _accepted(engine, definition)}
        entered = [g.strip() for g in given]
    progress = engine.next_question(profile, answers.skipped, answers.as_of_date())
    if fact:
        question = progress.question if progress.question and progress.question.fact == fact else engine.question(fact)
    elif progress.question is None:
        return _redirect("/result/", answers)
    else:
        question = progress.question
    asked = len(answers)
    context = {
        "question": _shown_question(engine, question, entered),
        "phase": PHASE.get(question.phase, ""),
        "error": error,
        "answers": answers,
        "hidden": answers.pairs(),
        "number": asked + 1,
        "asked": asked,
        "total": asked + max(progress.remaining, 1),
        "back": _url("/interview/", answers.back()) if len(answers) else None,
        "given": [{"fact": f, "question": facts[f].question if f in facts else f,
                   "answer": words.shown(engine, facts.get(f), f, text, engine.labels(f) if f in facts else {}),
                   "change": _url("/interview/", answers.without(f))} for f, text in answers.steps()],
        "query": answers.query(),
        "result": _url("/result/", answers),
    }
    return render(request, "finder/interview.html", context, status=200)


def _read(engine, definition, given: list[str]) -> tuple[str, str | None]:
    """The answer's text for the address, and what is wrong with it (None: nothing yet)."""
    if definition.type == "set":
        return ",".join(v for v in given if v), None
    if definition.type == "codes":  # names or codes, in one box or several, commas between
        codes: list[str] = []
        unknown: list[str] = []
        for part in given:
            found, missing = engine.country_codes(part)
            codes += [c for c in found if c not in codes]
            unknown += missing
        if unknown:
            names = ", ".join(f"“{u}”" for u in unknown)
            return "", ngettext("%(names)s is not a country name or code of the list",
                                "%(names)s are not a country name or code of the list", len(unknown)) % {"names": names}
        return ",".join(codes), None
    return (given[-1].strip() if given else ""), None


def _accepted(engine, definition) -> str:
    """What an answer may be, in the page's words."""
    if definition.type == "codes":
        return gettext("a country's name from the list, or a common spelling of it (Uganda, Côte d'Ivoire or Ivory "
                       "Coast), or its two-letter code (UG, CI); several separated by commas")
    if definition.type == "enum":
        return gettext("one of the choices above")
    if definition.type == "set":
        return gettext("any of the boxes above, or none")
    return qs.accepted(definition, {})


def _shown_question(engine, q, entered: list[str]) -> dict:
    """The question, its help and its choices, in words."""
    definition = engine.facts()[q.fact]
    question = {"fact": q.fact, "text": q.question, "help": q.help, "type": q.type,
                "entered": entered[-1] if entered else "", "minimum": definition.minimum, "maximum": definition.maximum}
    labels = q.labels
    if q.type == "bool":
        question["choices"] = [(v, words.label(labels, v)) for v in ("true", "false")]
    elif q.type == "enum":
        question["choices"] = [(v, words.label(labels, v)) for v in q.values]
    elif q.type == "set":
        chosen = {p for e in entered for p in e.split(",")}
        question["choices"] = [(v, words.label(labels, v), v in chosen) for v in q.values]
    elif q.type == "codes":
        boxes = entered + [""] * NATIONALITY_INPUTS
        question["boxes"] = [boxes[0], ", ".join(e for e in boxes[1:] if e)]
        # every name in the page's language, and every common spelling with the name it stands
        # for, alphabetically; names typed in English or any other of the languages match too
        names = engine.country_names(get_language() or "en")
        options = [(name, None) for name in names.values()]
        options += [(alias, names.get(code, code)) for alias, code in engine.country_aliases().items()]
        question["countries"] = sorted(options, key=lambda option: _sort_key(option[0]))
    return question


def _sort_key(name: str) -> str:
    """Alphabetical as a person reads it: Åland Islands among the A's."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
