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


def draw_category(kb, category: str) -> str:
    definition = kb.categories[category]
    pathways = [p for p in kb.pathways.values() if category in p.categories]
    width = MARGIN * 2 + len(pathways) * COLUMN + max(len(pathways) - 1, 0) * GAP
    height = TOP + 3 * BOX_H + 2 * ARROW + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
             f'aria-label="Figure {definition.figure}: {escape(definition.name)}">',
             f'<title>Figure {definition.figure}: {escape(definition.name)}</title>',
             f'<text x="{MARGIN}" y="28" font-size="16" font-weight="bold">Figure {definition.figure}. '
             f'{escape(definition.name)}</text>',
             f'<text x="{MARGIN}" y="48" font-size="11" fill="#4b5563">Visa, then California authorization, '
             f'then patient contact. Drawn from the knowledge base.</text>']
    for i, p in enumerate(pathways):
        x, y = MARGIN + i * (COLUMN + GAP), TOP
        visa, auth = kb.visas.get(p.visa), kb.authorizations.get(p.authorization)
        parts.append(f'<g id="{escape(p.id)}"><title>{escape(p.name)}</title>')
        parts.append(_box(x, y, visa.name if visa else p.visa, "#dbeafe"))
        parts.append(_arrow(x, y + BOX_H))
        auth_name = auth.name if auth else p.authorization
        if auth and p.route:
            auth_name = next((r.name for r in auth.routes if r.id == p.route), auth_name)
        parts.append(_box(x, y + BOX_H + ARROW, auth_name, "#ede9fe"))
        parts.append(_arrow(x, y + 2 * BOX_H + ARROW))
        parts.append(_box(x, y + 2 * (BOX_H + ARROW), CONTACT_TEXT[p.patient_contact], CONTACT_FILL[p.patient_contact]))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
