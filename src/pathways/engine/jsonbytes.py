"""JSON read and written by orjson, to the byte what Python's json module reads and writes.

orjson is several times faster than the json module, and agrees with it on what the engine
writes (dicts with str keys, lists, tuples, str, int, bool, None, floats as repr writes
them) with two exceptions, both left to the json module here: floats under 1e-4 (json
writes 1e-05, orjson 0.00001), and any value that is not of those plain types (the json
module then applies its own rules, or raises its own error). When reading, what orjson
refuses but the json module accepts (NaN, 1e400, a lone surrogate) is read by the json
module. One difference is left to the caller: orjson reads integers past 64 bits as floats.

The API and the CLI's --json have their own helper (rules/jsontext.py), whose text only
means the same; this one is for the batch, whose lines must stay the same to the byte.
"""

from __future__ import annotations

import json
import re

import orjson

_PLAIN = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
_EXPONENT = re.compile(rb"e-\d")  # a literal start: searched as fast as bytes.find


def _tiny(text: bytes) -> bool:
    """Whether orjson's text may hold a float under 1e-4, which it writes otherwise than repr
    (0.00001, 1e-7). A text that holds one of the two forms ("1e-7" in words) only costs the
    slower path."""
    if b"0.0000" in text:
        return True
    return any(text[m.start() - 1:m.start()].isdigit() for m in _EXPONENT.finditer(text))


def dumps(value) -> bytes:
    """json.dumps(value, ensure_ascii=False, separators=(",", ":")), as UTF-8."""
    try:
        text = orjson.dumps(value, option=_PLAIN)
    except TypeError:  # orjson.JSONEncodeError: a type it leaves to the json module
        return _slow(value)
    return _slow(value) if _tiny(text) else text


def _slow(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(text: str):
    """json.loads(text), or the same JSONDecodeError (message and column), but for one thing:
    integers past 64 bits come back as floats. orjson reads what it can, json the rest."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
