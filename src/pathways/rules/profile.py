"""Check a person's profile against the facts of `knowledge/facts.yaml`.

A profile is a mapping of the contract's fields; every field is optional and a missing
(or null) field is unknown. Anything else that does not fit is refused with one
problem per field: which field, what was wrong, what is accepted. Nothing is guessed:
`ke` is not taken for `KE`, `"3"` is not taken for 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

HOST = "host"


# the contract's range of dates (docs/contract.md, section 1): outside it a date is invalid
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


from .problems import FieldProblem, ProfileError  # noqa: E402  (kept apart so nesting.py can use them)
from .nesting import excess  # noqa: E402
from .messages import say  # noqa: E402


@dataclass(frozen=True)
class Profile:
    """A valid profile: `facts` is flat (host.x keys, sets as frozensets), unknowns absent."""

    facts: Mapping[str, Any]

    def get(self, name: str, default=None):
        return self.facts.get(name, default)

    def to_contract(self) -> dict:
        """The profile as the contract's YAML/JSON shape again."""
        out: dict[str, Any] = {}
        for name, value in self.facts.items():
            if isinstance(value, frozenset):
                value = sorted(value)
            elif isinstance(value, date):
                value = value.isoformat()
            if name.startswith(HOST + "."):
                out.setdefault(HOST, {})[name[len(HOST) + 1:]] = value
            else:
                out[name] = value
        return out


@dataclass(frozen=True)
class FactSpec:
    """What the checker needs of a fact definition, as plain data (cheap to unpickle)."""

    type: str
    values: tuple[str, ...] = ()
    vocabulary: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def of(cls, definition) -> "FactSpec":
        return cls(definition.type, tuple(definition.values), definition.vocabulary, definition.minimum, definition.maximum)


