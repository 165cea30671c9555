"""The interview: which question to ask next, and when to stop.

The next question is the unknown fact whose answer settles the most requirements of the
pathways still undecided (needs-info), weighing pathways that offer the contact the
person wants three times; facts answered "I don't know" are not asked again. The
interview stops as soon as no answer could change the best result: answers never close
an open pathway (an unknown fact never opens one), so once no undecided pathway offers
more patient contact than the best open one, nothing left to ask can improve it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .compiled import Rules
from .evaluate import evaluate, judge
from ..rules.profile import Profile

WANTED_WEIGHT = 3.0
# What we expect people to answer, to weigh each possible answer of a question: most
# people who use the interview are outside the United States.
US_STATUS_PRIOR = {"none": 0.9}
COUNTRY_SAMPLES = ("KE", "NG", "SD", "IN", "GB", "AU", "CA", "MX")


@dataclass(frozen=True)
class Question:
    fact: str
    question: str
    help: str
    type: str
    values: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Progress:
    """Where the interview stands: the next question (None when done) and why."""

    question: Question | None
    asked: int  # facts answered or skipped so far
    remaining: int  # facts that could still matter, an upper bound on questions left
    done_because: str | None


def _candidate_values(fact: str, definition, rules: Rules, vocabularies) -> list[tuple[Any, float]]:
    """Representative answers with weights: each value of a yes/no or a choice, the sides
    of every threshold the rules compare a number with, a spread of nationalities."""
    if definition.type == "bool":
        return [(True, 0.5), (False, 0.5)]
    if definition.type == "enum":
        values = sorted(vocabularies[definition.vocabulary]) if definition.vocabulary else list(definition.values)
        if fact == "current_us_status":
            rest = (1 - US_STATUS_PRIOR["none"]) / max(len(values) - 1, 1)
            return [(v, US_STATUS_PRIOR.get(v, rest)) for v in values]
        return [(v, 1 / len(values)) for v in values]
    if definition.type == "set":
        return [(frozenset(definition.values[:i]), 1 / (len(definition.values) + 1)) for i in range(len(definition.values) + 1)]
    if definition.type == "codes":
        return [(frozenset({c}), 1 / len(COUNTRY_SAMPLES)) for c in COUNTRY_SAMPLES]
    if definition.type == "number":
        cuts = sorted(_thresholds(rules, fact)) or [0.0]
        points = [cuts[0] - 0.5] + [c + 0.5 for c in cuts] + [c for c in cuts]
        points = [max(p, definition.minimum or 0) for p in points]
        return [(float(p), 1 / len(points)) for p in points]
    return []


def _thresholds(rules: Rules, fact: str) -> set[float]:
    from ..rules.expression import Arith, Compare, Const, FactRef

    found: set[float] = set()

    def walk(node, scale=1.0):
        if isinstance(node, Compare):
            for a, b in ((node.left, node.right), (node.right, node.left)):
                if isinstance(a, FactRef) and a.name == fact and isinstance(b, Const) and isinstance(b.value, float):
                    found.add(b.value)
                if isinstance(a, Arith) and isinstance(a.left, FactRef) and a.left.name == fact \
                        and isinstance(a.right, Const) and isinstance(b, Const) and a.op == "*":
                    found.add(b.value / a.right.value)
        for child in getattr(node, "operands", ()) or ():
            walk(child)
        for name in ("operand", "left", "right"):
            if hasattr(node, name):
                walk(getattr(node, name))

    for tree in rules.trees:
        walk(tree)
    return found


class Interviewer:
    def __init__(self, rules: Rules, facts: Mapping[str, Any], vocabularies: Mapping[str, frozenset]):
        self.rules = rules
        self.facts = facts  # fact definitions (type, question, help, values...)
        self.vocabularies = vocabularies
        self.askable = [name for name, d in facts.items() if d.eligibility]

    def _undecided(self, evaluation, skipped: set[str]):
        """Needs-info pathways that an answer could still settle, and the best open contact."""
        best_open = max((r.pathway.contact_rank for r in evaluation.pathways if r.status == "open"), default=-1)
        undecided = []
        for r in evaluation.pathways:
            if r.status != "needs-info":
                continue
            open_facts = {f for req in r.missing("unknown") for f in req.facts
                          if evaluation.profile.get(f) is None and f not in skipped}
            if open_facts and r.pathway.contact_rank > best_open:
                undecided.append((r, open_facts))
        return undecided, best_open

    def progress(self, profile: Profile, skipped: Iterable[str] = ()) -> Progress:
        skipped = set(skipped)
        evaluation = evaluate(self.rules, profile)
        undecided, best_open = self._undecided(evaluation, skipped)
        asked = sum(1 for f in self.askable if profile.get(f) is not None or f in skipped)
        if not undecided:
            because = ("a pathway with the most patient contact still possible is open" if best_open >= 0
                       else "no answer left could open a pathway")
            return Progress(None, asked, 0, because)
        wanted = {"none": 0, "incidental": 1, "supervised": 2, "independent": 3}.get(profile.get("desired_contact"), 0)
        candidates = sorted({f for _, facts in undecided for f in facts}, key=self.askable.index)
        best = max(candidates, key=lambda f: (self._score(f, profile, undecided, wanted), -self.askable.index(f)))
        d = self.facts[best]
        values = tuple(sorted(self.vocabularies[d.vocabulary]) if d.vocabulary else d.values)
        question = Question(best, d.question, d.help, d.type, values, self._score(best, profile, undecided, wanted))
        return Progress(question, asked, len(candidates), None)

    def _score(self, fact: str, profile: Profile, undecided, wanted: int) -> float:
        """Expected number of undecided pathways' requirements the answer settles, weighted."""
        total = 0.0
        for value, weight in _candidate_values(fact, self.facts[fact], self.rules, self.vocabularies):
            answered = {**profile.facts, fact: value}
            values = self.rules.evaluate(answered)
            for result, _ in undecided:
                if fact not in {f for req in result.missing("unknown") for f in req.facts}:
                    continue
                after = judge(result.pathway, values)
                settled = sum(1 for before, now in zip(result.statuses, after.statuses) if before is None and now is not None)
                if after.status != "needs-info":
                    settled += 2  # the pathway itself is decided
                w = WANTED_WEIGHT if result.pathway.contact_rank >= wanted else 1.0
                # pathways nearer a decision count more: their answers end the interview sooner
                total += weight * w * settled / (1 + result.unknown)
        return total
