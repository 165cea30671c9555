"""The reciprocity chart, as SVG written on the server: for each partner and year, the
dollars spent on inbound trainees beside those spent on outbound ones."""

from __future__ import annotations

from html import escape

INBOUND, OUTBOUND = "#1d4ed8", "#b45309"  # 4.5:1 against white


def _money(value: float) -> str:
    return f"${value / 1000:,.0f}k" if value >= 10_000 else f"${value:,.0f}"


def reciprocity_svg(rows, width: int = 720) -> str:
    """`rows`: ReciprocityRow (reports.reciprocity). Bars grouped per partner and year."""
    left, top, bar, gap, group_gap = 220, 40, 14, 2, 14
    group = 2 * bar + gap + group_gap
    height = top + max(len(rows), 1) * group + 30
    top_value = max([float(max(r.inbound_usd, r.outbound_usd)) for r in rows] + [1.0])
    scale = (width - left - 90) / top_value
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="chart">',
        '<title id="chart-title">Dollars each way, per partner and year</title>',
        '<desc id="chart-desc">For each partner and year, a blue bar for money spent on their trainees here '
        '(inbound) and an orange bar for money spent on ours there (outbound).</desc>',
        f'<rect x="{left}" y="8" width="12" height="12" fill="{INBOUND}"/>'
        f'<text x="{left + 18}" y="18" font-size="13" fill="#111">Inbound</text>',
        f'<rect x="{left + 100}" y="8" width="12" height="12" fill="{OUTBOUND}"/>'
        f'<text x="{left + 118}" y="18" font-size="13" fill="#111">Outbound</text>',
    ]
    if not rows:
        parts.append(f'<text x="{left}" y="{top + 14}" font-size="13" fill="#111">No exchanges recorded yet.</text>')
    for i, r in enumerate(rows):
        y = top + i * group
        parts.append(f'<text x="{left - 8}" y="{y + bar + 4}" font-size="13" text-anchor="end" fill="#111">'
                     f'{escape(r.partner)} {r.year}</text>')
        for j, (value, colour) in enumerate(((float(r.inbound_usd), INBOUND), (float(r.outbound_usd), OUTBOUND))):
            by = y + j * (bar + gap)
            w = max(value * scale, 1 if value else 0)
            parts.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
                         f'<text x="{left + w + 4:.1f}" y="{by + bar - 3}" font-size="11" fill="#111">{_money(value)}</text>')
    parts.append(f'<line x1="{left}" y1="{top - 6}" x2="{left}" y2="{height - 24}" stroke="#374151"/>')
    parts.append("</svg>")
    return "".join(parts)
