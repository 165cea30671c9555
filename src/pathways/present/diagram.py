"""The article's Figures 1 to 3 drawn from the knowledge base as SVG.

Each pathway of the category is a column, as in the article: the visa, an arrow to the
California authorization, an arrow to the patient contact it allows. Nothing is drawn
by hand: adding a pathway file adds a column. The article draws one row; the pages draw rows
of a few columns (`per_row`), which a phone shows whole without scrolling sideways.

The words are English unless a face gives others (`Words`): the pages draw it in their reader's
language, the knowledge texts of the figure translated by the face, right to left for Arabic
(columns from the right, each line in its own direction). A box grows to the longest text of
its figure, and a legal name (`BPC 2111`) is never broken across lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Mapping

COLUMN, GAP, BOX_H, ARROW, TOP, MARGIN = 150, 16, 58, 34, 64, 20
LINE, BOX_LINES, MAX_LINES = 14, 3, 8  # a box's line height, the lines BOX_H holds, the most it grows to
CONTACT_FILL = {"none": "#e5e7eb", "incidental": "#fde68a", "supervised": "#bbf7d0", "independent": "#86efac"}
CONTACT_TEXT = {"none": "No patient contact (observation)", "incidental": "Incidental patient contact",
                "supervised": "Supervised hands-on patient care", "independent": "Independent patient care"}


@dataclass(frozen=True)
class Words:
    """What a figure says besides its knowledge texts, in the reader's language (English when
    left out): the heading, the line under it, the contact levels; the language's code and
    whether it reads right to left."""
    title: str | None = None  # None: "Figure N: name", or "State: name" for a state's diagram
    note: str | None = None
    contact: Mapping[str, str] = field(default_factory=lambda: dict(CONTACT_TEXT))
    language: str = "en"
    rtl: bool = False


# a word, or a legal name kept whole: capitals, a space, a number ("(BPC 2111)", "USMLE 3")
_TOKEN = re.compile(r"\S*\b[A-Z]{2,6} \d+\S*|\S+")


def _wrap(text: str, width: int = 20) -> list[str]:
    lines, line = [], ""
    for word in _TOKEN.findall(text):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _box(x: float, y: float, text: str, fill: str, height: float = BOX_H, rtl: bool = False) -> str:
    lines = _wrap(text)[:MAX_LINES]
    first = y + height / 2 - (len(lines) - 1) * LINE / 2
    spans = "".join(f'<tspan x="{x + COLUMN / 2}" y="{first + i * LINE:.0f}">{escape(t)}</tspan>' for i, t in enumerate(lines))
    return (f'<rect x="{x}" y="{y}" width="{COLUMN}" height="{height}" rx="8" fill="{fill}" stroke="#374151"/>'
            f'<text text-anchor="middle" dominant-baseline="middle" font-size="12"{_DIRECTION[rtl]}>{spans}</text>')


def _arrow(x: float, y: float) -> str:
    cx = x + COLUMN / 2
    return (f'<line x1="{cx}" y1="{y}" x2="{cx}" y2="{y + ARROW - 6}" stroke="#374151" stroke-width="2"/>'
            f'<polygon points="{cx - 5},{y + ARROW - 8} {cx + 5},{y + ARROW - 8} {cx},{y + ARROW}" fill="#374151"/>')


ROW_GAP = 28  # between rows of columns, when a figure is drawn in rows (narrow screens)
TITLE_PX, NOTE_PX = 9.6, 6.4  # the average width of a character of the title (16 px bold) and the note (11 px)
_DIRECTION = {False: "", True: ' direction="rtl"'}  # each line's base direction: Arabic runs right to left


def _box_height(figure: dict, words: Words) -> int:
    """Every box of a figure is as tall as its longest text needs, with room above and below
    (BOX_H holds three lines)."""
    texts = [t for c in figure["columns"] for t in (c["visa"], c["authorization"], _contact(words, c["patient_contact"]))]
    lines = min(MAX_LINES, max([len(_wrap(t)) for t in texts] or [1]))
    return BOX_H + LINE * max(0, lines - BOX_LINES)


def _contact(words: Words, level: str) -> str:
    return words.contact.get(level) or CONTACT_TEXT[level]


def _layout(figure: dict, per_row: int | None, words: Words) -> tuple[int, int, int, list[str], list[str], int, int]:
    """(columns per row, width, height, title lines, note lines, top of the first row, height of
    a box) of the figure drawn in rows of at most `per_row` columns (None: one row, as in the article)."""
    columns = figure["columns"]
    across = max(1, min(len(columns), per_row or len(columns)))
    rows = max(1, -(-len(columns) // across))
    where = figure.get("state_name")
    title = words.title or (f"{where}: {figure['name']}" if where else f"Figure {figure['number']}: {figure['name']}")
    note = words.note or f"Visa, then {where or 'California'} authorization, then patient contact. Drawn from the knowledge base."
    width = MARGIN * 2 + across * COLUMN + (across - 1) * GAP
    titles = _wrap(title, max(20, int((width - 2 * MARGIN) / TITLE_PX)))
    notes = _wrap(note, max(30, int((width - 2 * MARGIN) / NOTE_PX)))
    top = 12 + 20 * len(titles) + 14 * len(notes) + 16
    box = _box_height(figure, words)
    height = top + rows * (3 * box + 2 * ARROW) + (rows - 1) * ROW_GAP + 30
    return across, width, height, titles, notes, top, box


def figure_size(figure: dict, per_row: int | None = None, words: Words | None = None) -> tuple[int, int]:
    """The width and height of `draw_category(figure, per_row, words)`, for the page's <img>."""
    _, width, height, _, _, _, _ = _layout(figure, per_row, words or Words())
    return width, height


