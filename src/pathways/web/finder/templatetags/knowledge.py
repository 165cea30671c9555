"""Render any knowledge item (a JSON-ready dict from pathways.engine.knowledge_items) as HTML: mappings
as definition lists, lists of like mappings as tables, source ids and the ids of other
items as links to their pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# a key whose values are ids of items of a kind, linked to their pages
LINKED = {"cite": "sources", "legal_basis": "sources", "visa": "visas", "visas": "visas",
          "authorization": "authorizations", "authorizations": "authorizations", "pathways": "pathways",
          "programs": "programs", "barriers": "barriers", "enablers": "enablers", "answers": "barriers",
          "recommendations": "recommendations", "lists": "lists"}
SKIPPED = {"kind", "sources"}  # shown elsewhere on the page


def _label(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def _link(kind: str, value) -> str:
    if not isinstance(value, str) or value == "none":
        return format_html("{}", value)
    return format_html('<a href="/knowledge/{}/{}/">{}</a>', kind, value, value)


def _value(value, key: str | None = None, depth: int = 0) -> str:
    kind = LINKED.get(key or "")
    if isinstance(value, dict):
        rows = [(k, v) for k, v in value.items() if k not in SKIPPED and v not in (None, [], {}, "")]
        if not rows:
            return ""
        return format_html("<dl>{}</dl>", mark_safe("".join(
            format_html("<dt>{}</dt><dd>{}</dd>", _label(k), mark_safe(_value(v, k, depth + 1))) for k, v in rows)))
    if isinstance(value, list):
        if kind and all(isinstance(v, str) for v in value):
            return mark_safe(", ".join(_link(kind, v) for v in value))
        if value and all(isinstance(v, dict) for v in value) and _flat(value):
            keys = list(dict.fromkeys(k for v in value for k in v if k not in SKIPPED))
            head = format_html_join("", "<th scope=\"col\">{}</th>", ((_label(k),) for k in keys))
            body = mark_safe("".join(
                format_html("<tr>{}</tr>", mark_safe("".join(
                    format_html("<td>{}</td>", mark_safe(_value(v.get(k), k, depth + 1))) for k in keys)))
                for v in value))
            return format_html('<div class="table"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>', head, body)
        return format_html("<ul>{}</ul>", mark_safe("".join(format_html("<li>{}</li>", mark_safe(_value(v, key, depth + 1))) for v in value)))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind:
        return _link(kind, value)
    if key == "address" and isinstance(value, str) and value.startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="noopener">{}</a>', value, value)
    return format_html("{}", value)


def _flat(values: list[dict]) -> bool:
    return all(not isinstance(x, (dict, list)) or (isinstance(x, list) and all(isinstance(y, str) for y in x))
               for v in values for x in v.values())


@register.filter
def knowledge_html(value) -> str:
    return mark_safe(_value(value))
