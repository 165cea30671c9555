"""Synthetic populations drawn column by column with numpy: a million people in seconds.

The marginals (knowledge/populations/*.yaml) give, per category, each fact's probability or
distribution, with per-country overrides and the consistency rules of the file's header. People
are drawn by (country, category) group, each fact vectorised within the group; the result is a
set of raw columns that `to_table` turns into the numpy evaluator's table for a rule set's
vocabularies. The same seed gives the same people, whatever the chunk size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..rules.profile import HOST
from .vector import Column, ProfileTable

CHUNK = 200_000


@dataclass
class Raw:
    """One fact's drawn values for a chunk: kind, values, known (and the options of a set)."""

    kind: str  # bool | number | enum | set
    values: np.ndarray
    known: np.ndarray
    options: tuple = ()  # for sets: the tuple of frozensets that values index


class ArrayChunk:
    """A chunk of drawn people: their columns, countries and categories."""

    def __init__(self, n: int, raw: dict[str, Raw], countries: np.ndarray):
        self.n, self.raw, self.countries, self.facts = n, raw, countries, None

    def __len__(self) -> int:
        return self.n

    def table(self, definitions, vocabularies) -> ProfileTable:
        return to_table(self, definitions, vocabularies)

    def profile(self, i: int) -> dict:
        """Person `i` as flat facts (for tests and the people file)."""
        out = {}
        for name, r in self.raw.items():
            if not r.known[i]:
                continue
            v = r.values[i]
            out[name] = (bool(v) if r.kind == "bool" else float(v) if r.kind == "number"
                         else r.options[int(v)] if r.kind == "set" else str(v))
        return out


def _rules_for(marginals: dict, country: str, category: str) -> dict:
    """The category's rule for each fact, with the country's overrides: a fact directly under
    the country applies in every category, one under a category id in that category only; an
    override replaces the value part and keeps the category's p_unknown unless it gives its own."""
    rules = {name: dict(rule) for name, rule in marginals.get("facts", {}).get(category, {}).items()}
    overrides = marginals.get("by_country", {}).get(country, {})
    categories = set(marginals.get("categories", {}))
    merged = {k: v for k, v in overrides.items() if k not in categories}
    merged.update(overrides.get(category, {}))
    for name, rule in merged.items():
        base = rules.get(name, {})
        value = {k: v for k, v in rule.items() if k not in ("cite", "assumption", "note")}
        rules[name] = {**({"p_unknown": base["p_unknown"]} if "p_unknown" in base and "p_unknown" not in value else {}),
                       **value}
    return rules


def draw(marginals: dict, n: int, seed: int, definitions, chunk: int = CHUNK) -> Iterator[ArrayChunk]:
    rng = np.random.default_rng(seed)
    codes = [c["code"] for c in marginals["countries"]]
    weights = np.array([float(c["weight"]) for c in marginals["countries"]])
    categories = list(marginals["categories"])
    cat_weights = np.array([float(marginals["categories"][c]["weight"]) for c in categories])
    rules = {(c, k): _rules_for(marginals, c, k) for c in codes for k in categories}
    names = sorted({name for r in rules.values() for name in r} | {"citizenships", "stage"})
    done = 0
    while done < n:
        size = min(chunk, n - done)
        country = rng.choice(len(codes), size=size, p=weights / weights.sum())
        category = rng.choice(len(categories), size=size, p=cat_weights / cat_weights.sum())
        yield _chunk(rng, size, country, category, codes, categories, rules, names, definitions)
        done += size


