"""The rules in force on one date, compiled once and evaluated for many people.

`compile_rules(kb, as_of)` assembles every pathway's requirements and warnings for that
day (policy events included), binds each test to the day's code lists and the
pathway's visa, de-duplicates identical tests, and compiles them all into one function
(`rules/scalar.py`). The same bound trees feed the numpy evaluator.
"""

from __future__ import annotations

from datetime import date

from ..rules import schema
from ..rules.assembly import active_events, requirements_for, warnings_for
from ..rules.expression import bind, facts_used, parse
from ..rules.lint import bind_context
from .compiled import CONTACT_RANK, CompiledPathway, CompiledRequirement, CompiledWarning, Rules


class _Slots:
    def __init__(self):
        self.index: dict = {}
        self.trees: list = []

    def add(self, tree) -> int:
        if tree not in self.index:
            self.index[tree] = len(self.trees)
            self.trees.append(tree)
        return self.index[tree]


def compile_rules(kb, as_of: date) -> Rules:
    slots = _Slots()
    events = active_events(kb, as_of)
    labels = {k: s.label for k, s in kb.sources.items()}

    def bound(text, visa, lists):
        return bind(parse(text), bind_context(kb, visa, lists, as_of), text)[0]

    category_slots = tuple((c.id, slots.add(bound(c.test, None, None))) for c in kb.categories.values())
    pathways = []
    for order, p in enumerate(kb.pathways.values()):
        visa = kb.visas[p.visa]
        parts, conflicts = requirements_for(kb, p, events)
        if conflicts:
            raise ValueError("; ".join(conflicts))
        requirements = [_category_requirement(kb, p, slots, bound, labels)]
        for part in parts:
            r = part.item
            tree = bound(r.test, visa, part.lists)
            requirements.append(CompiledRequirement(
                r.id, r.text, tuple(r.cite), tuple(labels[c] for c in r.cite), facts_used(tree),
                part.origin, r.article_says, r.unverified, slots.add(tree)))
        warnings = tuple(
            CompiledWarning(w.item.id, w.item.text, tuple(labels[c] for c in w.item.cite), w.origin,
                            slots.add(bound(w.item.when, visa, w.lists)))
            for w in warnings_for(kb, p, events)
        )
        pathways.append(CompiledPathway(
            p.id, p.name, p.visa, p.authorization, p.route, p.patient_contact,
            CONTACT_RANK[p.patient_contact], tuple(p.categories), tuple(requirements), warnings, order,
            tuple(r.slot for r in requirements)))
    return Rules(as_of, tuple(pathways), category_slots, tuple(slots.trees),
                 tuple(e.id for e in events), kb.last_checked())


def _category_requirement(kb, p: schema.Pathway, slots: _Slots, bound, labels) -> CompiledRequirement:
    """A pathway is for the article's categories it appears under (Figures 1 to 3)."""
    definitions = [kb.categories[c] for c in p.categories]
    text = " or ".join(f"({d.test})" for d in definitions)
    tree = bound(text, None, None)
    cites = tuple(dict.fromkeys(c for d in definitions for c in d.cite))
    names = "; or ".join(d.name.lower() for d in definitions)
    sentence = f"This pathway is for an {names}." if names[0] in "aeiou" else f"This pathway is for a {names}."
    return CompiledRequirement("category", sentence, cites, tuple(labels[c] for c in cites),
                               facts_used(tree), "category", None, False, slots.add(tree))
