"""Visas, authorizations and pathways as JSON-ready data, for `list` and `show`.

Each item carries its facts with their sources resolved: id, short label, title,
address and the date the source was checked.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .rules import schema


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
    data = _plain(auth)
    return {"kind": "authorization", "code": auth.code, "name": auth.name,
            "citations": _citations(kb, auth.legal_basis), **data}


def _pathway(kb, pathway: schema.Pathway) -> dict:
    from .rules.assembly import requirements_for

    parts, _ = requirements_for(kb, pathway, [])
    requirements = [
        {"id": p.item.id, "text": p.item.text, "test": p.item.test, "citations": _citations(kb, p.item.cite),
         "cite": list(p.item.cite), "from": p.origin}
        for p in parts
    ]
    data = _plain(pathway)
    data["requirements"] = requirements
    return {"kind": "pathway", **data, "citations": _citations(kb, pathway.summary.cite)}


def listing(kb, kind: str) -> list[dict]:
    if kind == "visas":
        return [_visa(kb, v) for v in kb.visas.values()]
    if kind == "authorizations":
        return [_authorization(kb, a) for a in kb.authorizations.values()]
    return [_pathway(kb, p) for p in kb.pathways.values()]


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