def _chunk(rng, n, country, category, codes, categories, rules, names, definitions) -> ArrayChunk:
    raw: dict[str, Raw] = {}
    for name in names:
        d = definitions[name]
        kind = {"bool": "bool", "number": "number", "codes": "set", "set": "set"}.get(d.type, "enum")
        values = np.zeros(n, dtype=bool) if kind == "bool" else np.zeros(n) if kind == "number" \
            else np.zeros(n, dtype=np.int64) if kind == "set" else np.full(n, "", dtype=object)
        raw[name] = Raw(kind, values, np.zeros(n, dtype=bool), ())
    set_options: dict[str, dict] = {name: {} for name, r in raw.items() if r.kind == "set"}
    group = country * len(categories) + category
    for g in np.unique(group):
        rows = np.nonzero(group == g)[0]
        code, cat = codes[g // len(categories)], categories[g % len(categories)]
        _fill(raw, "citizenships", rows, np.zeros(len(rows), dtype=np.int64), set_options, frozenset({code}))
        raw["stage"].values[rows] = "student" if cat == "student" else "graduate"
        raw["stage"].known[rows] = True
        for name, rule in rules[(code, cat)].items():
            _draw_fact(rng, raw[name], name, rule, rows, set_options)
    for name, options in set_options.items():
        raw[name].options = tuple(sorted(options, key=options.get))
    _consistent(raw)
    return ArrayChunk(n, raw, np.array(codes, dtype=object)[country])


def _fill(raw, name, rows, picks, set_options, only) -> None:
    index = set_options[name].setdefault(only, len(set_options[name]))
    raw[name].values[rows] = index
    raw[name].known[rows] = True


def _draw_fact(rng, r: Raw, name: str, rule: dict, rows: np.ndarray, set_options) -> None:
    m = len(rows)
    known = rng.random(m) >= float(rule.get("p_unknown", 0))
    if "p" in rule:
        r.values[rows] = rng.random(m) < float(rule["p"])
    elif "values" in rule or "sets" in rule:
        table = rule.get("values") or rule.get("sets")
        options = list(table)
        weights = np.array([float(table[o]) for o in options])
        picks = rng.choice(len(options), size=m, p=weights / weights.sum())
        if r.kind == "set":
            index = [set_options[name].setdefault(frozenset(x for x in str(o).split(",") if x),
                                                   len(set_options[name])) for o in options]
            r.values[rows] = np.array(index)[picks]
        elif r.kind == "number":
            r.values[rows] = np.array([float(o) for o in options])[picks]
        else:
            r.values[rows] = np.array([str(o) for o in options], dtype=object)[picks]
    elif "value" in rule:
        r.values[rows] = rule["value"]
    else:
        return
    r.known[rows] = known


def _consistent(raw: dict[str, Raw]) -> None:
    """The marginals file's rules that independent draws cannot keep."""
    ecfmg, usmle = raw.get("ecfmg_certified"), raw.get("usmle_passed")
    if ecfmg is not None and usmle is not None:
        both = [i for i, o in enumerate(usmle.options) if {"step1", "step2ck"} <= o]
        if not both:
            usmle.options = usmle.options + (frozenset({"step1", "step2ck"}),)
            both = [len(usmle.options) - 1]
        bad = ecfmg.known & ecfmg.values & ~(usmle.known & np.isin(usmle.values, both))
        usmle.values[bad] = both[0]  # the least that certification needs: Step 1 and Step 2 CK
        usmle.known |= bad
    enrolled, status = raw.get("enrolled_in_us_school"), raw.get("current_us_status")
    if enrolled is not None and status is not None:
        yes = enrolled.known & enrolled.values
        wrong = yes & ~np.isin(status.values, ["f-1", "j-1-student"])
        status.values[wrong] = "f-1"
        status.known |= wrong
        for key in ("dean_approved_elective", "affiliation_agreement"):
            if f"{HOST}.{key}" in raw:
                raw[f"{HOST}.{key}"].known &= ~yes
    physician = status is not None and (status.known & (status.values == "j-1-alien-physician"))
    if status is not None and physician.any():
        for name, value in (("months_in_j_status_past_year", 12.0), ("j1_physician_years", None)):
            r = raw.get(name)
            if r is None:
                continue
            if value is None:
                r.values[physician] = np.maximum(np.where(r.known[physician], r.values[physician], 1.0), 1.0)
            else:
                r.values[physician] = value
            r.known |= physician


def to_table(chunk: ArrayChunk, definitions, vocabularies) -> ProfileTable:
    """The numpy evaluator's table of a chunk, coded for one rule set's vocabularies."""
    table = ProfileTable([], {}, {})
    table.n = chunk.n
    for name, d in definitions.items():
        r = chunk.raw.get(name)
        known = r.known if r is not None else np.zeros(chunk.n, dtype=bool)
        if d.type == "bool":
            values = r.values & known if r is not None else np.zeros(chunk.n, dtype=bool)
            table.columns[name] = Column("bool", values, known)
        elif d.type == "number":
            values = np.where(known, r.values, np.nan) if r is not None else np.full(chunk.n, np.nan)
            table.columns[name] = Column("number", values, known)
        elif d.type == "date":
            table.columns[name] = Column("date", np.full(chunk.n, -1, dtype=np.int64), known)
        else:
            vocab = tuple(sorted(vocabularies[d.vocabulary] if d.vocabulary else d.values))
            index = {v: i for i, v in enumerate(vocab)}
            if d.type == "enum":
                codes = np.full(chunk.n, -1, dtype=np.int32)
                if r is not None:
                    uniques, inverse = np.unique(r.values.astype(str), return_inverse=True)
                    mapped = np.array([index.get(u, -1) for u in uniques], dtype=np.int32)
                    codes = np.where(known, mapped[inverse], -1).astype(np.int32)
                table.columns[name] = Column("text", codes, known, vocab)
            else:
                matrix = np.zeros((chunk.n, len(vocab)), dtype=bool)
                if r is not None and r.options:
                    membership = np.zeros((len(r.options), len(vocab)), dtype=bool)
                    for i, option in enumerate(r.options):
                        for item in option:
                            if item in index:
                                membership[i, index[item]] = True
                    matrix = membership[r.values] & known[:, None]
                table.columns[name] = Column("set", matrix, known, vocab)
    return table