class ProfileChecker:
    """Validates profiles against fact definitions and vocabularies."""

    def __init__(self, facts: Mapping[str, Any], vocabularies: Mapping[str, frozenset[str]], messages: Mapping[str, str]):
        self.messages = dict(messages)  # knowledge/messages.yaml: what each problem says, translatable
        self.facts = {name: FactSpec.of(d) for name, d in facts.items()}
        self.vocabularies = vocabularies
        self.top = sorted({n.split(".")[0] for n in facts})
        self.host_keys = sorted(n.split(".", 1)[1] for n in facts if n.startswith(HOST + "."))
        self._compile()

    def _compile(self) -> None:
        # per fact, a test that takes a plainly valid value at once (most of a batch's, every
        # request's); anything else, NEXT, goes through the checks below, which say what is wrong
        self._quick = {name: _quick(spec, self._accepted(spec) if spec.type in ("enum", "set", "codes") else None)
                       for name, spec in self.facts.items()}
        self._quick_host = {name.split(".", 1)[1]: (name, test) for name, test in self._quick.items()
                            if name.startswith(HOST + ".")}

    def __getstate__(self) -> dict:  # kept on disk (rules/cache.py) without the compiled tests
        return {k: v for k, v in self.__dict__.items() if k not in ("_quick", "_quick_host")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._compile()

    def check(self, data: Any) -> Profile:
        if type(data) is not dict and not isinstance(data, Mapping):  # (the ABC's test is the slow one)
            raise ProfileError([FieldProblem("(profile)", say(self.messages, "profile-not-a-mapping", got=_kind(data), accepted=", ".join(self.top)))])
        _within_limits(data)
        problems: list[FieldProblem] = []
        flat: dict[str, Any] = {}
        facts, quick = self.facts, self._quick
        for key, value in data.items():
            test = quick.get(key) if type(key) is str else None
            if test is not None and value is not None:
                taken = test(value)
                if taken is not NEXT:
                    flat[key] = taken
                    continue
            if key == HOST:
                self._host(value, flat, problems)
            elif not isinstance(key, str) or key not in facts:
                problems.append(FieldProblem(str(key), say(self.messages, "unknown-field", accepted=", ".join(self.top))))
            elif value is not None:  # null is "I don't know"
                self._one(key, value, flat, problems)
        if problems:
            raise ProfileError(problems)
        return Profile(flat)

    def _host(self, value, flat, problems):
        if value is None:
            return
        if type(value) is not dict and not isinstance(value, Mapping):
            problems.append(FieldProblem(HOST, say(self.messages, "host-not-a-mapping", got=_kind(value), accepted=", ".join(self.host_keys))))
            return
        quick = self._quick_host
        for key, item in value.items():
            found = quick.get(key) if type(key) is str else None
            if found is not None and item is not None:
                taken = found[1](item)
                if taken is not NEXT:
                    flat[found[0]] = taken
                    continue
            name = f"{HOST}.{key}"
            if name not in self.facts:
                problems.append(FieldProblem(name, say(self.messages, "unknown-host-key", accepted=", ".join(self.host_keys))))
            else:
                self._one(name, item, flat, problems)

    def _one(self, name, value, flat, problems):
        if value is None:
            return  # null is "I don't know"
        definition = self.facts[name]
        result = _CHECKS[definition.type](self, definition, value)
        if type(result) is _Bad:
            problems.append(FieldProblem(name, result))
        else:
            flat[name] = result

    def _bool(self, d, value):
        return value if isinstance(value, bool) else _Bad(say(self.messages, "expected-true-or-false", got=_show(value)))

    def _number(self, d, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            return _Bad(say(self.messages, "expected-a-number", got=_show(value)))
        if (d.minimum is not None and value < d.minimum) or (d.maximum is not None and value > d.maximum):
            return _Bad(say(self.messages, "number-out-of-range", minimum=f"{d.minimum:g}", maximum=f"{d.maximum:g}", got=f"{value:g}"))
        return float(value)

    def _date(self, d, value):
        day = value if isinstance(value, date) else None
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
        if day is not None and EARLIEST <= day <= LATEST:
            return day
        return _Bad(say(self.messages, "expected-a-date", earliest=EARLIEST, latest=LATEST, got=_show(value)))

    def _accepted(self, d) -> frozenset[str]:
        return self.vocabularies[d.vocabulary] if d.vocabulary else _values(d.values)

    def _enum(self, d, value):
        accepted = self._accepted(d)
        if isinstance(value, str) and value in accepted:
            return value
        return _Bad(say(self.messages, "not-accepted", got=_show(value), accepted=", ".join(sorted(accepted))))

    def _codes(self, d, value):
        return self._set(d, value)

    def _set(self, d, value):
        accepted = self._accepted(d)
        if not isinstance(value, list):
            return _Bad(say(self.messages, "expected-a-list", got=_kind(value)))
        bad = [v for v in value if not isinstance(v, str) or v not in accepted]
        if bad:
            shown, many = ", ".join(_show(b) for b in bad), len(bad) > 1
            if d.vocabulary == "countries":
                return _Bad(say(self.messages, "not-country-codes" if many else "not-a-country-code", got=shown))
            return _Bad(say(self.messages, "several-not-accepted" if many else "not-accepted", got=shown,
                            accepted=", ".join(sorted(accepted))))
        if d.vocabulary == "countries" and not value:
            return _Bad(say(self.messages, "no-country-code"))
        return frozenset(value)


@lru_cache(maxsize=256)
def _values(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(values)


_CHECKS = {kind: getattr(ProfileChecker, "_" + kind) for kind in ("bool", "number", "date", "enum", "codes", "set")}

NEXT = object()  # a quick test's "not plainly valid: let the full check say"


def _quick(d: FactSpec, accepted: frozenset[str] | None):
    """A test that gives what the full check would for a plainly valid value of `d`, else NEXT
    (`tests/test_profile.py` checks that both agree, value by value)."""
    if d.type == "bool":
        return lambda v: v if v is True or v is False else NEXT
    if d.type == "number":
        low = float("-inf") if d.minimum is None else d.minimum
        high = float("inf") if d.maximum is None else d.maximum
        return lambda v: float(v) if (type(v) is int or type(v) is float) and low <= v <= high else NEXT
    if d.type == "date":
        return _quick_date
    if d.type == "enum":
        return lambda v: v if type(v) is str and v in accepted else NEXT
    # a set or codes: a non-empty list of accepted texts (an empty one: the full check decides)
    return lambda v: frozenset(v) if type(v) is list and v and all(type(x) is str for x in v) \
        and accepted.issuperset(v) else NEXT


def _quick_date(v):
    if type(v) is str and len(v) == 10:
        try:
            day = date.fromisoformat(v)
        except ValueError:
            return NEXT
        if EARLIEST <= day <= LATEST:
            return day
    return NEXT


def _within_limits(data: Mapping) -> None:
    """A ProfileError naming the field nested too deep or too large (rules/nesting.py), before
    anything below walks it: the messages' repr of a value 900 levels deep would recurse."""
    found = excess(data)
    if found is not None:
        path, message = found
        in_host = path[:1] == (HOST,) and len(path) > 1 and isinstance(path[1], str)
        field = "(profile)" if not path else f"{HOST}.{path[1]}" if in_host else str(path[0])
        raise ProfileError([FieldProblem(field, message)])


class _Bad(str):
    """A validator's complaint, told apart from a valid text value."""


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


def _show(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
