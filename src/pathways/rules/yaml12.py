"""YAML read as YAML 1.2 (its core schema), wherever we read YAML.

PyYAML resolves plain scalars by YAML 1.1, where `NO` (Norway's code), `no`, `yes`, `on`,
`off`, `y` and `n` are booleans, `1:30` is the number 90 and `010` is 8. In YAML 1.2 only
true and false are booleans (in any of the cases true, True, TRUE), an integer is decimal
unless it says `0o` or `0x`, and there are no base-60 numbers or `_` in numbers.

One extension is kept: an unquoted ISO date (`as_of: 2027-09-01`) still reads as a date.
JSON is YAML 1.2 too, so `load` reads JSON unchanged.
"""

from __future__ import annotations

import re

import yaml

from . import nesting
from .profile import FieldProblem, ProfileError

YAMLError = yaml.YAMLError

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader with YAML 1.2's booleans, integers and floats."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"""^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?
                   |[-+]?[0-9]+[eE][-+]?[0-9]+
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+.0123456789"))


def _construct_int(loader, node) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # `010` is ten, as in YAML 1.2


def _construct_float(loader, node) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


Loader.add_constructor(_INT, _construct_int)
Loader.add_constructor(_FLOAT, _construct_float)


def load(text: str):
    """The data of one YAML (or JSON) document, read as YAML 1.2. Raises `YAMLError`."""
    return yaml.load(text, Loader=Loader)


def compose(text: str):
    """The node tree of one document (with the line of every node), resolved as `load` does."""
    return yaml.compose(text, Loader=Loader)


MAX_CHARS = 100_000  # a person's document: a profile is under 2,000 characters
MAX_PROFILE_CHARS = MAX_CHARS  # the public name (pathways.MAX_PROFILE_CHARS)


class LimitError(YAMLError, ProfileError):
    """A person's document past a limit (its length, rules/nesting.py's depth or size).
    A YAMLError to the code that reads YAML, which refuses it as it refuses bad syntax; a
    ProfileError, with its FieldProblem, to the code that reports a profile's problems."""


def load_yaml(text: str, field: str = "(profile)"):
    """A person's YAML (a profile, a form's field, a CSV cell) read as YAML 1.2: `NO` stays Norway.
    Bounded: longer than MAX_CHARS, nested deeper than nesting.MAX_DEPTH or holding more than
    nesting.MAX_VALUES values (aliases counted each time they are used), a LimitError naming `field`."""
    if len(text) > MAX_CHARS:
        raise LimitError([FieldProblem(field, f"{len(text):,} characters; accepted: at most {MAX_CHARS:,}")])
    _refuse_depth(text, field)
    data = load(text)
    try:
        return nesting.check(data, field)
    except ProfileError as error:
        raise LimitError(error.problems) from None


def _refuse_depth(text: str, field: str) -> None:
    """A LimitError at the first collection opened deeper than nesting.MAX_DEPTH: the parser's
    events are read one by one, so nothing that deep is ever built (libyaml alone allows 1,000)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > nesting.MAX_DEPTH:
                    raise _too_deep(field, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # libyaml's own limit (1,000 levels), met first where its scanner reads ahead ("[[[[...")
        if error.problem == "exceeded maximum nesting depth":
            raise _too_deep(field, error.problem_mark) from None
        raise


def _too_deep(field: str, mark) -> LimitError:
    where = f"at line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return LimitError([FieldProblem(field, where + nesting.too_deep())])
