"""The case page's letters: `{% case_letters case as letters %}` gives the kinds the case's
pathway needs (each with the plan steps it serves) and the letters issued on the case;
`{{ letters|for_step:item.step_id }}` the kinds that serve a checklist step."""

from __future__ import annotations

from django import template

from ..letters import kinds_for
from ..models import IssuedLetter

register = template.Library()


@register.simple_tag
def case_letters(case) -> dict:
    kinds = kinds_for(case)
    return {"kinds": kinds,
            "issued": list(IssuedLetter.objects.filter(case=case).select_related("issued_by")),
            "by_step": {step: [k for k in kinds if step in k["steps"]] for k in kinds for step in k["steps"]}}


@register.filter
def for_step(letters: dict, step_id: str) -> list[dict]:
    return (letters or {}).get("by_step", {}).get(step_id, [])
