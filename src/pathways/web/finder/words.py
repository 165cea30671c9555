"""Plain words for the contract's codes, as the pages show them."""

from __future__ import annotations

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from ...present.diagram import CONTACT_TEXT
from ..i18n.templatetags.kb_text import kb, ltr

STATUS = {"open": _("Open"), "needs-info": _("Needs information"), "blocked": _("Blocked")}
# Translators: a requirement's status (of a requirement: "condition" is feminine in French)
REQUIREMENT = {"met": ("✓", _("Met")), "unmet": ("✗", _("Unmet")), "unknown": ("?", _("Unknown"))}
PAYER = {"person": _("You"), "host": _("The host"), "either": _("You or the host")}
# who takes a step of the plan (the knowledge base's `actor`)
ACTOR = {"person": _("Person"), "host": _("Host"), "agency": _("Agency")}
# The words of each answer live in facts.yaml (`labels`, read through Engine.labels); these
# are only the fallbacks for a value that has none there.
YES_NO = {"true": _("Yes"), "false": _("No")}
I_DONT_KNOW = _("I don't know")


def listed(parts: list[str]) -> str:
    """Items of a list in the page's language: Arabic separates them with its own comma."""
    # Translators: what separates the items of a list ("Uganda, Sudan"); Arabic uses "، "
    return pgettext("list separator", ", ").join(parts)


def label(labels: dict[str, str], value: str) -> str:
    """The words for one value in the page's language: its label, else the value itself."""
    found = labels.get(value)
    if found:
        return kb(found)
    return str(YES_NO[value]) if value in YES_NO else value


def shown(source, definition, fact: str, text: str | None, labels: dict[str, str] | None = None) -> str:
    """An answer as the person reads it back. `labels`: the fact's words (Engine.labels); left
    out, they are read from `source`, the Engine or its knowledge base."""
    if text is None:
        return str(I_DONT_KNOW)
    kind = definition.type if definition is not None else None
    if labels is None:
        labels = _labels(source, definition, fact)
    if kind == "set":
        parts = [label(labels, p.strip()) for p in text.split(",") if p.strip()]
        return listed(parts) if parts else gettext("None")
    if kind == "codes":
        return listed([label(labels, c.strip()) for c in text.split(",") if c.strip()])
    if kind in ("bool", "enum"):
        return label(labels, text)
    return text


def _labels(source, definition, fact: str) -> dict[str, str]:
    if definition is None:
        return {}
    if callable(getattr(source, "labels", None)):  # the Engine
        return source.labels(fact)
    names: dict[str, str] = {}  # a knowledge base: its lists' names, then the fact's own words
    if definition.vocabulary == "countries":
        names = {m.code: m.name for m in source.lists["countries"].members}
    elif definition.vocabulary == "visas-or-none":
        names = {code: visa.name for code, visa in source.visas.items()}
    return {**names, **definition.labels}


# the contact levels in the page's language (present/diagram.py's CONTACT_TEXT is the English)
CONTACT = {"none": _("No patient contact (observation)"), "incidental": _("Incidental patient contact"),
           "supervised": _("Supervised hands-on patient care"), "independent": _("Independent patient care")}


def actor(code: str) -> str:
    """Who takes a step, as the plan's list names them."""
    found = ACTOR.get(code)
    return str(found) if found else code[:1].upper() + code[1:]


# the states' names in the page's language (the knowledge base names them in English)
STATES = {"California": _("California"), "Ohio": _("Ohio"), "Tennessee": _("Tennessee")}


def state(name: str) -> str:
    return str(STATES.get(name, name))


def contact(level: str) -> str:
    return str(CONTACT.get(level) or CONTACT_TEXT.get(level, level))


def money(value) -> str:
    if value is None:
        return gettext("not known")
    # kept whole on a right-to-left page, as dates are: in Arabic the sign went to the number's other side
    return ltr(f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}")


def money_range(low, high) -> str:
    if low == high:
        return money(low)
    return gettext("%(low)s to %(high)s") % {"low": money(low), "high": money(high)}
