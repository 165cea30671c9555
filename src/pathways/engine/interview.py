"""The interview: which question to ask next, and when to stop.

It runs in three phases, each fact's `phase` in facts.yaml:

1. **wish**: the contact the person wants (`desired_contact`), first, because it weighs
   every question after it;
2. **eligibility**: the unknown fact whose answer settles the most requirements of the
   pathways still undecided (needs-info), weighing pathways that offer the contact the
   person wants three times. The phase ends as soon as no answer could change the best
   result: answers never close an open pathway (an unknown fact never opens one), so once
   no undecided pathway offers more patient contact than the best open one, nothing left
   to ask can improve it;
3. **planning**: the start date, the length of stay and the host's city, in the order of
   facts.yaml, so that the plan's dates and costs are the person's own. They are asked
   only where some pathway is within reach: not blocked, or blocked only on requirements
   a host or the person can arrange (facts of `kind: arrangement`).

A fact answered "I don't know" (skipped) is never asked again, in any phase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace, field
from typing import Any, Iterable, Mapping

from .compiled import Rules
from .evaluate import DEFAULT, evaluate, judge
from ..rules.profile import Profile
from ..rules.vocabulary import CONTACT_LEVELS

PHASES = ("wish", "eligibility", "planning")

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
    phase: str = "eligibility"  # wish, eligibility, programmes (which hosts would take you) or planning
    labels: Mapping[str, str] = field(default_factory=dict)  # value -> the words a page shows


@dataclass(frozen=True)
class Progress:
    """Where the interview stands: the next question (None when done), its phase, and why it ended."""

    question: Question | None
    asked: int  # facts answered or skipped so far
    remaining: int  # facts that could still matter, an upper bound on questions left
    done_because: str | None

    @property
    def phase(self) -> str | None:
        """The phase of the next question (wish, eligibility, planning); None when done."""
        return self.question.phase if self.question else None


# Arabic letters typed either way: alef maqsura for yeh, teh marbuta for heh, and the tatweel
# that only stretches a word (hamza and short vowels go with the accents, as combining marks)
_ARABIC_SPELLINGS = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})


def name_key(text: str) -> str:
    """A country's name as it is matched, in any script: without case, accents or punctuation,
    `&` read as `and`, `St` as `Saint`, a leading `The` dropped ("Côte d'Ivoire", "cote divoire"
    and "COTE D’IVOIRE" are one key; so are "Sénégal" and "senegal", "السودان" with or without
    its short vowels). Nothing looser: no spelling is guessed."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_ARABIC_SPELLINGS)
    text = re.sub(r"['’‘`´]", "", text.replace("&", " and "))
    words = re.sub(r"[\W_]+", " ", text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join("saint" if w == "st" else w for w in words)


def question_of(fact: str, definition, vocabularies: Mapping[str, frozenset],
                labels: Mapping[str, str] | None = None, score: float = 0.0) -> Question:
    """The question that asks `fact`: its words, its values in order and their labels
    (`labels` completes facts.yaml's own), and its phase."""
    words = {**(labels or {}), **definition.labels}
    return Question(fact, definition.question, definition.help, definition.type,
                    ordered_values(definition, vocabularies), score, _phase(definition) or "eligibility", words)


def ordered_values(definition, vocabularies: Mapping[str, frozenset]) -> tuple[str, ...]:
    """A choice's values in the order to show them: as facts.yaml lists them; contact
    levels least to most; `none` first, then the rest sorted."""
    if not definition.vocabulary:
        return tuple(definition.values)
    codes = vocabularies[definition.vocabulary]
    if definition.vocabulary == "contact-levels":
        return tuple(c for c in CONTACT_LEVELS if c in codes)
    return tuple((["none"] if "none" in codes else []) + sorted(codes - {"none"}))


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
    def __init__(self, rules: Rules, facts: Mapping[str, Any], vocabularies: Mapping[str, frozenset],
                 labels: Mapping[str, Mapping[str, str]] | None = None, jurisdictions=DEFAULT):
        """`labels`: the words of each fact's values where facts.yaml does not give them
        (visa names, country names), fact -> value -> words."""
        self.rules = rules
        self.jurisdictions = jurisdictions  # the states being evaluated: only their facts are asked
        self.facts = facts  # fact definitions (type, question, help, values...)
        self.vocabularies = vocabularies
        self.labels = labels or {}
        self.phases = {phase: [n for n, d in facts.items() if _phase(d) == phase] for phase in PHASES}
        self.askable = self.phases["eligibility"]  # chosen by what they settle
        self._eligible = set(self.askable)

    def _undecided(self, evaluation, skipped: set[str]):
        """Pathways that an eligibility answer could still settle (needing information, or blocked
        only on what can be arranged: "No, not yet" to an offer must not end the interview before
        the facts that decide the pathway are asked), and the best open contact."""
        best_open = max((r.pathway.contact_rank for r in evaluation.pathways if r.status == "open"), default=-1)
        undecided = []
        for r in evaluation.pathways:
            if r.status == "open" or (r.status == "blocked" and not all(self._arrangement(q) for q in r.missing("unmet"))):
                continue
            open_facts = {f for req in r.missing("unknown") for f in req.facts
                          if f in self._eligible and evaluation.profile.get(f) is None and f not in skipped}
            if open_facts and r.pathway.contact_rank > best_open:
                undecided.append((r, open_facts))
        return undecided, best_open

    def _arrangement(self, requirement) -> bool:
        kind = getattr(requirement, "kind", None)
        if kind is not None:
            return kind == "arrangement"
        return bool(requirement.facts) and all(
            getattr(self.facts.get(f), "kind", "eligibility") == "arrangement" for f in requirement.facts)

    def _programme_facts(self, evaluation, skipped: set[str]) -> list[str]:
        """Unknown eligibility facts that decide whether a host programme of an open or
        within-reach pathway would take the person (Stanford's takes final-year students)."""
        values = self.rules.evaluate(evaluation.profile.facts)
        found: list[str] = []
        for r in evaluation.pathways:
            if r.status == "needs-info" or (r.status == "blocked" and not all(self._arrangement(q) for q in r.missing("unmet"))):
                continue
            for g in r.pathway.programs:
                if values[g.slot] is None:
                    found += [f for f in g.facts if f in self._eligible and evaluation.profile.get(f) is None
                              and f not in skipped and f not in found]
        return sorted(found, key=self.askable.index)

    def _presumed_facts(self, evaluation, skipped: set[str]) -> list[str]:
        """Unanswered facts that facts.yaml reads as "no" when left out (`absent`: a green card, an
        earlier scholar programme) and whose answer would change some pathway's status: the
        evaluation rests on that reading, so the person is asked rather than presumed."""
        profile, found = evaluation.profile, []
        now = {r.pathway.id: r.status for r in evaluation.pathways}
        for name in self.askable:
            definition = self.facts[name]
            if not definition.absent or profile.get(name) is not None or name in skipped:
                continue
            for value in _presumption_tests(definition, self.rules.as_of):
                after = evaluate(self.rules, replace(profile, facts={**profile.facts, name: value}), self.jurisdictions)
                if any(now.get(r.pathway.id) != r.status for r in after.pathways):
                    found.append(name)
                    break
        return found

    def _within_reach(self, evaluation) -> bool:
        """Some pathway is open or undecided, or blocked only on what a host or the person can arrange."""
        return any(r.status != "blocked" or all(self._arrangement(req) for req in r.missing("unmet"))
                   for r in evaluation.pathways)

    def progress(self, profile: Profile, skipped: Iterable[str] = ()) -> Progress:
        skipped = set(skipped)

        def left(phase: str) -> list[str]:
            return [f for f in self.phases[phase] if profile.get(f) is None and f not in skipped]

        asked = sum(1 for phase in PHASES for f in self.phases[phase] if profile.get(f) is not None or f in skipped)
        evaluation = evaluate(self.rules, profile, self.jurisdictions)
        undecided, best_open = self._undecided(evaluation, skipped)
        candidates = sorted({f for _, facts in undecided for f in facts}, key=self.askable.index)
        wishes, planning = left("wish"), left("planning") if self._within_reach(evaluation) else []
        remaining = len(wishes) + len(candidates) + len(planning)
        if wishes:
            return Progress(self._question(wishes[0]), asked, remaining, None)
        if candidates:
            desired = profile.get("desired_contact")
            wanted = CONTACT_LEVELS.index(desired) if desired in CONTACT_LEVELS else 0
            scores = {f: self._score(f, profile, undecided, wanted) for f in candidates}
            best = max(candidates, key=lambda f: (scores[f], -self.askable.index(f)))
            return Progress(self._question(best, scores[best]), asked, remaining, None)
        presumed = self._presumed_facts(evaluation, skipped)
        if presumed:  # facts whose absence is taken as "no" (a green card): asked once it matters
            return Progress(self._question(presumed[0]), asked, remaining + len(presumed), None)
        hosts = self._programme_facts(evaluation, skipped)
        if hosts:  # where she could apply: the facts that decide which host programmes would take her
            return Progress(replace(self._question(hosts[0]), phase="programmes"), asked, remaining + len(hosts), None)
        if planning:
            return Progress(self._question(planning[0]), asked, remaining, None)
        if best_open >= 0:
            because = "a pathway with the most patient contact still possible is open"
        elif any(r.status == "needs-info" for r in evaluation.pathways):
            because = "no question left could decide a pathway"
        elif self._within_reach(evaluation):
            because = "a pathway is within reach: what it needs can be arranged, not answered"
        else:
            because = "no answer left could open a pathway"
        return Progress(None, asked, 0, because)

    def _question(self, fact: str, score: float = 0.0) -> Question:
        return question_of(fact, self.facts[fact], self.vocabularies, self.labels.get(fact, {}), score)

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
                closed = any(v is False and not self._arrangement(q)
                             for q, v in zip(after.pathway.requirements, after.statuses))
                if after.status == "open" or closed or after.unknown == 0:
                    settled += 2  # the pathway itself is decided: open, closed, or only arrangements left
                w = WANTED_WEIGHT if result.pathway.contact_rank >= wanted else 1.0
                # pathways nearer a decision count more: their answers end the interview sooner
                total += weight * w * settled / (1 + result.unknown)
        return total


def _presumption_tests(definition, as_of) -> list:
    """Answers that would undo the reading of a fact left out: yes to a yes/no, a recent date."""
    from datetime import timedelta

    if definition.type == "bool":
        return [True, False]
    if definition.type == "date":
        return [as_of - timedelta(days=30)]
    return []


def _phase(definition) -> str | None:
    """The fact's phase (facts.yaml `phase`; eligibility by default; None: never asked)."""
    return definition.phase or ("eligibility" if definition.eligibility else None)
