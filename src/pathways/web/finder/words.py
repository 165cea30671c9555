"""Plain words for the contract's codes, as the pages show them."""

from __future__ import annotations

from ...present.diagram import CONTACT_TEXT

STATUS = {"open": "Open", "needs-info": "Needs information", "blocked": "Blocked"}
REQUIREMENT = {"met": ("✓", "Met"), "unmet": ("✗", "Unmet"), "unknown": ("?", "Unknown")}
STEPS = {"step1": "Step 1", "step2ck": "Step 2 CK", "step3": "Step 3"}
STAGE = {"student": "A medical student", "graduate": "A graduate: I hold a medical degree"}
CONTACT_CHOICE = {
    "none": "None: observe only",
    "incidental": "Incidental: supervised contact, incidental to teaching or research",
    "supervised": "Supervised: hands-on care under a licensed physician",
    "independent": "Independent: practise on my own",
}
PAYER = {"person": "You", "host": "The host", "either": "You or the host"}


def choice_label(kb, fact: str, value: str) -> str:
    """The words for one choice of an enum fact."""
    if fact == "stage":
        return STAGE.get(value, value)
    if fact == "desired_contact":
        return CONTACT_CHOICE.get(value, value)
    if fact == "current_us_status":
        if value == "none":
            return "None: I am outside the United States"
        visa = kb.visas.get(value)
        return visa.name if visa else value
    return value.replace("-", " ").capitalize() if fact == "host_city" else value


def country_names(kb) -> dict[str, str]:
    return {m.code: m.name for m in kb.lists["countries"].members}


def shown(kb, definition, fact: str, text: str | None) -> str:
    """An answer as the person reads it back."""
    if text is None:
        return "I don't know"
    kind = definition.type if definition is not None else None
    if kind == "bool":
        return {"true": "Yes", "false": "No"}.get(text, text)
    if kind == "set":
        parts = [STEPS.get(p.strip(), p.strip()) for p in text.split(",") if p.strip()]
        return ", ".join(parts) if parts else "None"
    if kind == "codes":
        names = country_names(kb)
        return ", ".join(f"{names.get(c.strip(), c.strip())} ({c.strip()})" for c in text.split(",") if c.strip())
    if kind == "enum":
        return choice_label(kb, fact, text)
    return text


def contact(level: str) -> str:
    return CONTACT_TEXT.get(level, level)


def money(value) -> str:
    if value is None:
        return "not known"
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def money_range(low, high) -> str:
    if low == high:
        return money(low)
    return f"{money(low)} to {money(high)}"
