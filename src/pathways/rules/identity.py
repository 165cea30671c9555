"""Identity numbers Exchange Pathways never keeps: US Social Security numbers, ITINs and
passport numbers (and a passport's machine-readable zone). Whatever is written in the
workspace is copied into the change history and the JSON export, so a number typed once
would be kept, and handed out, for good. What a case needs is only whether one exists
(the profile's `has_ssn_or_itin`; "passport: yes").

This module is the one place that decides (plain Python: the workspace's validators in
web/workspace/sensitive.py and the letters in documents/ both call it). Everything that writes
free text goes through it: the models' validators (so every ModelForm and the admin), the plain forms, the CSV
import (every cell), the JSON API, the uploaded plain-text documents and, as a last line,
a `pre_save` guard on every workspace model (models/__init__.py).

Refused (after NFKC, invisible characters removed, every kind of dash read as "-", and
non-ASCII digits read as digits):

- an SSN or ITIN written in groups of 3, 2 and 4 digits: 123-45-6789, 123 45 6789,
  123.45.6789 (not when the groups are part of a longer grouped number, such as the
  phone number +256 700 12 3456);
- nine digits in a row that could be an SSN (area not 000, 666 or 9xx, group not 00,
  serial not 0000) or an ITIN (9xx, group 50-65, 70-88, 90-92 or 94-99), standing alone:
  not part of a longer number, not after "+" or another group of digits, not labelled as a
  phone number ("tel", "phone", "mobile", "whatsapp", ...);
- any nine digits after an SSN or ITIN label ("SSN", "social security", "ITIN", "TIN");
- 6 to 9 letters and digits (at least one digit) after the word passport (passeport,
  pasaporte, passaporto, reisepass), in the same sentence, within 40 characters;
- a passport's machine-readable zone: a run of 30 or more of [A-Z0-9<] with a "<" in it
  (the 44-character lines of a passport, the 36 and 30 of other travel documents), the
  44-character second line even without a "<", and the start of a first line
  (`P<UGAKATO<<...`).

Not refused: dates (2026-12-01, 20261201), phone numbers with a country code or in groups
(+256 700 123456, +1 415 555 0123, 0700 123456), numbers of other lengths, amounts
(123,456,789), and the words themselves ("passport: yes", "has an SSN").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable


CODE = "sensitive-number"
ADVICE = ("The workspace does not keep SSNs, ITINs or passport numbers: whatever is written here is copied into "
          "the change history and the export. Remove it and record only whether one exists (for example "
          "\"has an SSN: yes\"; in a profile, has_ssn_or_itin: true).")
PHONE_ADVICE = " If it is a phone number, write it with its country code, such as +256 700 123456."

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_DASHED = re.compile(r"(?<![0-9+])(?<![0-9][-.])([0-9]{3}) ?[-.] ?([0-9]{2}) ?[-.] ?([0-9]{4})(?![0-9])(?![-.][0-9])")
_SPACED = re.compile(r"(?<![0-9+])(?<![0-9] )([0-9]{3}) ([0-9]{2}) ([0-9]{4})(?![0-9])(?! ?[-.]?[0-9])")
_NINE = re.compile(r"(?<![0-9])([0-9]{3})([0-9]{2})([0-9]{4})(?![0-9])")
_SSN_LABEL = re.compile(r"(?i)\b(?:ssn|ssan|ss\s*#|social\s+security(?:\s+(?:no|nr|number|num|#))?|itin|tin|"
                        r"taxpayer\s+id(?:entification)?(?:\s+number)?)\b[^0-9\n]{0,20}?"
                        r"([0-9](?:[-. ]?[0-9]){8})(?![0-9])")
_PHONE_LABEL = re.compile(r"(?i)\b(?:tel|tél|telephone|téléphone|phone|ph|mobile|mob|cell|cellphone|whatsapp|call|fax|"
                          r"contact)\b[^0-9\n]{0,12}$")
_PASSPORT = re.compile(r"(?i)\b(?:passports?|pass\s+port|passeport|pasaporte|passaporto|reisepass)"
                       r"(?:\s*(?:no|nr|num|number|numero|número|n°|nº|#)\.?)?([^\n]{0,40})")
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{6,9}(?![A-Za-z0-9])")
_MRZ_RUN = re.compile(r"(?<![A-Z0-9<])[A-Z0-9<]{30,}(?![A-Z0-9<])")
_MRZ_LINE2 = re.compile(r"(?<![A-Z0-9<])[A-Z0-9<]{9}[0-9<][A-Z<]{3}[0-9<]{6}[0-9][MFX<][0-9<]{6}[0-9]"
                        r"[A-Z0-9<]{14}[0-9<][0-9](?![A-Z0-9<])")
_MRZ_LINE1 = re.compile(r"(?<![A-Z0-9<])P[A-Z<][A-Z<]{3}[A-Z]+<<")


@dataclass(frozen=True)
class Finding:
    kind: str  # ssn | itin | passport | mrz
    what: str  # what it looks like, for the message

    @property
    def message(self) -> str:
        return f"This looks like {self.what}. {ADVICE}" + (PHONE_ADVICE if self.kind in ("ssn", "itin") else "")


def normal(text: str) -> str:
    """The text as the patterns read it: NFKC, no invisible characters, one kind of dash, ASCII digits."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        if unicodedata.category(ch) == "Cf":  # zero-width spaces and joiners, soft hyphens
            continue
        if not ch.isascii() and ch.isdecimal():
            ch = str(unicodedata.decimal(ch))
        out.append(ch)
    return _DASHES.sub("-", "".join(out))


