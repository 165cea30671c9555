"""The one entry point the CLI, the API and the pages share.

`Engine` holds the knowledge base, the profile checker and the rules compiled per
date; `find` checks a profile and evaluates it, `find_batch` does many.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Iterator

from ..rules.assembly import list_members
from ..rules.loader import Knowledge
from ..rules.profile import Profile, ProfileChecker, ProfileError
from ..rules.vocabulary import CONTACT_LEVELS, VISAS
from .evaluate import Evaluation, PathwayResult, evaluate, judge
from .rules import Rules, compile_rules


class Engine:
    def __init__(self, kb: Knowledge):
        self.kb = kb
        vocabularies = {
            "countries": list_members(kb.lists["countries"], None),
            "visas-or-none": frozenset(VISAS) | {"none"},
            "contact-levels": frozenset(CONTACT_LEVELS),
        }
        self.checker = ProfileChecker(kb.facts, vocabularies)
        self._rules: dict[date, Rules] = {}

    @classmethod
    def load(cls) -> "Engine":
        from ..rules.cache import load_cached

        return cls(load_cached())

    def rules(self, as_of: date) -> Rules:
        if as_of not in self._rules:
            self._rules[as_of] = compile_rules(self.kb, as_of)
        return self._rules[as_of]

    def check(self, data: Any) -> Profile:
        """A valid profile, or ProfileError naming each bad field."""
        return self.checker.check(data)

    def as_of(self, profile: Profile, as_of: date | None) -> date:
        """The contract's default: the given date, else the profile's start_date, else today."""
        return as_of or profile.get("start_date") or date.today()

    def find(self, data: Any, as_of: date | None = None) -> Evaluation:
        profile = data if isinstance(data, Profile) else self.check(data)
        return evaluate(self.rules(self.as_of(profile, as_of)), profile)

    def explain(self, profile: Profile, pathway_id: str, as_of: date | None = None) -> PathwayResult:
        """One pathway's verdict, whatever the person's category; KeyError if unknown."""
        rules = self.rules(self.as_of(profile, as_of))
        pathway = next((p for p in rules.pathways if p.id == pathway_id), None)
        if pathway is None:
            raise KeyError(pathway_id)
        return judge(pathway, rules.evaluate(profile.facts))

    def find_batch(self, items: Iterable[Any], as_of: date | None = None) -> Iterator[Evaluation | ProfileError]:
        for data in items:
            try:
                yield self.find(data, as_of)
            except ProfileError as error:
                yield error
