"""Public pages. Each view builds one result from the core and renders it as HTML or,
with .json, as JSON: the interview, the result (HTML, JSON, PDF), the profile file and
the knowledge browser."""

from __future__ import annotations

import yaml
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from ...engine.interview import Interviewer
from ...engine.report import evaluation_json
from ...engine.knowledge_items import KINDS, item, listing
from ...rules.profile import ProfileError
from ..engine import get_engine
from . import answers as qs
from . import decorate, words

KNOWLEDGE_KINDS = list(KINDS) + ["sources"]
KIND_TITLES = {"visas": "Visas", "authorizations": "California authorizations", "pathways": "Pathways",
               "policies": "Policy events", "programs": "Host programmes", "barriers": "Barriers",
               "enablers": "Enablers", "recommendations": "Recommendations", "lists": "Lists of countries",
               "sources": "Sources"}
FIRST_QUESTION = "desired_contact"  # asked by the page itself, before the engine's questions


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "finder/home.html", {"kinds": [(k, KIND_TITLES[k]) for k in KNOWLEDGE_KINDS]})


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
            if fact not in engine.kb.facts:
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


def _url(path: str, answers: qs.Answers) -> str:
    query = answers.query()
    return f"{path}?{query}" if query else path


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

def _kind_or_404(kind: str) -> None:
    if kind not in KNOWLEDGE_KINDS:
        raise Http404(f"no kind {kind!r}; kinds: {', '.join(KNOWLEDGE_KINDS)}")


def _item_or_404(kind: str, item_id: str) -> dict:
    _kind_or_404(kind)
    found = item(get_engine().kb, kind, item_id)
    if found is None:
        raise Http404(f"no {kind} item {item_id!r}")
    return found


def knowledge(request: HttpRequest) -> HttpResponse:
    kb = get_engine().kb
    kinds = [{"kind": k, "title": KIND_TITLES[k], "count": len(kb.sources) if k == "sources" else len(getattr(kb, KINDS[k][0]))}
             for k in KNOWLEDGE_KINDS]
    figures = [{"id": c.id, "figure": c.figure, "name": c.name} for c in kb.categories.values()]
    return render(request, "finder/knowledge.html", {"kinds": kinds, "figures": figures})


def knowledge_kind(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_or_404(kind)
    items = [{"id": i.get("code") or i.get("id"), "name": i.get("name") or i.get("title") or i.get("label"),
              "label": i.get("label")} for i in listing(get_engine().kb, kind)]
    return render(request, "finder/kind.html", {"kind": kind, "title": KIND_TITLES[kind], "items": items})


def knowledge_kind_json(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_or_404(kind)
    return JsonResponse(listing(get_engine().kb, kind), safe=False, json_dumps_params={"ensure_ascii": False})


def knowledge_item(request: HttpRequest, kind: str, item_id: str) -> HttpResponse:
    found = _item_or_404(kind, item_id)
    kb = get_engine().kb
    figures = []
    if kind == "pathways":
        figures = [{"id": c, "figure": kb.categories[c].figure, "name": kb.categories[c].name}
                   for c in found.get("categories", []) if c in kb.categories]
    name = found.get("name") or found.get("title") or item_id
    return render(request, "finder/item.html", {"kind": kind, "title": KIND_TITLES[kind], "item": found, "name": name,
                                                "item_id": item_id, "figures": figures})


def knowledge_item_json(request: HttpRequest, kind: str, item_id: str) -> HttpResponse:
    return JsonResponse(_item_or_404(kind, item_id), json_dumps_params={"ensure_ascii": False})


def figure(request: HttpRequest, category: str) -> HttpResponse:
    from ...present.diagram import draw_category

    kb = get_engine().kb
    if category not in kb.categories:
        raise Http404(f"no category {category!r}")
    return HttpResponse(draw_category(kb, category), content_type="image/svg+xml; charset=utf-8")
