"""The result: one evaluation rendered as HTML, JSON, PDF and the profile file."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import yaml
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext

from pathways import verdict_json
from ..engine import get_engine
from . import answers as qs
from . import decorate, words
from .common import _answers_or_error


def _verdict(request: HttpRequest):
    """(answers, the verdict) or (None, a 400 page): the one evaluation behind HTML, JSON and PDF."""
    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return None, page
    return answers, get_engine().find(profile, answers.as_of_date())


def result(request: HttpRequest) -> HttpResponse:
    answers, found = _verdict(request)
    if answers is None:
        return found
    return render(request, "finder/result.html", _result_context(answers, found, request))


def _result_context(answers, found, request=None, pdf: bool = False) -> dict:
    engine = get_engine()
    facts = engine.facts()
    query = answers.query()
    categories = {c["id"]: c["name"] for c in engine.categories()}
    questions = {name: d.question for name, d in facts.items()}
    # a workspace member who may write opens a case from a result; a trainee is not sent to a staff login
    staff = not pdf and _case_opener(request)
    states = {j["code"]: j["name"] for j in engine.states()}
    further = decorate.elsewhere(engine.elsewhere(found.profile, found.as_of), questions, states, whole=pdf)
    return {**decorate.verdict(found, questions, categories, compact=not pdf), "query": query, "elsewhere": further,
            "packed": qs.pack(query) if query and staff else "", "share": _share(request, query),
            "given": [{"question": facts[f].question if f in facts else f,
                       "answer": words.shown(engine, facts.get(f), f, t)} for f, t in answers.steps()]}


def _case_opener(request) -> bool:
    """A signed-in member of an institution's workspace who may open a case (not a viewer)."""
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not user.is_authenticated:
        return False
    from ..workspace.access import member_of

    member = member_of(user)
    return bool(member is not None and member.can_write)


# The email is the trainee's words to a California host, who reads English: it stays English
# whatever the page's language (the page around it says, in that language, what it is).
SHARE_SUBJECT = "My pathways to hands-on training in California"
SHARE_BODY = ("Hello,\n\nI would like to train with you. Exchange Pathways shows which US visa and which California "
              "authorization could let me do so, what each would take, when I could start and what it costs:\n\n{url}\n\n"
              "The link opens the result itself (my answers are in it; the site keeps nothing), and the page offers "
              "it as a PDF. Could you tell me which of these routes your program could offer?\n")


def _share(request, query: str) -> dict:
    """The result's own address (what a host opens, and what the PDF prints) and an email to the
    host that carries it."""
    path = f"/result/?{query}" if query else "/result/"
    url = request.build_absolute_uri(path) if request is not None else path
    body = SHARE_BODY.format(url=url)
    return {"url": url, "mailto": f"mailto:?subject={quote(SHARE_SUBJECT)}&body={quote(body)}"}


def result_json(request: HttpRequest) -> HttpResponse:
    answers, found = _verdict(request)
    if answers is None:
        return found
    return JsonResponse(verdict_json(found), json_dumps_params={"ensure_ascii": False})


def result_pdf(request: HttpRequest) -> HttpResponse:
    """The result as a PDF: from the cache when these answers were rendered already (same day
    of evaluation, same knowledge base); else rendered, within the per-address limit."""
    from . import pdf

    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return page
    engine = get_engine()
    # the PDF prints the result's address (one per host name the site answers to), in the page's language
    key = pdf.cache_key(f"{answers.query()}\n{request.get_host()}\n{get_language()}", answers.as_of_date() or date.today(),
                        engine.version)
    body = pdf.store().get(key)
    if body is None:
        if not pdf.available():  # WeasyPrint without Pango: say what to install rather than fail with a 500
            return HttpResponse(gettext("The PDF needs the Pango library on the server (Debian: apt-get install "
                                        "libpango-1.0-0 libpangoft2-1.0-0). The page itself prints with the print "
                                        "stylesheet."),
                                status=503, content_type="text/plain; charset=utf-8")
        wait = pdf.render_refused(pdf.client_address(request))
        if wait is not None:
            return _busy(429, wait, gettext("Too many PDFs made for this address: at most %(most)s a minute. Try again "
                                            "in %(wait)s seconds, or print the result page itself.")
                         % {"most": pdf.renders_per_window(), "wait": wait})
        with pdf.render_slot() as free:
            if not free:
                return _busy(503, 5, gettext("The server is making other PDFs; try again in a few seconds."))
            found = engine.find(profile, answers.as_of_date())
            html = render_to_string("finder/result.html", {**_result_context(answers, found, request, pdf=True), "pdf": True},
                                    request)
            body = pdf.html_to_pdf(html)
        if len(body) <= pdf.MAX_CACHED_BYTES:
            pdf.store().set(key, body)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="exchange-pathways-result.pdf"'
    return response


def _busy(status: int, seconds: int, text: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


def profile_yaml(request: HttpRequest) -> HttpResponse:
    answers, profile, page = _answers_or_error(request)
    if page is not None:
        return page
    text = "# Exchange Pathways profile (the contract's section 1, docs/contract.md). Evaluate with: pathways find profile.yaml\n"
    text += yaml.safe_dump(profile.to_contract(), sort_keys=False, allow_unicode=True)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="profile.yaml"'
    return response


# The knowledge browser -------------------------------------------------------------
