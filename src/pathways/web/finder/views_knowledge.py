"""The home page and the knowledge browser: every item as HTML with a .json twin."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pathways import KNOWLEDGE_KINDS

from ...present.diagram import draw_category
from ..engine import get_engine

KIND_TITLES = {"visas": "Visas", "authorizations": "State authorizations", "pathways": "Pathways",
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
    found = get_engine().knowledge_item(kind, item_id)
    if found is None:
        raise Http404(f"no {kind} item {item_id!r}")
    return found


def knowledge(request: HttpRequest) -> HttpResponse:
    engine = get_engine()
    kinds = [{"kind": k, "title": KIND_TITLES[k], "count": len(engine.knowledge(k))} for k in KNOWLEDGE_KINDS]
    figures = [{"id": c["id"], "figure": c["figure"], "name": c["name"]} for c in engine.categories()]
    return render(request, "finder/knowledge.html", {"kinds": kinds, "figures": figures})


def knowledge_kind(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_or_404(kind)
    engine = get_engine()
    # a state's items say which state (every state has its own `none`)
    items = [{"id": i.get("id") or i.get("code"), "name": i.get("name") or i.get("title") or i.get("label"),
              "label": engine.state_name(i["jurisdiction"]) if i.get("jurisdiction") else i.get("label")}
             for i in engine.knowledge(kind)]
    return render(request, "finder/kind.html", {"kind": kind, "title": KIND_TITLES[kind], "items": items})


def knowledge_kind_json(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_or_404(kind)
    return JsonResponse(get_engine().knowledge(kind), safe=False, json_dumps_params={"ensure_ascii": False})


def knowledge_item(request: HttpRequest, kind: str, item_id: str) -> HttpResponse:
    found = _item_or_404(kind, item_id)
    figures = []
    if kind == "pathways":
        figures = [c for c in get_engine().categories() if c["id"] in found.get("categories", [])]
    name = found.get("name") or found.get("title") or item_id
    return render(request, "finder/item.html", {"kind": kind, "title": KIND_TITLES[kind], "item": found, "name": name,
                                                "item_id": item_id, "figures": figures})


def knowledge_item_json(request: HttpRequest, kind: str, item_id: str) -> HttpResponse:
    return JsonResponse(_item_or_404(kind, item_id), json_dumps_params={"ensure_ascii": False})


def figure(request: HttpRequest, category: str) -> HttpResponse:
    found = get_engine().figure(category)
    if found is None:
        raise Http404(f"no category {category!r}")
    return HttpResponse(draw_category(found), content_type="image/svg+xml; charset=utf-8")


def states(request: HttpRequest) -> HttpResponse:
    """The states side by side: each one's licences and permits for physicians trained abroad."""
    return render(request, "finder/states.html", {"states": get_engine().states_compared()})


def states_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(get_engine().states_compared(), safe=False, json_dumps_params={"ensure_ascii": False})
