"""`{{ text|kb }}`: a knowledge-base text (a question, a requirement, a warning, a step) in the
page's language, from the engine's translations; the English where no translation is current."""

from __future__ import annotations

import re

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def kb(text):
    if not isinstance(text, str) or not text:
        return text
    language = translation.get_language() or "en"
    if language == "en":
        return text
    from ...engine import get_engine

    said = get_engine().translations(language).get(text.strip(), text)
    return _dates_ltr(said) if translation.get_language_bidi() else said


LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate, and its end
ISO_DAY = re.compile(r"(?<![\d\u2066-])(\d{4}-\d{2}-\d{2})(?![\d\u2069-])")
AMOUNT = re.compile(r"(?<!\u2066)(\$\d[\d,]*(?:\.\d+)?)")  # $160, $1,585, $40.50


def _dates_ltr(text: str) -> str:
    """Each ISO date and dollar amount inside a right-to-left text kept whole (see `ltr`): the
    engine's sentences put dates inside translated words ("... في 2027-01-25"), and the sign of
    "$160" went to the number's other side."""
    return AMOUNT.sub(LRI + r"\1" + PDI, ISO_DAY.sub(LRI + r"\1" + PDI, text))


@register.filter
def ltr(text):
    """`{{ day|ltr }}`: a left-to-right run (an ISO date) kept whole on a right-to-left page. After
    Arabic words a date's numbers are Arabic numbers, which hyphens do not join: 2027-07-05 would
    read 05-07-2027. Unchanged on a left-to-right page."""
    if not text or not translation.get_language_bidi():
        return text
    return f"{LRI}{text}{PDI}"
