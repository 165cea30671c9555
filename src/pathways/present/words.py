"""Short forms of the knowledge base's sentences, for the places that name a thing in a line."""

from __future__ import annotations


def first_sentence(text: str, words: int = 22) -> str:
    """The first sentence, or its first words: a long step's short form on a page."""
    first = text.split(". ")[0]
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words or first != text else ".") if parts else text


def brief(text: str, words: int = 25) -> str:
    """The sentence to its first colon or full stop, at most `words` words: a closed pathway's
    one deciding reason in a line (the whole text stays in the JSON and on the pathway's page)."""
    head = text.split(": ")[0].split(". ")[0].rstrip(".")
    parts = head.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else ".")
