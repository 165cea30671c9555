"""The one entry point the CLI, the API and the pages share.

`Engine` holds the knowledge base, the profile checker and the rules compiled per
date; `find` checks a profile and evaluates it, `find_batch` does many. Loaded with
`Engine.load()`, it reads the knowledge base only when a command needs it: `find`
runs from cached rules (rules/cache.py) without importing the schema.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

from ..rules.profile import Profile, ProfileChecker, ProfileError
from ..rules.vocabulary import CONTACT_LEVELS, VISAS
from .compiled import Rules
from .evaluate import Evaluation, PathwayResult, evaluate, judge


def _vocabularies(kb) -> dict[str, frozenset[str]]:
    from ..rules.assembly import list_members

    return {
        "countries": list_members(kb.lists["countries"], None),
        "visas-or-none": frozenset(VISAS) | {"none"},
        "contact-levels": frozenset(CONTACT_LEVELS),
    }


class Engine:
    def __init__(self, kb=None, *, root: Path | None = None, key: str | None = None):
        """With `kb`, everything in memory; without, loaded from `root` on demand and cached on disk under `key`."""
        self._kb = kb
        self._root = root
        self._key = key
        self._checker: ProfileChecker | None = None
        self._rules: dict[date, Rules] = {}

    @classmethod
    def load(cls, root: Path | None = None) -> "Engine":
        import os

        from ..rules.location import KNOWLEDGE_ROOT, fingerprint

        # PATHWAYS_KNOWLEDGE_DIR points at another copy (a contributor's draft, a test's)
        root = root or Path(os.environ.get("PATHWAYS_KNOWLEDGE_DIR") or KNOWLEDGE_ROOT)
        return cls(root=root, key=fingerprint(root))

    @property
    def kb(self):
        if self._kb is None:
            from ..rules.loader import load_knowledge

            self._kb = self._cached("knowledge", lambda: load_knowledge(self._root))
        return self._kb

    def _cached(self, name: str, build):
        if self._key is None:
            return build()
        from ..rules.cache import cached

        return cached(f"{name}-{self._key}", build)

    @property
    def checker(self) -> ProfileChecker:
        if self._checker is None:
            self._checker = self._cached("checker", lambda: ProfileChecker(self.kb.facts, _vocabularies(self.kb)))
        return self._checker

    def rules(self, as_of: date) -> Rules:
        if as_of not in self._rules:
            def build():
                from .rules import compile_rules

                return compile_rules(self.kb, as_of)

            self._rules[as_of] = self._cached(f"rules-{as_of.isoformat()}", build)
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

    def pathway_ids(self) -> list[str]:
        return [p.id for p in self.rules(date.today()).pathways]

    # The interview and the words of questions -------------------------------------------

    def next_question(self, profile: Profile, skipped: Iterable[str] = (), as_of: date | None = None):
        """Where the interview stands for this profile: the next question (None when done) and why.
        The pages and the API both ask through this, so they ask the same questions in the same order."""
        from .interview import Interviewer

        rules = self.rules(self.as_of(profile, as_of))
        return Interviewer(rules, self.kb.facts, self.checker.vocabularies).progress(profile, skipped)

    def facts(self) -> Mapping[str, Any]:
        """Every profile fact's definition: type, question, help, values and their labels."""
        return MappingProxyType(self.kb.facts)

    def vocabulary(self, name: str) -> frozenset[str]:
        """The codes a fact of that vocabulary accepts (countries, visas-or-none, contact-levels)."""
        return self.checker.vocabularies[name]

    def country_names(self) -> dict[str, str]:
        """ISO code -> the country's name, as the knowledge base's list gives it."""
        return {m.code: m.name for m in self.kb.lists["countries"].members}

    def find_batch(self, items: Iterable[Any], as_of: date | None = None) -> Iterator[Evaluation | ProfileError]:
        for data in items:
            try:
                yield self.find(data, as_of)
            except ProfileError as error:
                yield error
