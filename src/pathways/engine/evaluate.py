"""Evaluate one person against every pathway, in three values, with reasons.

A requirement is met, unmet or unknown; a pathway is open (all met), blocked (one
unmet) or needs-info (none unmet, some unknown). An unknown fact therefore never
opens a pathway. Results are ordered as the contract says: open, needs-info, blocked,
then more patient contact first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from datetime import date

from ..rules.vocabulary import DEFAULT_JURISDICTION

from ..rules.profile import Profile
from .compiled import CONTACT_RANK, CompiledPathway, CompiledRequirement, CompiledWarning, Rules, about_who_you_are

REQUIREMENT_STATUS = {True: "met", False: "unmet", None: "unknown"}
STATUS_RANK = {"open": 0, "needs-info": 1, "blocked": 2}
NEAREST_COUNT = 3


class PathwayResult(NamedTuple):
    """One pathway's verdict (a named tuple: thousands are made per second).

    `statuses` holds each requirement's value (True met, False unmet, None unknown),
    in the order of `pathway.requirements`; `values` is every test's value for the
    person, from which the warnings that apply are read.
    """

    pathway: CompiledPathway
    status: str
    statuses: tuple
    values: tuple
    unmet: int
    unknown: int

    @property
    def requirements(self) -> tuple[tuple[CompiledRequirement, str], ...]:
        """(requirement, met|unmet|unknown) for every requirement, in order."""
        return tuple(zip(self.pathway.requirements, [REQUIREMENT_STATUS[v] for v in self.statuses]))

    @property
    def warnings(self) -> tuple[CompiledWarning, ...]:
        """The warnings whose condition is not false for the person."""
        return tuple([w for w in self.pathway.warnings if self.values[w.slot] is not False])

    def missing(self, status: str) -> list[CompiledRequirement]:
        return [r for r, s in self.requirements if s == status]

    def sort_key(self):
        return (STATUS_RANK[self.status], -self.pathway.contact_rank, self.unmet, self.unknown, self.pathway.order)

    @property
    def for_others(self) -> bool:
        """Closed by who the person is (nationality, status, stage): never theirs to use."""
        if not self.unmet:
            return False
        who = self.pathway.__dict__.get("_who_you_are")  # worked out once per compiled pathway
        if who is None:
            who = tuple(i for i, r in enumerate(self.pathway.requirements)
                        if about_who_you_are(r.origin, r.kind, r.facts))
            object.__setattr__(self.pathway, "_who_you_are", who)  # frozen against changes to the rules, not to this
        statuses = self.statuses
        return any(statuses[i] is False for i in who)


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    category: str | None
    profile: Profile
    pathways: tuple[PathwayResult, ...]
    rules: Rules

    def find(self, pathway_id: str) -> PathwayResult | None:
        return next((r for r in self.pathways if r.pathway.id == pathway_id), None)

    def nearest(self) -> list[PathwayResult]:
        """The pathways closest to opening among those with the contact the person wants, leaving
        out those the person can never use (closed by nationality, status or stage)."""
        wanted = CONTACT_RANK.get(self.profile.get("desired_contact"), 0)
        candidates = [r for r in self.pathways if r.pathway.contact_rank >= wanted and not r.for_others]
        return sorted(candidates, key=lambda r: r.sort_key()[2:4] + (STATUS_RANK[r.status],))[:NEAREST_COUNT]


DEFAULT = frozenset({DEFAULT_JURISDICTION})


def category_of(rules: Rules, values: tuple) -> str | None:
    for category, slot in rules.categories:
        if values[slot] is True:
            return category
    return None


def evaluate(rules: Rules, profile: Profile, jurisdictions: frozenset[str] | None = DEFAULT) -> Evaluation:
    """Every pathway of the jurisdictions (California unless told; None: every one) that applies
    to the person's category."""
    values = rules.evaluate(profile.facts)
    category = category_of(rules, values)
    results = [judge(p, values) for p in rules.pathways if (category is None or category in p.categories)
               and (jurisdictions is None or p.jurisdiction in jurisdictions)]
    results.sort(key=PathwayResult.sort_key)
    return Evaluation(rules.as_of, category, profile, tuple(results), rules)


def judge(pathway: CompiledPathway, values: tuple) -> PathwayResult:
    """One pathway's verdict from the values of the compiled tests."""
    mine = pathway.pick(values)
    unmet, unknown = mine.count(False), mine.count(None)  # values are only True, False, None
    status = "blocked" if unmet else "needs-info" if unknown else "open"
    return PathwayResult(pathway, status, mine, values, unmet, unknown)
