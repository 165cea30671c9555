"""Sentences the engine composes, filled from knowledge/messages.yaml (issue 15).

A sentence such as "Housing and meals for 42 nights in San Francisco, ..." is a verdict's
values put into words. Its wording lives in the knowledge base as a template with `${name}`
for each value, so that a translation (knowledge/i18n/<language>/messages.yaml) translates
the template once; rules/translations.py matches a filled sentence back to its template and
fills the translation with the same values. English stays what the JSON says.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Template


def say(messages: Mapping[str, str], message_id: str, **values) -> str:
    """The English sentence `message_id` with `values` filled in (numbers and dates as str()
    gives them: the caller formats). A missing value is a KeyError: a programming error that
    tests/test_messages.py catches for every message the engine uses."""
    return Template(messages[message_id]).substitute({k: str(v) for k, v in values.items()})


def short(text: str, words: int = 12) -> str:
    """A step's text to its first clause, for a sentence that names it (the deciding step); the
    translations shorten a translated step the same way (rules/translations.py)."""
    clause = text.replace(";", ",").split(". ")[0].split(", ")[0].rstrip(".")
    parts = clause.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")
