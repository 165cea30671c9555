"""The reform simulator: one population, two rule sets (a baseline and a reform, or two dates),
counted with the numpy evaluator (engine/vector.py) in chunks, so memory stays bounded.

For each person the best open contact (-1: nothing open) is taken under each rule set; the
counts follow docs/contract.md section 6: people for whom each pathway is open, people by their
best open contact (`none` also counts people with nothing open), and how many gained or lost.
By category, country and income group follow, and each person's difference can be written out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Iterator

import numpy as np

from ..rules.vocabulary import CONTACT_LEVELS
from .compiled import Rules
from .vector import truths


@dataclass
class Side:
    """One rule set over the population: its rules and which of its pathways count."""

    rules: Rules
    columns: np.ndarray  # indexes of the counted pathways in rules.pathways
    ranks: np.ndarray  # their contact ranks
    vocabularies: dict
    facts: dict
    slots: tuple = ()  # the tests a status reads: the categories' and the counted pathways' requirements

    @classmethod
    def of(cls, engine, day: date, jurisdictions) -> "Side":
        rules = engine.rules(day)
        keep = [j for j, p in enumerate(rules.pathways) if jurisdictions is None or p.jurisdiction in jurisdictions]
        slots = sorted({slot for _, slot in rules.categories}
                       | {r.slot for j in keep for r in rules.pathways[j].requirements})
        return cls(rules, np.array(keep, dtype=np.int64),
                   np.array([rules.pathways[j].contact_rank for j in keep], dtype=np.int64),
                   engine.checker.vocabularies, engine.kb.facts, tuple(slots))

    def ids(self) -> list[str]:
        return [self.rules.pathways[j].id for j in self.columns]

    def evaluate(self, chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(open matrix people x counted pathways, best open contact rank per person, category index).
        A pathway is open where every one of its requirements is true (categories included)."""
        table = chunk.table(self.facts, self.vocabularies)
        true = truths(self.rules, table)
        n = len(chunk)
        opened = np.empty((n, len(self.columns)), dtype=bool)
        for k, j in enumerate(self.columns):
            requirements = self.rules.pathways[j].requirements
            acc = true(requirements[0].slot).copy()
            for r in requirements[1:]:
                acc &= true(r.slot)
            opened[:, k] = acc
        best = np.full(n, -1, dtype=np.int64)
        for k in np.argsort(self.ranks, kind="stable"):  # least contact first: the most contact is written last
            best[opened[:, k]] = self.ranks[k]
        category = np.full(n, -1, dtype=np.int64)
        for i, (_, slot) in enumerate(self.rules.categories):
            category[(category < 0) & true(slot)] = i
        return opened, best, category


@dataclass
class Tally:
    population: int = 0
    baseline_open: Counter = field(default_factory=Counter)
    reform_open: Counter = field(default_factory=Counter)
    baseline_contact: Counter = field(default_factory=Counter)
    reform_contact: Counter = field(default_factory=Counter)
    gained: int = 0
    lost: int = 0
    gained_hands_on: int = 0  # people for whom supervised or independent care opens
    groups: dict = field(default_factory=dict)  # (kind, key) -> Counter(baseline_hands_on, reform_hands_on, gained, lost, people)
    why: Counter = field(default_factory=Counter)  # pathway ids newly open for people who gained


HANDS_ON = CONTACT_LEVELS.index("supervised")  # supervised or independent: hands-on care


def _level(rank: int) -> str:
    return CONTACT_LEVELS[max(rank, 0)]


