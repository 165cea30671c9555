"""The small template language of letters: Jinja2 in its immutable sandbox, with a few filters.

Clause texts are templates written in the knowledge base; what a coordinator types is never
rendered as a template (it is text, inserted as it is). Undefined names fail loudly, so a
template that reads a field its letter does not declare fails the lints, never a letter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterator

from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def long_date(day: date | None) -> str:
    """5 July 2027: a day no reader in any country can misread."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def usd(amount: float | int | Decimal | None) -> str:
    if amount is None:
        return ""
    value = float(amount)
    return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"


def number(value: float | int | Decimal | None) -> str:
    if value is None:
        return ""
    value = float(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def weeks_to(start: date, end: date) -> int:
    """Whole weeks from the first day to the last, both counted (5 July to 13 August: 6)."""
    return round(((end - start).days + 1) / 7)


@pass_context
def country(context, code: str | None) -> str:
    return context.get("countries", {}).get(code, code or "")


def contact_summary(weeks: list[dict], threshold_pct: float) -> dict:
    """Hours of patient contact against all hours logged, over the whole log and week by week."""
    hours = ("patient_contact_hours", "teaching_hours", "research_hours", "observation_hours")
    total = sum(sum(float(w.get(h) or 0) for h in hours) for w in weeks)
    patient = sum(float(w.get("patient_contact_hours") or 0) for w in weeks)

    def share(w):
        t = sum(float(w.get(h) or 0) for h in hours)
        return float(w.get("patient_contact_hours") or 0) / t * 100 if t else 0.0

    rows = [dict(w, total_hours=sum(float(w.get(h) or 0) for h in hours), share_pct=share(w)) for w in weeks]
    share_pct = patient / total * 100 if total else 0.0
    return {"weeks": rows, "patient_hours": patient, "total_hours": total, "share_pct": share_pct,
            "threshold_pct": threshold_pct, "crossed": share_pct > threshold_pct,
            "weeks_over": [r for r in rows if r["share_pct"] > threshold_pct]}


def lines(text: str | None) -> list[str]:
    """A field written one item a line (affiliated sites...), as a list of its non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


FILTERS = {"lines": lines, "long_date": long_date, "usd": usd, "number": number, "weeks_to": weeks_to, "country": country,
           "contact_summary": contact_summary}


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                                        lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=2048)
def _compiled(text: str):
    return environment().from_string(text)


@lru_cache(maxsize=512)
def _expression(text: str):
    return environment().compile_expression(text, undefined_to_none=False)


def render(text: str, context: dict[str, Any]) -> str:
    return _compiled(text).render(context).strip()


def holds(expression: str, context: dict[str, Any]) -> bool:
    return bool(_expression(expression)(**context))


def problem(text: str, expression: bool = False) -> str | None:
    """Why `text` does not parse as a template (or an expression), or None."""
    try:
        if expression:
            _expression(text)
        else:
            _compiled(text)
    except TemplateError as error:
        return f"not a valid {'expression' if expression else 'template'}: {error}"
    return None


def names_read(text: str, expression: bool = False) -> set[str]:
    """The dotted names a template reads from its context (`host.signatory.name`), without the
    names it sets itself ({% set %}, loop variables)."""
    ast = environment().parse("{{ " + text + " }}" if expression else text)
    local = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return {path for path in _paths(ast) if path.split(".")[0] not in local and path.split(".")[0] != "loop"}


def _paths(node: nodes.Node) -> Iterator[str]:
    if isinstance(node, (nodes.Getattr, nodes.Name)):
        chain, cur = [], node
        while isinstance(cur, nodes.Getattr):
            chain.append(cur.attr)
            cur = cur.node
        if isinstance(cur, nodes.Name):
            if cur.ctx == "load":
                yield ".".join([cur.name] + chain[::-1])
            return
        yield from _paths(cur)
        return
    for child in node.iter_child_nodes():
        yield from _paths(child)
