"""The reciprocity chart, as SVG written on the server: for each partner and year, the
dollars spent on inbound trainees beside those spent on outbound ones."""

from __future__ import annotations

from ...present.charts import Series, grouped_bars

INBOUND, OUTBOUND = "#1d4ed8", "#b45309"  # 4.5:1 against white


def _money(value: float) -> str:
    return f"${value / 1000:,.0f}k" if value >= 10_000 else f"${value:,.0f}"


def reciprocity_svg(rows, width: int = 720) -> str:
    """`rows`: ReciprocityRow (reports.reciprocity). Bars grouped per partner and year."""
    groups = [(f"{r.partner} {r.year}", [float(r.inbound_usd), float(r.outbound_usd)]) for r in rows]
    return grouped_bars("chart", "Dollars each way, per partner and year",
                        "For each partner and year, a blue bar for money spent on their trainees here (inbound) "
                        "and an orange bar for money spent on ours there (outbound).",
                        groups, [Series("Inbound", INBOUND), Series("Outbound", OUTBOUND)], _money, width,
                        empty="No exchanges recorded yet.")
