"""Read a profile from a YAML or JSON file, or from standard input.

A scenario file (`name`, `as_of`, `profile`, `expect`, as in tests/shared-scenarios/) is
accepted too: its `profile` is the profile, its `as_of` the default date and its `state` the
default jurisdiction.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from . import yaml12

SCENARIO_KEYS = {"name", "as_of", "state", "profile", "expect"}


class ProfileFileError(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def read_profile(path: str) -> tuple[Any, date | None]:
    """The profile data (unchecked) and, for a scenario file, its as_of date."""
    data, as_of, _ = read_profile_file(path)
    return data, as_of


def read_profile_file(path: str) -> tuple[Any, date | None, str | None]:
    """The profile data (unchecked) and, for a scenario file, its as_of date and its state."""
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as error:
        raise ProfileFileError([f"PROFILE: cannot read {path}: {error.strerror}"]) from None
    except UnicodeDecodeError:
        raise ProfileFileError([f"PROFILE: {path} is not UTF-8 text"]) from None
    try:
        data = yaml12.load_yaml(text, "PROFILE")  # JSON is YAML too; `NO` (Norway) stays a string; bounded
    except yaml12.LimitError as error:  # too long, too deep or too large: say which, and the limit
        raise ProfileFileError([f"{p.field}: {p.message}" for p in error.problems]) from None
    except yaml12.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ProfileFileError([f"PROFILE: not valid YAML or JSON{where}: {getattr(error, 'problem', error)}"]) from None
    if data is None:
        data = {}  # an empty file: nothing known
    if isinstance(data, dict) and "profile" in data and set(data) <= SCENARIO_KEYS:
        as_of = data.get("as_of")
        if as_of is not None and not isinstance(as_of, date):
            try:
                as_of = date.fromisoformat(str(as_of))
            except ValueError:
                raise ProfileFileError([f"as_of: {as_of!r} is not an ISO date"]) from None
        state = data.get("state")
        return data["profile"] if data["profile"] is not None else {}, as_of, None if state is None else str(state)
    return data, None, None
