"""A letter's data (docs/contract.md section 7) checked against the fields its kind declares.

Every problem names its field (`host.signatory`, `training.end`), says what was wrong and what
is accepted; nothing is guessed. A letter never holds an SSN, ITIN or passport number: a key
or a text that looks like one is refused, whatever field it is in.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from ..rules.identity import problems_in
from ..rules.letter import PERSON_PARTS, FieldSpec, LetterKind
from ..rules.problems import FieldProblem, ProfileError

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
MAX_TEXT = 4000  # characters in one field or one edited clause: a letter, not a book
WEEK_HOURS = ("patient_contact_hours", "teaching_hours", "research_hours", "observation_hours")
# top-level keys a letter's data may hold besides its kind's fields
EXTRA_KEYS = ("pathway", "edits", "date")
# the contract's own keys (section 7), accepted by every kind, used or not
CONTRACT_KEYS = ("trainee", "host", "training", "funding", "profile")


class LetterDataError(ProfileError):
    """The data does not fit the letter kind: one FieldProblem per field."""


class BadValue(ValueError):
    """What is wrong with one field's value, and what is accepted."""


def _kind_of(value: Any) -> str:
    return {bool: "yes/no", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping",
            date: "a date"}.get(type(value), type(value).__name__)


def _get(data: Any, path: str) -> tuple[bool, Any]:
    cur = data
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur or cur[part] is None:
            return False, None
        cur = cur[part]
    return True, cur


def as_date(value: Any) -> date:
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise BadValue(f"expected a date written YYYY-MM-DD, got {value!r}") from None
    else:
        raise BadValue(f"expected a date written YYYY-MM-DD, got {_kind_of(value)}")
    if not (EARLIEST <= day <= LATEST):
        raise BadValue(f"expected a date from {EARLIEST} to {LATEST}, got {day}")
    return day


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadValue(f"expected text, got {_kind_of(value) if not isinstance(value, str) else 'nothing'}")
    if len(value) > MAX_TEXT:
        raise BadValue(f"expected at most {MAX_TEXT} characters, got {len(value)}")
    return value.strip()


def _number(spec: FieldSpec) -> Callable[[Any], Any]:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadValue(f"expected a number, got {_kind_of(value)}")
        if spec.minimum is not None and value < spec.minimum:
            raise BadValue(f"expected a number of at least {spec.minimum:g}, got {value:g}")
        return value
    return check


def _person(value: Any) -> dict:
    if not isinstance(value, dict):
        raise BadValue(f"expected a mapping with {' and '.join(PERSON_PARTS)}, got {_kind_of(value)}")
    unknown = sorted(set(value) - set(PERSON_PARTS))
    if unknown:
        raise BadValue(f"unknown key {unknown[0]!r}; accepted keys: {', '.join(PERSON_PARTS)}")
    missing = [k for k in PERSON_PARTS if not isinstance(value.get(k), str) or not value[k].strip()]
    if missing:
        raise BadValue(f"missing its {' and '.join(missing)} (text); a person is written {{name: ..., title: ...}}")
    return {k: value[k].strip() for k in PERSON_PARTS}


def _weeks(value: Any) -> list:
    if not isinstance(value, list) or not value:
        raise BadValue("expected a list of weeks, each {week_of: YYYY-MM-DD, patient_contact_hours: N, teaching_hours: N, "
                   "research_hours: N, observation_hours: N}")
    out, seen = [], set()
    for i, week in enumerate(value):
        if not isinstance(week, dict):
            raise BadValue(f"[{i}]: expected a mapping, got {_kind_of(week)}")
        unknown = sorted(set(week) - {"week_of", *WEEK_HOURS})
        if unknown:
            raise BadValue(f"[{i}]: unknown key {unknown[0]!r}; accepted keys: week_of, {', '.join(WEEK_HOURS)}")
        try:
            day = as_date(week.get("week_of"))
        except BadValue as bad:
            raise BadValue(f"[{i}].week_of: {bad}") from None
        if day in seen:
            raise BadValue(f"[{i}].week_of: the week of {day} is listed twice")
        seen.add(day)
        row = {"week_of": day}
        for key in WEEK_HOURS:
            hours = week.get(key, 0)
            if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not (0 <= hours <= 168):
                raise BadValue(f"[{i}].{key}: expected hours from 0 to 168, got {hours!r}")
            row[key] = hours
        if sum(row[k] for k in WEEK_HOURS) > 168:
            raise BadValue(f"[{i}]: more than 168 hours in one week")
        out.append(row)
    return sorted(out, key=lambda w: w["week_of"])


def _checker(spec: FieldSpec, countries: frozenset[str], check_profile) -> Callable[[Any], Any]:
    simple = {
        "text": _text, "paragraph": _text, "date": as_date, "person": _person, "contact-weeks": _weeks,
        "number": _number(spec), "money": _number(spec),
        "bool": lambda v: v if isinstance(v, bool) else _bad(f"expected true or false, got {_kind_of(v)}"),
        "choice": lambda v: v if v in spec.values else _bad(f"expected one of {', '.join(spec.values)}, got {v!r}"),
        "country": lambda v: v if isinstance(v, str) and v in countries else
        _bad(f"expected an ISO 3166-1 alpha-2 country code such as UG or NG, got {v!r}"),
        "profile": check_profile,
    }
    return simple[spec.type]


def _bad(message: str):
    raise BadValue(message)


def _set(out: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    cur = out
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value


def check_data(kind: LetterKind, data: Any, countries: frozenset[str], check_profile) -> dict:
    """The data as the letter's templates read it (dates as dates, every declared field present,
    None where an optional one is not given), or LetterDataError with every problem."""
    if not isinstance(data, dict):
        raise LetterDataError([FieldProblem("(data)", f"expected a mapping of the letter's fields, got {_kind_of(data)}")])
    problems = [FieldProblem(where, "a letter never holds an SSN, ITIN or passport number: remove it "
                                    "(the letter needs at most whether one exists)")
                for where, _ in problems_in(data)]
    accepted = sorted(set(CONTRACT_KEYS) | set(EXTRA_KEYS) | {p.split(".")[0] for p in kind.fields})
    problems += [FieldProblem(str(key), f"unknown field; accepted: {', '.join(accepted)}")
                 for key in data if key not in accepted]
    out: dict = {}
    for path, spec in kind.fields.items():
        given, value = _get(data, path)
        if not given:
            if spec.required:
                problems.append(FieldProblem(path, f"missing: {spec.label}"))
            _set(out, path, None)
            continue
        try:
            _set(out, path, _checker(spec, countries, check_profile)(value))
        except BadValue as bad:
            problems.append(FieldProblem(path, str(bad)))
        except ProfileError as error:  # the profile's own problems, each under `profile.`
            problems += [FieldProblem(f"{path}.{p.field}", p.message) for p in error.problems]
    problems += _training_dates(out)
    if problems:
        raise LetterDataError(problems)
    return out


def _training_dates(out: dict) -> list[FieldProblem]:
    training = out.get("training") or {}
    start, end = training.get("start"), training.get("end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        return [FieldProblem("training.end", f"the training ends ({end}) before it starts ({start})")]
    return []
