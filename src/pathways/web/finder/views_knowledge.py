"""The home page and the knowledge browser: every item as HTML with a .json twin."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from pathways import KNOWLEDGE_KINDS

from ...present.diagram import draw_category, figure_size
from ..engine import get_engine
from . import figures as drawn_figures
from . import words

KIND_TITLES = {"visas": _("Visas"), "authorizations": _("State authorizations"), "pathways": _("Pathways"),
               "policies": _("Policy events"), "programs": _("Host programs"), "barriers": _("Barriers"),
               "enablers": _("Enablers"), "recommendations": _("Recommendations"), "lists": _("Lists of countries"),
               "sources": _("Sources")}



def home(request: HttpRequest) -> HttpResponse:
    return render(request, "finder/home.html", {"kinds": [(k, KIND_TITLES[k]) for k in KNOWLEDGE_KINDS]})



def _kind_or_404(kind: str) -> None:
    if kind not in KNOWLEDGE_KINDS:
        raise Http404(f"no kind {kind!r}; kinds: {', '.join(KNOWLEDGE_KINDS)}")


def _item_or_404(kind: str, item_id: str) -> dict:
    _kind_or_404(kind)
    found = get_engine().knowledge_item(kind, item_id)
    if found is None:
        raise Http404(f"no {kind} item {item_id!r}")
    return found


# The figures on the pages: rows of two columns on a phone (and at the plain address, which a
# phone opens without scrolling sideways), of four on a wider screen; the article draws one row.
NARROW, WIDE = 2, 4
MAX_COLUMNS = 40


def _figures(categories) -> list[dict]:
    """Each figure with the size of its narrow and wide drawings in the page's language, and
    their addresses in it, for the page's <picture>."""
    engine = get_engine()
    out = []
    for c in categories:
        drawn, said = drawn_figures.translated(engine.figure(c["id"]))
        narrow, wide = figure_size(drawn, NARROW, said), figure_size(drawn, WIDE, said)
        out.append({"id": c["id"], "figure": c["figure"], "name": c["name"], "wide_columns": WIDE,
                    "url": drawn_figures.address(c["id"]), "wide_url": drawn_figures.address(c["id"], f"columns={WIDE}"),
                    "narrow": {"width": narrow[0], "height": narrow[1]}, "wide": {"width": wide[0], "height": wide[1]}})
    return out


def knowledge(request: HttpRequest) -> HttpResponse:
    engine = get_engine()
    kinds = [{"kind": k, "title": KIND_TITLES[k], "count": len(engine.knowledge(k))} for k in KNOWLEDGE_KINDS]
    return render(request, "finder/knowledge.html", {"kinds": kinds, "figures": _figures(engine.categories())})


def knowledge_kind(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_or_404(kind)
    engine = get_engine()
    # a state's items say which state (every state has its own `none`)
    items = [{"id": i.get("id") or i.get("code"), "name": i.get("name") or i.get("title") or i.get("label"),
              "label": words.state(engine.state_name(i["jurisdiction"])) if i.get("jurisdiction") else i.get("label")}
             for i in engine.knowledge(kind)]
    return render(request, "finder/kind.html", {"kind": kind, "title": KIND_TITLES[kind], "items": items})


def knowledge_kind_json(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_or_404(kind)
    return JsonResponse(get_engine().knowledge(kind), safe=False, json_dumps_params={"ensure_ascii": False})


def knowledge_item(request: HttpRequest, kind: str, item_id: str) -> HttpResponse:
    found = _item_or_404(kind, item_id)
    figures = []
    if kind == "pathways":
        figures = _figures([c for c in get_engine().categories() if c["id"] in found.get("categories", [])])
    name = found.get("name") or found.get("title") or item_id
    return render(request, "finder/item.html", {"kind": kind, "title": KIND_TITLES[kind], "item": found, "name": name,
                                                "item_id": item_id, "figures": figures})


def knowledge_item_json(request: HttpRequest, kind: str, item_id: str) -> HttpResponse:
    return JsonResponse(_item_or_404(kind, item_id), json_dumps_params={"ensure_ascii": False})


def figure(request: HttpRequest, category: str) -> HttpResponse:
    """The figure in rows of `?columns=` columns (1 to 40; two by default: a phone shows it whole),
    in the page's language."""
    found = get_engine().figure(category)
    if found is None:
        raise Http404(f"no category {category!r}")
    asked = request.GET.get("columns", "")
    if asked and not (asked.isdigit() and 1 <= int(asked) <= MAX_COLUMNS):
        return HttpResponse(f"columns: a whole number from 1 to {MAX_COLUMNS}", status=400,
                            content_type="text/plain; charset=utf-8")
    drawn, said = drawn_figures.translated(found)  # in the address's language (?lang=), as the page asks for it
    return HttpResponse(draw_category(drawn, int(asked) if asked else NARROW, said),
                        content_type="image/svg+xml; charset=utf-8")


def states(request: HttpRequest) -> HttpResponse:
    """The states side by side: each one's licenses and permits for physicians trained abroad."""
    # the states' names in the page's language; the rest is the knowledge base's (the kb filter)
    compared = [{**s, "name": words.state(s["name"])} for s in get_engine().states_compared()]
    return render(request, "finder/states.html", {"states": compared})


def states_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(get_engine().states_compared(), safe=False, json_dumps_params={"ensure_ascii": False})
