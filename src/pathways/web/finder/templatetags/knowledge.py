"""Render any knowledge item (a JSON-ready dict from pathways.engine.knowledge_items) as HTML: mappings
as definition lists, lists of like mappings as tables, source ids and the ids of other
items as links to their pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ...i18n.templatetags.kb_text import kb, ltr

register = template.Library()

# a key whose values are ids of items of a kind, linked to their pages
LINKED = {"cite": "sources", "legal_basis": "sources", "visa": "visas", "visas": "visas",
          "authorization": "authorizations", "authorizations": "authorizations", "pathways": "pathways",
          "programs": "programs", "barriers": "barriers", "enablers": "enablers", "answers": "barriers",
          "recommendations": "recommendations", "lists": "lists"}
SKIPPED = {"kind", "sources"}  # shown elsewhere on the page


# the fields' names in the page's language (a field not listed: its key in words, in English)
LABELS = {"actor": _("Actor"), "address": _("Address"), "after": _("After"), "aliases": _("Aliases"),
          "allowed": _("Allowed"), "announced": _("Announced"), "answers": _("Answers"), "applies": _("Applies"),
          "article_says": _("Article says"), "authorization": _("Authorization"),
          "authorizations": _("Authorizations"), "before": _("Before"), "before_applying": _("Before applying"),
          "blocks_start": _("Blocks start"), "bond": _("Bond"), "cannot_use": _("Cannot use"),
          "categories": _("Categories"), "checked": _("Checked"), "citations": _("Citations"), "cite": _("Cite"),
          "clinical_contact": _("Clinical contact"), "code": _("Code"), "consular_wait": _("Consular wait"),
          "count": _("Count"), "duration": _("Duration"), "effects": _("Effects"), "ends": _("Ends"),
          "fee": _("Fee"), "fees": _("Fees"), "figures": _("Figures"), "from": _("From"), "full": _("Full"),
          "grade": _("Grade"), "home_residence_rule": _("Home residence rule"), "how_checked": _("How checked"),
          "id": _("Id"), "institution": _("Institution"), "issued": _("Issued"), "jurisdiction": _("Jurisdiction"),
          "label": _("Label"), "legal_basis": _("Legal basis"), "level": _("Level"), "lists": _("Lists"),
          "location_restrictions": _("Location restrictions"), "max": _("Max"), "members": _("Members"),
          "met_by": _("Met by"), "min": _("Min"), "name": _("Name"), "note": _("Note"), "partial": _("Partial"),
          "pathways": _("Pathways"), "patient_contact": _("Patient contact"), "payer": _("Payer"),
          "programs": _("Programs"), "purpose": _("Purpose"), "qualifications": _("Qualifications"),
          "requirement": _("Requirement"), "requirements": _("Requirements"), "route": _("Route"),
          "routes": _("Routes"), "sponsor": _("Sponsor"), "sponsor_group": _("Sponsor group"), "starts": _("Starts"),
          "steps": _("Steps"), "summary": _("Summary"), "takes": _("Takes"), "takes_cite": _("Takes cite"),
          "takes_text": _("Takes text"), "test": _("Test"), "text": _("Text"),
          "time_restrictions": _("Time restrictions"), "title": _("Title"), "training_use": _("Training use"),
          "typical": _("Typical"), "until": _("Until"), "unverified": _("Unverified"), "usd": _("Usd"),
          "usd_min": _("Usd min"), "visa": _("Visa"), "visas": _("Visas"), "warning": _("Warning"),
          "warnings": _("Warnings"), "weeks": _("Weeks"), "when": _("When"),
          "work_authorization": _("Work authorization"), "year": _("Year")}


def _label(key: str) -> str:
    return str(LABELS.get(key) or str(key).replace("_", " ").capitalize())


def _link(kind: str, value) -> str:
    if not isinstance(value, str) or value == "none":
        return format_html("{}", value)
    return format_html('<a href="/knowledge/{}/{}/">{}</a>', kind, value, value)


def _fee(fee: dict) -> dict:
    """A fee as a person reads it: its `from` where that is the day the amount took effect, "known
    since" that day where only the day it became known is (a notice, a law recorded), and no
    date where the day is only the one the engine counts from (schema.Fee.from_is)."""
    shown = {k: v for k, v in fee.items() if k != "from_is"}
    meaning = fee.get("from_is", "effective")
    if meaning == "stand-in":  # kept as an empty cell, in its place among the table's columns
        shown["from"] = None
    elif meaning == "known-since" and fee.get("from"):
        shown["from"] = gettext("known since %(day)s") % {"day": ltr(str(fee["from"]))}
    return shown


def _value(value, key: str | None = None, depth: int = 0) -> str:
    kind = LINKED.get(key or "")
    if key in ("fees", "fee"):  # a fee's dates as a person can rely on them
        value = [_fee(v) if isinstance(v, dict) else v for v in value] if isinstance(value, list) else (
            _fee(value) if isinstance(value, dict) else value)
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
            # a column with nothing in it (a fee's stand-in `from` on every row) is left out
            keys = [k for k in dict.fromkeys(k for v in value for k in v if k not in SKIPPED)
                    if any(v.get(k) not in (None, "", [], {}) for v in value)]
            head = format_html_join("", "<th scope=\"col\">{}</th>", ((_label(k),) for k in keys))
            body = mark_safe("".join(
                format_html("<tr>{}</tr>", mark_safe("".join(_cell(_label(k), _value(v.get(k), k, depth + 1)) for k in keys)))
                for v in value))
            return format_html('<div class="table"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>', head, body)
        return format_html("<ul>{}</ul>", mark_safe("".join(format_html("<li>{}</li>", mark_safe(_value(v, key, depth + 1))) for v in value)))
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if kind:
        return _link(kind, value)
    if key == "address" and isinstance(value, str) and value.startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="noopener">{}</a>', value, value)
    return format_html("{}", kb(value))  # a text of the knowledge base: in the page's language where translated


def _cell(label: str, shown: str) -> str:
    """A table cell that names its column (a phone shows each row as a card: tables.css); an
    empty one says nothing."""
    if not shown:
        return "<td></td>"
    return format_html('<td data-label="{}">{}</td>', label, mark_safe(shown))


def _flat(values: list[dict]) -> bool:
    return all(not isinstance(x, (dict, list)) or (isinstance(x, list) and all(isinstance(y, str) for y in x))
               for v in values for x in v.values())


@register.filter
def knowledge_html(value) -> str:
    return mark_safe(_value(value))