def simulate(chunks: Iterable, baseline: Side, reform: Side, on_chunk: Callable[[int], None] | None = None,
             people: Callable | None = None, income_groups: dict | None = None) -> Tally:
    """Count a population given in chunks (engine/population.py's FactsChunk, engine/synthetic.py's
    ArrayChunk) under both sides."""
    tally = Tally()
    b_ids, r_ids = baseline.ids(), reform.ids()
    categories = [c for c, _ in baseline.rules.categories]
    for chunk in chunks:
        b_open, b_best, category = baseline.evaluate(chunk)
        r_open, r_best, _ = reform.evaluate(chunk)
        tally.population += len(chunk)
        for j, pid in enumerate(b_ids):
            tally.baseline_open[pid] += int(b_open[:, j].sum())
        for j, pid in enumerate(r_ids):
            tally.reform_open[pid] += int(r_open[:, j].sum())
        for best, counter in ((b_best, tally.baseline_contact), (r_best, tally.reform_contact)):
            for rank, count in enumerate(np.bincount(best + 1, minlength=len(CONTACT_LEVELS) + 1)):
                if count:
                    counter[_level(rank - 1)] += int(count)
        up, down = r_best > b_best, r_best < b_best
        tally.gained += int(up.sum())
        tally.lost += int(down.sum())
        tally.gained_hands_on += int(((r_best >= HANDS_ON) & (b_best < HANDS_ON)).sum())
        names, index = chunk.country_labels()
        groups = income_groups or {}
        labels = {"category": (tuple(categories) + ("unknown",), category),  # -1 (unknown) is the last name
                  "country": (names, index),
                  "income_group": _regroup(names, index, lambda c: groups.get(c, "unknown"))}
        _groups(tally, labels, b_best, r_best, up, down)
        _why(tally, up, b_ids, r_ids, b_open, r_open)
        if people is not None:
            people(chunk, b_best, r_best, b_ids, r_ids, b_open, r_open)
        if on_chunk:
            on_chunk(len(chunk))
    return tally


def _regroup(names, index, group_of):
    """Labels grouped further (countries into income groups): (group names, each person's group)."""
    groups = sorted({group_of(n) for n in names})
    lookup = np.array([groups.index(group_of(n)) for n in names], dtype=np.int64)
    return tuple(groups), lookup[index]


def _groups(tally, labels: dict, before, after, up, down) -> None:
    """People, hands-on care before and after, gains and losses, per value of each label
    (label: names, and each person's index into them; -1 is the last name)."""
    measures = {"people": None, "baseline_hands_on": before >= HANDS_ON,
                "reform_hands_on": after >= HANDS_ON, "gained": up, "lost": down}
    for kind, (names, index) in labels.items():
        index = np.where(index < 0, len(names) - 1, index)
        for measure, flags in measures.items():
            # counting the rows that have the flag is cheaper than weighting every row
            sums = np.bincount(index if flags is None else index[flags], minlength=len(names))
            for key, total in zip(names, sums):
                counter = tally.groups.setdefault((kind, key), Counter({m: 0 for m in measures}))
                counter[measure] += int(total)


def _why(tally, up, b_ids, r_ids, b_open, r_open) -> None:
    """For people who gained: the pathways open under the reform that were not open before."""
    if not up.any():
        return
    before = {pid: b_open[:, j] for j, pid in enumerate(b_ids)}
    for j, pid in enumerate(r_ids):
        newly = r_open[:, j] & up & ~before.get(pid, np.zeros(len(up), dtype=bool))
        if newly.any():
            tally.why[pid] += int(newly.sum())


def report(tally: Tally, as_of: date, second: dict, baseline_ids: list[str], reform_ids: list[str]) -> dict:
    """The contract's JSON (section 6), and more keys after it."""
    pathways = list(dict.fromkeys([*baseline_ids, *reform_ids]))
    out = {
        "population": tally.population,
        "as_of": as_of.isoformat(),
        "baseline": {"as_of": as_of.isoformat()},
        "reform": second,
        "by_pathway": {pid: {"baseline": tally.baseline_open.get(pid, 0), "reform": tally.reform_open.get(pid, 0)}
                       for pid in pathways},
        "by_contact": {level: {"baseline": tally.baseline_contact.get(level, 0), "reform": tally.reform_contact.get(level, 0)}
                       for level in CONTACT_LEVELS},
        "gained": tally.gained,
        "lost": tally.lost,
        "gained_hands_on": tally.gained_hands_on,
    }
    for kind in ("category", "country", "income_group"):
        out[f"by_{kind}"] = {key: dict(counter) for (k, key), counter in sorted(tally.groups.items())
                             if k == kind and counter["people"]}
    out["gained_through"] = dict(tally.why.most_common())
    return out


def chunked(rows: Iterator, size: int) -> Iterator[list]:
    block = []
    for row in rows:
        block.append(row)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block
