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

    def __init__(self, n: int, raw: dict[str, Raw], country: np.ndarray, codes: tuple[str, ...]):
        self.n, self.raw, self.facts = n, raw, None
        self.country_index, self.country_codes = country, codes  # each person's country, as an index into codes
        self._tables: dict = {}

    def country_labels(self) -> tuple[tuple[str, ...], np.ndarray]:
        return self.country_codes, self.country_index

    @property
    def countries(self) -> np.ndarray:
        return np.array(self.country_codes, dtype=object)[self.country_index]

    def __len__(self) -> int:
        return self.n

    def table(self, definitions, vocabularies) -> ProfileTable:
        """Built once per rule set's vocabularies: a baseline and a reform that share them share it."""
        key = tuple((k, tuple(sorted(v))) for k, v in sorted(vocabularies.items())) + (id(definitions),)
        if key not in self._tables:
            self._tables = {key: to_table(self, definitions, vocabularies)}
        return self._tables[key]

    def profile(self, i: int) -> dict:
        """Person `i` as flat facts (for tests and the people file)."""
        out = {}
        for name, r in self.raw.items():
            if not r.known[i]:
                continue
            v = r.values[i]
            out[name] = (bool(v) if r.kind == "bool" else float(v) if r.kind == "number" else r.options[int(v)])
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
            else np.zeros(n, dtype=np.int64)
        raw[name] = Raw(kind, values, np.zeros(n, dtype=bool), ())
    # sets and choices are kept as indexes into their options (a frozenset or a text each)
    set_options: dict[str, dict] = {name: {} for name, r in raw.items() if r.kind in ("set", "enum")}
    group = country * len(categories) + category
    for g in np.unique(group):
        rows = np.nonzero(group == g)[0]
        code, cat = codes[g // len(categories)], categories[g % len(categories)]
        _fill(raw, "citizenships", rows, np.zeros(len(rows), dtype=np.int64), set_options, frozenset({code}))
        raw["stage"].values[rows] = set_options["stage"].setdefault("student" if cat == "student" else "graduate",
                                                                    len(set_options["stage"]))
        raw["stage"].known[rows] = True
        for name, rule in rules[(code, cat)].items():
            _draw_fact(rng, raw[name], name, rule, rows, set_options)
    for name, options in set_options.items():
        raw[name].options = tuple(sorted(options, key=options.get))
    _consistent(raw)
    return ArrayChunk(n, raw, country, tuple(codes))


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
            index = [set_options[name].setdefault(str(o), len(set_options[name])) for o in options]
            r.values[rows] = np.array(index)[picks]
    elif "value" in rule:
        r.values[rows] = (set_options[name].setdefault(str(rule["value"]), len(set_options[name]))
                          if r.kind == "enum" else rule["value"])
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

    def code(r: Raw, text: str) -> int:
        if text not in r.options:
            r.options = r.options + (text,)
        return r.options.index(text)

    if enrolled is not None and status is not None:
        yes = enrolled.known & enrolled.values
        wrong = yes & ~(status.known & np.isin(status.values, [code(status, "f-1"), code(status, "j-1-student")]))
        status.values[wrong] = code(status, "f-1")
        status.known |= wrong
        for key in ("dean_approved_elective", "affiliation_agreement"):
            if f"{HOST}.{key}" in raw:
                raw[f"{HOST}.{key}"].known &= ~yes
    physician = status is not None and (status.known & (status.values == code(status, "j-1-alien-physician")))
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
    """The numpy evaluator's table of a chunk, coded for one rule set's vocabularies; a column is
    built when a test first reads it (a rule set reads a dozen facts of some forty)."""
    table = ProfileTable([], {}, {})
    table.n = chunk.n
    table.columns = _LazyColumns(chunk, definitions, vocabularies)
    return table


class _LazyColumns(dict):
    def __init__(self, chunk, definitions, vocabularies):
        super().__init__()
        self.chunk, self.definitions, self.vocabularies = chunk, definitions, vocabularies

    def __missing__(self, name: str) -> Column:
        column = self[name] = _column(self.chunk, name, self.definitions[name], self.vocabularies)
        return column


def _column(chunk: ArrayChunk, name: str, d, vocabularies) -> Column:
    r = chunk.raw.get(name)
    known = r.known if r is not None else np.zeros(chunk.n, dtype=bool)
    if d.type == "bool":
        values = r.values & known if r is not None else np.zeros(chunk.n, dtype=bool)
        return Column("bool", values, known)
    if d.type == "number":
        values = np.where(known, r.values, np.nan) if r is not None else np.full(chunk.n, np.nan)
        return Column("number", values, known)
    if d.type == "date":
        return Column("date", np.full(chunk.n, -1, dtype=np.int64), known)
    vocab = tuple(sorted(vocabularies[d.vocabulary] if d.vocabulary else d.values))
    index = {v: i for i, v in enumerate(vocab)}
    if d.type == "enum":
        codes = np.full(chunk.n, -1, dtype=np.int32)
        if r is not None and r.options:
            mapped = np.array([index.get(o, -1) for o in r.options], dtype=np.int32)
            codes = np.where(known, mapped[r.values], -1).astype(np.int32)
        return Column("text", codes, known, vocab)
    # kept per drawn option (a country, a set of USMLE steps): the tests read it per option
    options = tuple(tuple(index[item] for item in option if item in index) for option in (r.options if r else ()))
    rows = r.values if r is not None else np.zeros(chunk.n, dtype=np.int64)
    return Column("set", None, known, vocab, option_of_row=rows, options=options)