ITIN_GROUPS = set(range(50, 66)) | set(range(70, 89)) | {90, 91, 92} | set(range(94, 100))


def _kind(area: str, group: str) -> Finding:
    if area.startswith("9") and int(group) in ITIN_GROUPS:
        return Finding("itin", "a US Individual Taxpayer Identification Number (ITIN, 9xx-7x-xxxx)")
    return Finding("ssn", "a US Social Security number (123-45-6789)")


def _plausible_ssn(area: str, group: str, serial: str) -> bool:
    if area.startswith("9"):
        return int(group) in ITIN_GROUPS
    return area not in ("000", "666") and group != "00" and serial != "0000"


def _phone_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    if before.endswith(("+", ")")) or re.search(r"[0-9][-. ]?$", before) or re.search(r"\+[0-9]{1,3} ?$", before):
        return True
    if re.match(r"[.,][0-9]", text[end:end + 2]):  # a decimal or a grouped amount
        return True
    return bool(_PHONE_LABEL.search(before))


def _compact_date(token: str) -> bool:
    """20310501: a date written without dashes (an expiry date after the word passport)."""
    if len(token) != 8 or not token.isdigit() or token[:2] not in ("19", "20"):
        return False
    try:
        date(int(token[:4]), int(token[4:6]), int(token[6:]))
    except ValueError:
        return False
    return True


def find(text: Any) -> Finding | None:
    """The first identity number in `text` (None when there is none, or `text` is not a string)."""
    if not isinstance(text, str) or not text:
        return None
    text = normal(text)
    if not any(c.isdigit() or c == "<" for c in text):
        return None
    for m in _SSN_LABEL.finditer(text):
        digits = re.sub(r"[^0-9]", "", m.group(1))
        return _kind(digits[:3], digits[3:5])
    for m in _PASSPORT.finditer(text):
        window = m.group(1)
        stop = _SENTENCE_END.search(window)
        window = window[:stop.start()] if stop else window
        for token in _TOKEN.findall(window):
            if any(c.isdigit() for c in token) and not _compact_date(token):
                return Finding("passport", "a passport number (6 to 9 letters and digits after the word passport)")
    for pattern in (_DASHED, _SPACED):
        for m in pattern.finditer(text):
            return _kind(m.group(1), m.group(2))
    for m in _NINE.finditer(text):
        area, group, serial = m.groups()
        if _plausible_ssn(area, group, serial) and not _phone_context(text, m.start(), m.end()):
            return _kind(area, group)
    for m in _MRZ_RUN.finditer(text):
        if "<" in m.group(0):
            return Finding("mrz", "the machine-readable zone of a passport (lines of letters, digits and <)")
    if _MRZ_LINE2.search(text) or _MRZ_LINE1.search(text):
        return Finding("mrz", "the machine-readable zone of a passport (lines of letters, digits and <)")
    return None


def problem(text: Any) -> str | None:
    """The message for the identity number in `text`, or None."""
    found = find(text)
    return found.message if found else None


def problems_in(data: Any, path: str = "", label: str = "") -> list[tuple[str, str]]:
    """(where, message) for every string in a nested structure (a profile, a JSON body, a CSV
    row) with an identity number in it. Keys are read too, and each key labels its value: a
    column `passport_number` holding B1234567 is a passport number."""
    out: list[tuple[str, str]] = []
    if isinstance(data, str):
        message = problem(data) or (problem(f"{label}: {data}") if label and data else None)
        if message:
            out.append((path or "(value)", message))
    elif isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and problem(key):
                out.append((where, problem(key)))
            out += problems_in(value, where, str(key).replace("_", " "))
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            out += problems_in(value, f"{path}[{i}]" if path else f"[{i}]", label)
    return out


MASK = "[identity number removed]"


def redact(text: Any) -> Any:
    """`text` with each identity number the patterns find replaced by MASK (for copies made of
    records written before this check existed, such as the history's snapshots)."""
    if not isinstance(text, str) or find(text) is None:
        return text
    # Replace, piece by piece, the shortest spans that still hold a finding.
    words = re.split(r"(\s+)", text)
    out = []
    for word in words:
        out.append(MASK if word.strip() and find(word) else word)
    joined = "".join(out)
    return joined if find(joined) is None else MASK
