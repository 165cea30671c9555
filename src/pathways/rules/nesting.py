"""How deep and how large a person's data may be, measured without recursion.

A profile is three levels deep (`host`, its key, a list) and holds a few dozen values.
Data from outside is measured here before anything walks it: Python's json module decodes
by recursion (RecursionError, a 500, past about a thousand levels), and what walks the data
afterwards recurses too (repr in an error message, the checker, yaml.safe_dump). A YAML
alias is counted each time it is used, so a "billion laughs" document is refused by its
size, not expanded. A body or field past a limit is a ProfileError naming it and the limit.
"""

from __future__ import annotations

import json
from typing import Any

from .problems import FieldProblem, ProfileError

MAX_DEPTH = 32  # levels of lists and mappings; a profile needs three
MAX_VALUES = 10_000  # values in all, containers included; a profile has a few dozen


def too_deep(max_depth: int = MAX_DEPTH) -> str:
    return f"nested deeper than {max_depth} levels; accepted: at most {max_depth} levels of lists and mappings"


def too_many(max_values: int = MAX_VALUES) -> str:
    return f"holds more than {max_values:,} values; accepted: at most {max_values:,}"


def excess(data: Any, max_depth: int = MAX_DEPTH, max_values: int = MAX_VALUES) -> tuple[tuple, str] | None:
    """Where `data` first goes past a limit (the keys and indexes leading there) and which
    limit, or None within both. Iterative, and it stops at the first excess: linear in
    what it visits, never more than `max_values`."""
    containers = (dict, list, tuple)
    if not isinstance(data, containers):
        return None
    if isinstance(data, dict) and max_depth >= 2 and _shallow(data, containers, max_values):
        return None
    stack: list[tuple[tuple, Any]] = [((), data)]
    seen = 1
    while stack:  # only containers are stacked: the rest counts in its container's length
        path, value = stack.pop()
        if len(path) >= max_depth:  # `value` is the (len(path) + 1)th level
            return path, too_deep(max_depth)
        seen += len(value)
        if seen > max_values:  # counted before the children are visited: a huge list costs nothing
            return path, too_many(max_values)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        stack.extend([(path + (key,), item) for key, item in items if isinstance(item, containers)])
    return None


def _shallow(data: dict, containers: tuple, max_values: int) -> bool:
    """A profile's usual shape, told at a glance: a mapping whose containers hold no containers
    (two levels) and whose values number at most `max_values`, so within both limits."""
    seen = 1 + len(data)
    for value in data.values():
        if isinstance(value, containers):
            seen += len(value)
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, containers):
                    return False
    return seen <= max_values


def where(path: tuple, first: int = 3) -> str:
    """A path as the contract writes fields (`host.acgme_position`, `citizenships[0]`), cut short."""
    text = ""
    for part in path[:first]:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text + ("..." if len(path) > first else "")


def check(data: Any, field: str) -> Any:
    """`data` itself, or a ProfileError naming `field` (and where inside it) and the limit."""
    found = excess(data)
    if found is not None:
        path, message = found
        raise ProfileError([FieldProblem(field, f"at {where(path)}: {message}" if path else message)])
    return data


def loads_json(text: str | bytes, field: str = "(body)") -> Any:
    """JSON within the limits. Invalid JSON raises ValueError as json.loads does; too deep or
    too large, a ProfileError naming `field`."""
    try:
        data = json.loads(text)
    except RecursionError:  # the decoder recursed once per level, far past MAX_DEPTH
        raise ProfileError([FieldProblem(field, too_deep())]) from None
    return check(data, field)
