"""Output at any width: the console's width, tables whose ids stay whole, paragraphs with a
hanging indent.

The width is `COLUMNS` when it is set (also when the output is piped), else the terminal's,
else 100 (piped, with no terminal). A table is printed only if every id, code, field name and
date in it fits whole on a line of its column; the other columns wrap first. When even that
does not fit, the rows are printed one after the other, each field on its own line
("stacked"). Words are never broken in paragraphs: a word longer than the line (a long
address) is left whole on its own line.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

PIPED_WIDTH = 100  # piped output without COLUMNS: wide enough for a table of ids, narrow enough to read
TEXT_MIN = 12  # a prose column is not made narrower than this (its words may fold below it)

__all__ = ["Col", "console", "escape", "hang", "print_table", "width"]


def width() -> int:
    """COLUMNS if set, else the width of the terminal the output goes to (or, piped into
    `less` or `head`, of the terminal the command runs in), else PIPED_WIDTH."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns or PIPED_WIDTH
        except (AttributeError, OSError, ValueError):
            continue
    return PIPED_WIDTH


def console() -> Console:
    # markup only where this package writes it (data is escaped); no emoji codes, no guessing
    # of numbers and addresses to colour
    return Console(width=width(), highlight=False, emoji=False)


def _text(value) -> Text:
    """A paragraph: a Text as it is, a string as rich markup (the caller escapes its data)."""
    return value.copy() if isinstance(value, Text) else Text.from_markup(str(value), emoji=False)


def _breaks(plain: str, first: int, rest: int) -> list[int]:
    """Where to break `plain` (one paragraph) into lines: at spaces only, `first` cells on the
    first line and `rest` on the others; a word longer than its line stays whole."""
    offsets, column, limit = [], 0, max(first, 1)
    for match in re.finditer(r"\S+\s*", plain):
        word = match.group().rstrip()
        if column and column + cell_len(word) > limit:
            offsets.append(match.start())
            column, limit = 0, max(rest, 1)
        column += cell_len(match.group())
    return offsets


def hang(out: Console, value, indent: int = 0, hang_by: int | None = None) -> None:
    """Print a paragraph `indent` cells in, its following lines `hang_by` cells in (default:
    two more than `indent`); each line of `value` starts a new paragraph at `hang_by`."""
    hang_by = indent + 2 if hang_by is None else hang_by
    text = _text(value)
    first = True
    for paragraph in text.split("\n", allow_blank=True):
        pad = indent if first else hang_by
        pieces = paragraph.divide(_breaks(paragraph.plain, out.width - pad, out.width - hang_by))
        for piece in pieces:
            piece.rstrip()
            line = Text(" " * pad) + piece if piece.plain else Text()
            out.print(line, overflow="ignore", crop=False, no_wrap=True, soft_wrap=False)
            first, pad = False, hang_by


@dataclass(frozen=True)
class Col:
    """A column: `kind` "id" keeps every word whole (ids, codes, field names, dates, amounts:
    the column is never narrower than its longest word), "text" is prose that wraps first (a
    word longer than the column folds), "fixed" never wraps (numbers)."""

    header: str
    kind: str = "text"
    justify: str = "left"


def _words(text: Text) -> int:
    return max((cell_len(w) for w in text.plain.split()), default=0)


def _natural(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def _overhead(table: Table) -> int:
    n = len(table.columns)
    borders = ((2 if table.show_edge else 0) + n - 1) if table.box else 0
    _, right, _, left = table.padding
    padding = n * (left + right) - (0 if table.pad_edge else left + right)
    return borders + padding


def _fill(mins: list[int], naturals: list[int], room: int) -> list[int]:
    """Share `room` cells: every column its minimum, the rest in proportion to what each lacks."""
    widths = list(mins)
    spare = room - sum(mins)
    lacks = [n - m for n, m in zip(naturals, mins)]
    total = sum(lacks)
    if total <= 0 or spare <= 0:
        return widths
    for i, lack in enumerate(lacks):
        widths[i] += min(lack, spare * lack // total)
    left = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: widths[i] - naturals[i]):
        if left <= 0:
            break
        if widths[i] < naturals[i]:
            widths[i] += 1
            left -= 1
    return widths


def print_table(out: Console, columns: list[Col], rows: list[list], title: str | None = None, *,
                plain: bool = False, head: int = 1, spaced: bool = False, inline: bool = False,
                lines: bool = False) -> None:
    """A table with its ids whole at the console's width, else the rows stacked: the first
    `head` cells of a row on a line, then each other non-empty cell as "header: value", on a
    line of its own (or all in one paragraph: `inline`), a blank line between rows if `spaced`.
    `plain`: no box (the columns apart by a space or two); `lines`: a rule between rows."""
    cells = [[c.copy() if isinstance(c, Text) else Text(str(c)) for c in row] for row in rows]  # data, not markup
    table = (Table(title=title, box=None, show_edge=False, pad_edge=False) if plain
             else Table(title=title, show_lines=lines))
    mins, naturals = [], []
    for i, col in enumerate(columns):
        header = Text(col.header)
        column = [row[i] for row in cells]
        natural = max([_natural(header)] + [_natural(c) for c in column])
        words = max([_words(c) for c in column], default=0)
        if col.kind == "text":
            least = max(_words(header), min(words, TEXT_MIN))
        elif col.kind == "fixed":
            least = max(_words(header), max((_natural(c) for c in column), default=0))
        else:
            least = max(_words(header), words)
        mins.append(max(least, 1))
        naturals.append(max(natural, least, 1))
        table.add_column(col.header, justify=col.justify, overflow="fold", no_wrap=col.kind == "fixed")
    room = out.width - _overhead(table)
    if sum(mins) > room:
        _stacked(out, columns, cells, title, head, spaced, inline)
        return
    widths = naturals if sum(naturals) <= room else _fill(mins, naturals, room)
    for column, w in zip(table.columns, widths):
        column.width = w
    for number, row in enumerate(cells):
        if plain and spaced and number:
            table.add_row(*[""] * len(row))  # a blank line between rows (a box-less table has no rules)
        table.add_row(*row)
    out.print(table)


def _stacked(out: Console, columns: list[Col], cells: list[list[Text]], title: str | None, head: int,
             spaced: bool, inline: bool) -> None:
    if title:
        hang(out, Text(title, style="bold"))
    for number, row in enumerate(cells):
        if spaced and number:
            out.print()
        first = Text(" ").join(c for c in row[:head] if c.plain)
        first.stylize("bold", 0, len(row[0].plain) if head == 1 else 0)
        hang(out, first, 0, 2)
        fields = [Text(f"{col.header}: ", style="dim") + Text("; ").join(part for part in cell.split("\n") if part.plain.strip())
                  for col, cell in zip(columns[head:], row[head:]) if cell.plain.strip()]
        for field in _pack(fields, out.width - 2) if inline else fields:
            hang(out, field, 2, 4)


def _pack(fields: list[Text], room: int) -> list[Text]:
    """Fields side by side, two spaces apart, as many to a line as fit; a field is not split
    across lines unless it is longer than a line by itself."""
    lines: list[Text] = []
    for field in fields:
        if lines and cell_len(lines[-1].plain) + 2 + cell_len(field.plain) <= room:
            lines[-1] = lines[-1] + Text("  ") + field
        else:
            lines.append(field)
    return lines
