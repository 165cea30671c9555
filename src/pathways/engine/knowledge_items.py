"""Visas, authorizations and pathways as JSON-ready data, for `list` and `show`.

Each item carries its facts with their sources resolved: id, short label, title,
address and the date the source was checked.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..rules import schema


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


def _citations(kb, ids) -> list[str]:
    return [kb.sources[i].label for i in ids if i in kb.sources]


def _sources(kb, data: Any) -> list[dict]:
    """Every source cited anywhere in `data`, once, in order of first citation."""
    found: dict[str, None] = {}

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("cite", "legal_basis") and isinstance(item, list):
                    found.update(dict.fromkeys(item))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return [{"id": i, **kb.sources[i].model_dump(mode="json")} for i in found if i in kb.sources]


def _visa(kb, visa: schema.Visa) -> dict:
    data = _plain(visa)
    return {"kind": "visa", "code": visa.code, "name": visa.name,
            "citations": _citations(kb, visa.legal_basis), **data}


def _authorization(kb, auth: schema.Authorization) -> dict:
    from ..rules.vocabulary import DEFAULT_JURISDICTION, authorization_key

    data = _plain(auth)
    # `id`: where it is kept (Ohio's `none` is `oh-none`), for links; `code` is the contract's
    return {"kind": "authorization", "id": authorization_key(auth.jurisdiction or DEFAULT_JURISDICTION, auth.code),
            "code": auth.code, "name": auth.name, "citations": _citations(kb, auth.legal_basis), **data}


def _pathway(kb, pathway: schema.Pathway) -> dict:
    from ..rules.assembly import requirements_for

    parts, _ = requirements_for(kb, pathway, [])
    requirements = [
        {"id": p.item.id, "text": p.item.text, "test": p.item.test, "citations": _citations(kb, p.item.cite),
         "cite": list(p.item.cite), "from": p.origin}
        for p in parts
    ]
    data = _plain(pathway)
    data["requirements"] = requirements
    return {"kind": "pathway", **data, "citations": _citations(kb, pathway.summary.cite)}


def _plain_item(kind: str):
    def build(kb, item) -> dict:
        data = _plain(item)
        return {"kind": kind, "id": getattr(item, "id", None), **data}
    return build


# kind -> (Knowledge attribute, builder); the knowledge browser and the API list these
KINDS = {
    "visas": ("visas", _visa),
    "authorizations": ("authorizations", _authorization),
    "pathways": ("pathways", _pathway),
    "policies": ("policies", _plain_item("policy")),
    "programs": ("programs", _plain_item("program")),
    "barriers": ("barriers", _plain_item("barrier")),
    "enablers": ("enablers", _plain_item("enabler")),
    "recommendations": ("recommendations", _plain_item("recommendation")),
    "lists": ("lists", _plain_item("list")),
}


def listing(kb, kind: str) -> list[dict]:
    if kind == "sources":
        return [{"kind": "source", "id": i, **s.model_dump(mode="json")} for i, s in kb.sources.items()]
    attr, build = KINDS[kind]
    return [build(kb, item) for item in getattr(kb, attr).values()]


def item(kb, kind: str, item_id: str) -> dict | None:
    """One item of a kind with every source it cites; None if there is none with that id."""
    if kind == "sources":
        source = kb.sources.get(item_id)
        return None if source is None else {"kind": "source", "id": item_id, **source.model_dump(mode="json")}
    attr, build = KINDS[kind]
    found = getattr(kb, attr).get(item_id)
    if found is None:
        return None
    data = build(kb, found)
    data["sources"] = _sources(kb, data)
    return data


def detail(kb, item_id: str) -> dict | None:
    """A visa, authorization or pathway with every source it cites; None if unknown."""
    if item_id in kb.visas:
        item = _visa(kb, kb.visas[item_id])
    elif item_id in kb.authorizations:
        item = _authorization(kb, kb.authorizations[item_id])
    elif item_id in kb.pathways:
        item = _pathway(kb, kb.pathways[item_id])
    else:
        return None
    item["sources"] = _sources(kb, item)
    return item


def figure(kb, category: str, jurisdiction: str | None = None) -> dict | None:
    """The article's figure for a category (Figures 1 to 3) as data: a column per pathway with
    its visa, authorization (or route) and the patient contact it allows. Without a
    jurisdiction, the article's own pathways (those it draws in that figure); with one, every
    pathway of that state for the category."""
    definition = kb.categories.get(category)
    if definition is None:
        return None
    columns = []
    for p in kb.pathways.values():
        if category not in p.categories:
            continue
        if (definition.figure not in p.figures) if jurisdiction is None else (p.jurisdiction != jurisdiction):
            continue
        visa, auth = kb.visas.get(p.visa), kb.authorization_of(p)
        auth_name = auth.name if auth else p.authorization
        if auth and p.route:
            auth_name = next((r.name for r in auth.routes if r.id == p.route), auth_name)
        columns.append({"id": p.id, "name": p.name, "visa": visa.name if visa else p.visa,
                        "authorization": auth_name, "patient_contact": p.patient_contact})
    return {"category": category, "number": definition.figure, "name": definition.name, "columns": columns,
            "jurisdiction": jurisdiction}


KNOWLEDGE_KINDS = tuple(KINDS) + ("sources",)  # what the browser and the API list
