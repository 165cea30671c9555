"""The home page and the knowledge browser: every item as HTML with a .json twin."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ...engine.knowledge_items import KINDS, item, listing
from ..engine import get_engine

KNOWLEDGE_KINDS = list(KINDS) + ["sources"]
KIND_TITLES = {"visas": "Visas", "authorizations": "California authorizations", "pathways": "Pathways",
               "policies": "Policy events", "programs": "Host programmes", "barriers": "Barriers",
               "enablers": "Enablers", "recommendations": "Recommendations", "lists": "Lists of countries",
               "sources": "Sources"}



def home(request: HttpRequest) -> HttpResponse:
    return render(request, "finder/home.html", {"kinds": [(k, KIND_TITLES[k]) for k in KNOWLEDGE_KINDS]})



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
