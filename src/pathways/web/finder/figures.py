"""The article's Figures 1 to 3 in the page's language (issue 15): the knowledge base's names
(visas, authorizations, routes, pathways, the category) through the engine's translations, as
the `kb` filter shows them on the pages (legal names such as B-1 or BPC 2111 stay as the
translations keep them), the heading, note and contact levels through gettext, right to left
for Arabic. The drawing itself is present/diagram.py's."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from ...present.diagram import CONTACT_TEXT, Words
from ..i18n.languages import with_language
from ..i18n.templatetags.kb_text import kb
from . import words


def address(category: str, query: str = "") -> str:
    """The figure's address in the page's language (an <img> does not carry the page's `?lang=`)."""
    return with_language(f"/knowledge/figures/{category}.svg", query, translation.get_language() or "en")


def translated(figure: dict) -> tuple[dict, Words]:
    """`Engine.figure(...)` with its texts in the active language, and the words to draw it with."""
    shown = {**figure, "name": kb(figure["name"]),
             "columns": [{**c, "name": kb(c["name"]), "visa": kb(c["visa"]), "authorization": kb(c["authorization"])}
                         for c in figure["columns"]]}
    where = figure.get("state_name")
    if where:  # a state's own diagram names the state, not the article's figure
        title = gettext("%(state)s: %(name)s") % {"state": words.state(where), "name": shown["name"]}
    else:
        title = gettext("Figure %(number)s: %(name)s") % {"number": figure["number"], "name": shown["name"]}
    note = gettext("Visa, then %(state)s authorization, then patient contact. Drawn from the knowledge base.") % {
        "state": words.state(where or "California")}
    return shown, Words(title=title, note=note, contact={level: words.contact(level) for level in CONTACT_TEXT},
                        language=translation.get_language() or "en", rtl=bool(translation.get_language_bidi()))
