"""Knowledge texts as the CLI prints them: no stand-in dates.

Some fee texts of the knowledge base say which date the engine uses for a day no source gives
("The start date is not known; 2024-01-01 stands in for it.", "Start date taken as
2024-01-01."). That is bookkeeping of the data (the fee's `from`), and the reader of a plan
takes the date, and "the start date", for theirs. The CLI keeps what the sentence says is not
known and leaves the stand-in date out; in a fee's text "the start date" is the day the fee
took effect, and is called so. The knowledge files themselves are not changed here.
"""

from __future__ import annotations

import re

_ISO = r"\d{4}-\d{2}-\d{2}"
_MARK = re.compile(rf"stands in|(?:is |was )?taken as {_ISO}")
_DATED = re.compile(rf"{_ISO}|\b(?:1[89]|20)\d{{2}}\b|\bday\b|\bdate\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_FEE_START = re.compile(r"\b([Tt])he start date\b")
NOT_KNOWN = "The day it took effect is not known."


def without_stand_in(text: str, dropped: str = "") -> str:
    """`text` without the clauses that name a date standing in for an unknown one; a sentence
    that is only that becomes `dropped` (or goes)."""
    if not text or not _MARK.search(text):
        return text
    kept: list[str] = []
    for sentence in _SENTENCE.split(text):
        mark = _MARK.search(sentence)
        if mark and _DATED.search(sentence):
            at = mark.start()
            cut = max(sentence.rfind("; ", 0, at), sentence.rfind(", and ", 0, at))
            sentence = sentence[:cut].rstrip(" ,;") + "." if cut > 0 else dropped
        if sentence and sentence not in kept:
            kept.append(sentence)
    return " ".join(kept)


def fee_text(text: str) -> str:
    """A fee's text: no stand-in date, and its "start date" named as the day it took effect."""
    text = without_stand_in(text, dropped=NOT_KNOWN)
    text = _FEE_START.sub(lambda m: ("T" if m.group(1) == "T" else "t") + "he day it took effect", text)
    sentences: list[str] = []
    for sentence in _SENTENCE.split(text):  # "... is not known." once
        if sentence not in sentences:
            sentences.append(sentence)
    return " ".join(sentences)
