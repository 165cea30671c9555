"""YAML files read with the line of every key, so errors can name file and line.

Read as YAML 1.2 (rules/yaml12.py), as profiles are: an unquoted `NO` in a list of
countries is Norway, not false.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import yaml12


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    severity: str = "error"  # error | stale

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class YamlFile:
    path: Path
    name: str  # relative to the knowledge root, for messages
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, loc: tuple) -> int | None:
        """The line of the deepest key of `loc` that exists in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return 1


def read_yaml(path: Path, name: str) -> tuple[YamlFile | None, list[Problem]]:
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml12.compose(text)
        data = yaml12.load(text)
    except yaml12.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(name, line, f"not valid YAML: {reason}")]
    file = YamlFile(path, name, data)
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), file, problems)
    return file, problems


def _walk(node, loc: tuple, file: YamlFile, problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            k = key.value
            if k in seen:
                problems.append(Problem(file.name, key.start_mark.line + 1, f"duplicate key {k!r}"))
            seen.add(k)
            file.lines[loc + (k,)] = key.start_mark.line + 1
            _walk(value, loc + (k,), file, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            file.lines[loc + (i,)] = item.start_mark.line + 1
            _walk(item, loc + (i,), file, problems)
