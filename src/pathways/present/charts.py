"""The project's one way of drawing charts: grouped horizontal bars as SVG, written on the
server, so the same chart shows on a page (no script), prints, and goes into a PDF (WeasyPrint
runs no JavaScript). Colours keep 4.5:1 against white; every chart has a title and a description
for screen readers, and its numbers written beside the bars."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable, Sequence

PALETTE = ("#1d4ed8", "#b45309", "#047857", "#7c3aed")  # blue, orange, green, violet: 4.5:1 on white


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def grouped_bars(chart_id: str, title: str, description: str, groups: Sequence[tuple[str, Sequence[float]]],
                 series: Sequence[Series], label: Callable[[float], str] = lambda v: f"{v:,.0f}",
                 width: int = 720, left: int = 220, empty: str = "Nothing to show.", text: int = 13) -> str:
    """One group of bars per (label, values), one bar per series, with a legend. `text`: the
    font size in the chart's own units (a narrow chart, scaled up less, can use larger text)."""
    small = text - 2
    top, bar, gap, group_gap = 28 + text, text + 1, 2, text + 1
    group = len(series) * bar + (len(series) - 1) * gap + group_gap
    height = top + max(len(groups), 1) * group + 30
    largest = max([max(values) if values else 0 for _, values in groups] + [1.0])
    scale = (width - left - 90) / largest
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    x = left
    for s in series:
        parts.append(f'<rect x="{x}" y="8" width="{text - 1}" height="{text - 1}" fill="{s.colour}"/>'
                     f'<text x="{x + text + 5}" y="{8 + text - 2}" font-size="{text}" fill="#111">{escape(s.name)}</text>')
        x += 2 * text + 4 + int(0.6 * text * len(s.name))
    if not groups:
        parts.append(f'<text x="{left}" y="{top + 14}" font-size="{text}" fill="#111">{escape(empty)}</text>')
    for i, (name, values) in enumerate(groups):
        y = top + i * group
        parts.append(f'<text x="{left - 8}" y="{y + bar + 4}" font-size="{text}" text-anchor="end" fill="#111">'
                     f'{escape(name)}</text>')
        for j, (value, s) in enumerate(zip(values, series)):
            by = y + j * (bar + gap)
            w = max(value * scale, 1 if value else 0)
            parts.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar}" fill="{s.colour}"/>'
                         f'<text x="{left + w + 4:.1f}" y="{by + bar - 3}" font-size="{small}" fill="#111">'
                         f'{escape(label(value))}</text>')
    parts.append(f'<line x1="{left}" y1="{top - 6}" x2="{left}" y2="{height - 24}" stroke="#374151"/>')
    parts.append("</svg>")
    return "".join(parts)
