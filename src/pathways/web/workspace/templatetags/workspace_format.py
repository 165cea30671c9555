"""Numbers and money as people read them, in one place for every workspace page:
`{{ 68250|money }}` is "$68,250", `{{ 1234|number }}` is "1,234", `{{ 24.5|number }}` "24.5"
(a whole number loses its ".0"). Anything that is not a number is shown as it is."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


@register.filter
def number(value, places: int = 1) -> str:
    """Thousands separated; up to `places` decimals, none when the number is whole."""
    found = _decimal(value)
    if found is None:
        return "" if value is None else str(value)
    rounded = found.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,}"


@register.filter
def money(value) -> str:
    """US dollars to the dollar: "$68,250"; "" for no value."""
    found = _decimal(value)
    if found is None:
        return "" if value is None else str(value)
    whole = int(found.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"-${-whole:,}" if whole < 0 else f"${whole:,}"

