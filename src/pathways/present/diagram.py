"""The article's Figures 1 to 3 drawn from the knowledge base as SVG.

Each pathway of the category is a column, as in the article: the visa, an arrow to the
California authorization, an arrow to the patient contact it allows. Nothing is drawn
by hand: adding a pathway file adds a column. The article draws one row; the pages draw rows
of a few columns (`per_row`), which a phone shows whole without scrolling sideways.
"""

from __future__ import annotations

from html import escape

COLUMN, GAP, BOX_H, ARROW, TOP, MARGIN = 150, 16, 58, 34, 64, 20
CONTACT_FILL = {"none": "#e5e7eb", "incidental": "#fde68a", "supervised": "#bbf7d0", "independent": "#86efac"}
CONTACT_TEXT = {"none": "No patient contact (observation)", "incidental": "Incidental patient contact",
                "supervised": "Supervised hands-on patient care", "independent": "Independent patient care"}


def _wrap(text: str, width: int = 20) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _box(x: float, y: float, text: str, fill: str) -> str:
    lines = _wrap(text)[:4]
    first = y + BOX_H / 2 - (len(lines) - 1) * 7
    spans = "".join(f'<tspan x="{x + COLUMN / 2}" y="{first + i * 14:.0f}">{escape(t)}</tspan>' for i, t in enumerate(lines))
    return (f'<rect x="{x}" y="{y}" width="{COLUMN}" height="{BOX_H}" rx="8" fill="{fill}" stroke="#374151"/>'
            f'<text text-anchor="middle" dominant-baseline="middle" font-size="12">{spans}</text>')


def _arrow(x: float, y: float) -> str:
    cx = x + COLUMN / 2
    return (f'<line x1="{cx}" y1="{y}" x2="{cx}" y2="{y + ARROW - 6}" stroke="#374151" stroke-width="2"/>'
            f'<polygon points="{cx - 5},{y + ARROW - 8} {cx + 5},{y + ARROW - 8} {cx},{y + ARROW}" fill="#374151"/>')


ROW_GAP = 28  # between rows of columns, when a figure is drawn in rows (narrow screens)
TITLE_PX, NOTE_PX = 9.6, 6.4  # the average width of a character of the title (16 px bold) and the note (11 px)


def _layout(figure: dict, per_row: int | None) -> tuple[int, int, int, list[str], list[str], int]:
    """(columns per row, width, height, title lines, note lines, top of the first row) of the
    figure drawn in rows of at most `per_row` columns (None: one row, as in the article)."""
    columns = figure["columns"]
    across = max(1, min(len(columns), per_row or len(columns)))
    rows = max(1, -(-len(columns) // across))
    where = figure.get("state_name")
    title = f"{where}: {figure['name']}" if where else f"Figure {figure['number']}: {figure['name']}"
    note = f"Visa, then {where or 'California'} authorization, then patient contact. Drawn from the knowledge base."
    width = MARGIN * 2 + across * COLUMN + (across - 1) * GAP
    titles = _wrap(title, max(20, int((width - 2 * MARGIN) / TITLE_PX)))
    notes = _wrap(note, max(30, int((width - 2 * MARGIN) / NOTE_PX)))
    top = 12 + 20 * len(titles) + 14 * len(notes) + 16
    height = top + rows * (3 * BOX_H + 2 * ARROW) + (rows - 1) * ROW_GAP + 30
    return across, width, height, titles, notes, top


def figure_size(figure: dict, per_row: int | None = None) -> tuple[int, int]:
    """The width and height of `draw_category(figure, per_row)`, for the page's <img>."""
    _, width, height, _, _, _ = _layout(figure, per_row)
    return width, height


def draw_category(figure: dict, per_row: int | None = None) -> str:
    """The SVG of `Engine.figure(category)`: one row of columns as in the article, or rows of at
    most `per_row` columns, which a narrow screen shows whole."""
    columns = figure["columns"]
    across, width, height, titles, notes, top = _layout(figure, per_row)
    title = escape(" ".join(titles))  # a state's own diagram is not the article's figure: it names the state
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
             f'aria-label="{title}">',
             f'<title>{title}</title>']
    parts += [f'<text x="{MARGIN}" y="{28 + 20 * i}" font-size="16" font-weight="bold">{escape(t)}</text>'
              for i, t in enumerate(titles)]
    parts += [f'<text x="{MARGIN}" y="{28 + 20 * (len(titles) - 1) + 20 + 14 * i}" font-size="11" fill="#4b5563">'
              f'{escape(t)}</text>' for i, t in enumerate(notes)]
    for i, c in enumerate(columns):
        row, place = divmod(i, across)
        x, y = MARGIN + place * (COLUMN + GAP), top + row * (3 * BOX_H + 2 * ARROW + ROW_GAP)
        parts.append(f'<g id="{escape(c["id"])}"><title>{escape(c["name"])}</title>')
        parts.append(_box(x, y, c["visa"], "#dbeafe"))
        parts.append(_arrow(x, y + BOX_H))
        parts.append(_box(x, y + BOX_H + ARROW, c["authorization"], "#ede9fe"))
        parts.append(_arrow(x, y + 2 * BOX_H + ARROW))
        parts.append(_box(x, y + 2 * (BOX_H + ARROW), CONTACT_TEXT[c["patient_contact"]], CONTACT_FILL[c["patient_contact"]]))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
