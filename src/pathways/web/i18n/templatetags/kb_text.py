"""`{{ text|kb }}`: a knowledge-base text (a question, a requirement, a warning, a step) in the
page's language, from the engine's translations; the English where no translation is current."""

from __future__ import annotations

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

    return get_engine().translations(language).get(text.strip(), text)
