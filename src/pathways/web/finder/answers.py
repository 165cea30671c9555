"""The interview's answers in a query string, and back to a profile.

One parameter per profile fact, in the order answered: `stage=student`,
`citizenships=UG,KE` (a comma list), `usmle_passed=step1,step2ck` (an empty value: none
passed), `host.acgme_position=true`, numbers as written, dates ISO. `skip=a,b` lists the
facts answered "I don't know"; `as_of` (optional) is the date of the rules. The text of
each answer is kept as written; `data` turns it into the contract's profile, which the
engine's checker then validates with its own messages (ProfileError). Nothing is
guessed: `ke` is not taken for `KE`, `yes` is not taken for `true`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Collection, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode

from django.utils.translation import gettext  # accepted(): in the page's language (the interview's errors)

from pathways import EARLIEST, HOST, LATEST, FieldProblem, Profile, ProfileError

SKIP = "skip"
AS_OF = "as_of"
QUERY = "(query string)"  # the field named when the query string as a whole is past a bound
# Bounds on a query string (read_query). A full interview's answers take under 2,000
# characters; every country's code in one answer takes 750.
MAX_QUERY_CHARS = 20_000
MAX_VALUE_CHARS = 2_000
FORM_KEYS = {"fact", "answer", "lang"}  # the interview form's own fields and the page's language, never answers
UNKNOWN = "__unknown__"  # the value of the "I don't know" button
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True)
class Answers:
    """The answers so far: (fact, text) in the order answered, and the facts skipped.

    `skip_at` is how many answers came before the last skip, so that "Back" undoes the
    most recent step whether it was an answer or an "I don't know".
    """

    items: tuple[tuple[str, str], ...] = ()
    skipped: tuple[str, ...] = ()
    skip_at: int = 0
    as_of: str | None = None

    def __contains__(self, fact: str) -> bool:
        return fact in self.skipped or any(f == fact for f, _ in self.items)

    def __len__(self) -> int:
        return len(self.items) + len(self.skipped)

    def value(self, fact: str) -> str | None:
        return next((v for f, v in self.items if f == fact), None)

    def without(self, fact: str) -> "Answers":
        """The answers with `fact` neither answered nor skipped: it will be asked again."""
        return self.without_all({fact})

    def without_all(self, facts: Collection[str]) -> "Answers":
        """The answers with none of `facts` answered or skipped, in one pass however many."""
        before_skip = sum(1 for f, _ in self.items[:self.skip_at] if f in facts)
        return replace(self, items=tuple(i for i in self.items if i[0] not in facts),
                       skipped=tuple(f for f in self.skipped if f not in facts), skip_at=self.skip_at - before_skip)

    def with_answer(self, fact: str, text: str) -> "Answers":
        rest = self.without(fact)
        return replace(rest, items=rest.items + ((fact, text),))

    def with_skip(self, fact: str) -> "Answers":
        rest = self.without(fact)
        return replace(rest, skipped=rest.skipped + (fact,), skip_at=len(rest.items))

    def back(self) -> "Answers":
        """The answers minus the last one given (or the last "I don't know")."""
        if self.skipped and (self.skip_at >= len(self.items)):
            return replace(self, skipped=self.skipped[:-1])
        if self.items:
            return self.without(self.items[-1][0])
        return self

    def steps(self) -> list[tuple[str, str | None]]:
        """Every answer in order, (fact, text), with None for "I don't know"."""
        out: list[tuple[str, str | None]] = list(self.items[:self.skip_at])
        out += [(f, None) for f in self.skipped]
        return out + list(self.items[self.skip_at:])

    def pairs(self) -> list[tuple[str, str]]:
        """The query's parameters in order (also the interview form's hidden inputs)."""
        out = list(self.items[:self.skip_at])
        if self.skipped:
            out.append((SKIP, ",".join(self.skipped)))
        out += list(self.items[self.skip_at:])
        if self.as_of:
            out.append((AS_OF, self.as_of))
        return out

    def query(self) -> str:
        return urlencode(self.pairs(), safe=",")

    def as_of_date(self) -> date | None:
        return date.fromisoformat(self.as_of) if self.as_of else None


def read_query(query: str, max_fields: int | None) -> list[tuple[str, str]]:
    """The query string's (key, value) pairs in the order written, within bounds, or a
    ProfileError naming the bound it passes and what is accepted.

    The pages read the raw string (Django's QueryDict would lose the order of the answers),
    so Django's DATA_UPLOAD_MAX_NUMBER_FIELDS, given here as `max_fields`, is applied here:
    parse_qsl refuses more fields before it splits anything. The length is checked first,
    so every step after it is bounded too.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise ProfileError([FieldProblem(QUERY, f"{len(query):,} characters; accepted: at most {MAX_QUERY_CHARS:,}")])
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=max_fields)
    except ValueError:  # "Max number of fields exceeded": the only ValueError parse_qsl raises here
        raise ProfileError([FieldProblem(QUERY, f"{query.count('&') + 1:,} parameters; "
                                                f"accepted: at most {max_fields:,}")]) from None
    problems = [_too_long(key, value) for key, value in pairs
                if len(key) > MAX_VALUE_CHARS or len(value) > MAX_VALUE_CHARS]
    if problems:
        raise ProfileError(problems)
    return pairs


