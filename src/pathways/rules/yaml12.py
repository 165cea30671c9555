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


def load_yaml(text: str):
    """A person's YAML (a profile, a form's field, a CSV cell) read as YAML 1.2: `NO` stays Norway."""
    return load(text)