def draw_category(figure: dict, per_row: int | None = None, words: Words | None = None) -> str:
    """The SVG of `Engine.figure(category)`: one row of columns as in the article, or rows of at
    most `per_row` columns, which a narrow screen shows whole. `words`: the heading, note and
    contact levels in the reader's language (the figure's own texts translated by the caller)."""
    words = words or Words()
    columns = figure["columns"]
    across, width, height, titles, notes, top, box = _layout(figure, per_row, words)
    rtl, direction = words.rtl, _DIRECTION[words.rtl]
    start = width - MARGIN if rtl else MARGIN  # the heading starts at the right on a right-to-left figure
    title = escape(" ".join(titles))  # a state's own diagram is not the article's figure: it names the state
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
             f'aria-label="{title}" xml:lang="{escape(words.language)}"{direction}>',
             f'<title>{title}</title>']
    parts += [f'<text x="{start}" y="{28 + 20 * i}" font-size="16" font-weight="bold"{direction}>{escape(t)}</text>'
              for i, t in enumerate(titles)]
    parts += [f'<text x="{start}" y="{28 + 20 * (len(titles) - 1) + 20 + 14 * i}" font-size="11" fill="#4b5563"{direction}>'
              f'{escape(t)}</text>' for i, t in enumerate(notes)]
    for i, c in enumerate(columns):
        row, place = divmod(i, across)
        x = MARGIN + place * (COLUMN + GAP)
        if rtl:  # the first column on the right
            x = width - COLUMN - x
        y = top + row * (3 * box + 2 * ARROW + ROW_GAP)
        parts.append(f'<g id="{escape(c["id"])}"><title>{escape(c["name"])}</title>')
        parts.append(_box(x, y, c["visa"], "#dbeafe", box, rtl))
        parts.append(_arrow(x, y + box))
        parts.append(_box(x, y + box + ARROW, c["authorization"], "#ede9fe", box, rtl))
        parts.append(_arrow(x, y + 2 * box + ARROW))
        parts.append(_box(x, y + 2 * (box + ARROW), _contact(words, c["patient_contact"]),
                          CONTACT_FILL[c["patient_contact"]], box, rtl))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