def _too_long(key: str, value: str) -> FieldProblem:
    what, length = ("its name", len(key)) if len(key) > MAX_VALUE_CHARS else ("its value", len(value))
    shown = key if len(key) <= 40 else key[:37] + "..."
    return FieldProblem(shown, f"{what} is {length:,} characters long; accepted: at most {MAX_VALUE_CHARS:,}")


def parse(params: Iterable[tuple[str, str]]) -> Answers:
    """Answers from the query's (key, value) pairs, in order; the form's own keys ignored.

    A fact given twice keeps its last answer, in the place of its last answer. An `as_of`
    that is not an ISO date is a ProfileError naming it. One pass, in time linear in the
    pairs: each fact's answer is kept with the position it was last given at, and `skip`
    (the facts answered "I don't know") with the position it was given at.
    """
    latest: dict[str, tuple[int, str]] = {}  # fact -> (position, text), in the order last answered
    skipped: tuple[str, ...] = ()
    skip_position, as_of = -1, None
    for position, (key, value) in enumerate(params):
        if key in FORM_KEYS:
            continue
        if key == AS_OF:
            as_of = as_of_text(value) or as_of
        elif key == SKIP:
            skipped = tuple(dict.fromkeys(f for f in (s.strip() for s in value.split(",")) if f))
            skip_position = position
        else:
            latest.pop(key, None)  # answered again: it moves to the end
            latest[key] = (position, value.strip())
    answered_after_skip = {fact for fact, (position, _) in latest.items() if position > skip_position}
    return Answers(items=tuple((fact, text) for fact, (_, text) in latest.items()),
                   skipped=tuple(f for f in skipped if f not in answered_after_skip),  # answered since: not skipped
                   skip_at=len(latest) - len(answered_after_skip), as_of=as_of)


def as_of_text(value: str) -> str | None:
    """The `as_of` parameter's date as written (None if empty), or a ProfileError naming it (the
    pages' and the API's)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not (EARLIEST <= day <= LATEST):
        raise ProfileError([FieldProblem(AS_OF, f"expected an ISO date from {EARLIEST} to {LATEST}, "
                                                f"such as 2027-09-01, got {value!r}")])
    return value


def typed(definition, text: str) -> Any:
    """The answer's text as the contract's value; left as text where it does not fit,
    for the checker to refuse with its own message."""
    kind = definition.type
    if kind == "bool":
        return {"true": True, "false": False}.get(text, text)
    if kind == "number":
        if _INTEGER.match(text):
            return int(text)
        if _DECIMAL.match(text):
            return float(text)
        return text
    if kind in ("set", "codes"):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def data(answers: Answers, facts: Mapping[str, Any]) -> dict:
    """The contract's profile (unchecked): host facts nested under `host`, skipped facts left out."""
    out: dict[str, Any] = {}
    for fact, text in answers.items:
        definition = facts.get(fact)
        value = typed(definition, text) if definition is not None else text
        if fact.startswith(HOST + "."):
            out.setdefault(HOST, {})[fact[len(HOST) + 1:]] = value
        else:
            out[fact] = value
    return out


def profile(answers: Answers, engine) -> Profile:
    """The checked profile, or the engine's ProfileError (unknown facts in `skip` included)."""
    facts = engine.facts()
    bad = [f for f in answers.skipped if f not in facts]
    problems = [FieldProblem(SKIP, f"{f!r} is not a profile fact") for f in bad]
    try:
        checked = engine.check(data(answers, facts))
    except ProfileError as error:
        raise ProfileError(error.problems + problems) from None
    if problems:
        raise ProfileError(problems)
    return checked


def accepted(definition, vocabularies: Mapping[str, frozenset]) -> str:
    """What an answer to this fact may be, in words, for an error message."""
    kind = definition.type
    if kind == "bool":
        return gettext("Yes or No")
    if kind == "number":
        low = f"{definition.minimum:g}" if definition.minimum is not None else None
        high = f"{definition.maximum:g}" if definition.maximum is not None else None
        return gettext("a number from %(low)s to %(high)s") % {"low": low, "high": high} if low and high else gettext("a number")
    if kind == "date":
        return gettext("a date such as 2027-09-01")
    if kind == "codes":  # the address's form; the interview's box also takes names (views_interview)
        return gettext("two-letter country codes separated by commas, such as KE or UG,KE")
    values = ", ".join(sorted(vocabularies[definition.vocabulary]) if definition.vocabulary else list(definition.values))
    if kind == "set":
        return gettext("any of %(values)s (or none)") % {"values": values}
    return gettext("one of %(values)s") % {"values": values}


PACKED = "answers"  # the query parameter that carries packed answers


def pack(query: str) -> str:
    """The answers' query string, deflated and base64url-encoded: the short form a result
    page's many "Open a case" links carry (each link holds every answer)."""
    import base64
    import zlib

    return base64.urlsafe_b64encode(zlib.compress(query.encode(), 9)).rstrip(b"=").decode()


def unpack(token: str, limit: int = MAX_QUERY_CHARS) -> str:
    """The query string of `pack`, or a ProfileError naming the parameter."""
    import base64
    import zlib

    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), limit)
        if inflater.unconsumed_tail:
            raise ValueError("too long")
        return raw.decode()
    except (ValueError, zlib.error, UnicodeDecodeError):
        raise ProfileError([FieldProblem(PACKED, "not packed answers from a result page")]) from None
