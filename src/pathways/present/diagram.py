"""The article's Figures 1 to 3 drawn from the knowledge base as SVG.

Each pathway of the category is a column, as in the article: the visa, an arrow to the
California authorization, an arrow to the patient contact it allows. Nothing is drawn
by hand: adding a pathway file adds a column.
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


def draw_category(figure: dict) -> str:
    """The SVG of `Engine.figure(category)`."""
    columns = figure["columns"]
    where = figure.get("state_name")
    # a state's own diagram is not the article's figure: it says which state it draws
    title = (f"{escape(where)}: {escape(figure['name'])}" if where else f"Figure {figure['number']}: {escape(figure['name'])}")
    width = MARGIN * 2 + len(columns) * COLUMN + max(len(columns) - 1, 0) * GAP
    height = TOP + 3 * BOX_H + 2 * ARROW + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
             f'aria-label="{title}">',
             f'<title>{title}</title>',
             f'<text x="{MARGIN}" y="28" font-size="16" font-weight="bold">{title}</text>',
             f'<text x="{MARGIN}" y="48" font-size="11" fill="#4b5563">Visa, then {escape(where or "California")} '
             f'authorization, then patient contact. Drawn from the knowledge base.</text>']
    for i, c in enumerate(columns):
        x, y = MARGIN + i * (COLUMN + GAP), TOP
        parts.append(f'<g id="{escape(c["id"])}"><title>{escape(c["name"])}</title>')
        parts.append(_box(x, y, c["visa"], "#dbeafe"))
        parts.append(_arrow(x, y + BOX_H))
        parts.append(_box(x, y + BOX_H + ARROW, c["authorization"], "#ede9fe"))
        parts.append(_arrow(x, y + 2 * BOX_H + ARROW))
        parts.append(_box(x, y + 2 * (BOX_H + ARROW), CONTACT_TEXT[c["patient_contact"]], CONTACT_FILL[c["patient_contact"]]))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
