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
from .vector import ProfileTable, evaluate_table, pathway_statuses


@dataclass
class Side:
    """One rule set over the population: its rules and which of its pathways count."""

    rules: Rules
    columns: np.ndarray  # indexes of the counted pathways in rules.pathways
    ranks: np.ndarray  # their contact ranks
    vocabularies: dict
    facts: dict

    @classmethod
    def of(cls, engine, day: date, jurisdictions) -> "Side":
        rules = engine.rules(day)
        keep = [j for j, p in enumerate(rules.pathways) if jurisdictions is None or p.jurisdiction in jurisdictions]
        return cls(rules, np.array(keep, dtype=np.int64),
                   np.array([rules.pathways[j].contact_rank for j in keep], dtype=np.int64),
                   engine.checker.vocabularies, engine.kb.facts)

    def ids(self) -> list[str]:
        return [self.rules.pathways[j].id for j in self.columns]

    def evaluate(self, chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(open matrix people x counted pathways, best open contact rank per person, category index)."""
        table = chunk.table(self.facts, self.vocabularies)
        values = evaluate_table(self.rules, table)
        statuses = pathway_statuses(self.rules, values)[:, self.columns]
        opened = statuses == 0
        best = np.where(opened, self.ranks[None, :], -1).max(axis=1) if len(self.columns) else np.full(len(chunk), -1)
        category = np.full(len(chunk), -1, dtype=np.int64)
        for i, (_, slot) in enumerate(self.rules.categories):
            category = np.where((category < 0) & (values[:, slot] == 1), i, category)
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
        for rank, count in zip(*np.unique(b_best, return_counts=True)):
            tally.baseline_contact[_level(int(rank))] += int(count)
        for rank, count in zip(*np.unique(r_best, return_counts=True)):
            tally.reform_contact[_level(int(rank))] += int(count)
        up, down = r_best > b_best, r_best < b_best
        tally.gained += int(up.sum())
        tally.lost += int(down.sum())
        labels = {"category": np.array(categories + ["unknown"], dtype=object)[category],
                  "country": chunk.countries}
        labels["income_group"] = np.array([(income_groups or {}).get(c, "unknown") for c in chunk.countries], dtype=object)
        _groups(tally, labels, b_best, r_best, up, down)
        _why(tally, up, b_ids, r_ids, b_open, r_open)
        if people is not None:
            people(chunk, b_best, r_best, b_ids, r_ids, b_open, r_open)
        if on_chunk:
            on_chunk(len(chunk))
    return tally


def _groups(tally, labels: dict, before, after, up, down) -> None:
    """People, hands-on care before and after, gains and losses, per value of each label."""
    measures = {"people": np.ones(len(before), dtype=np.int64), "baseline_hands_on": before >= HANDS_ON,
                "reform_hands_on": after >= HANDS_ON, "gained": up, "lost": down}
    for kind, values in labels.items():
        keys, inverse = np.unique(values.astype(str), return_inverse=True)
        for measure, flags in measures.items():
            sums = np.bincount(inverse, weights=flags.astype(np.int64), minlength=len(keys))
            for key, total in zip(keys, sums):
                tally.groups.setdefault((kind, key), Counter())[measure] += int(total)


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
    }
    for kind in ("category", "country", "income_group"):
        out[f"by_{kind}"] = {key: dict(counter) for (k, key), counter in sorted(tally.groups.items()) if k == kind}
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
