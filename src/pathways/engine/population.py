"""Populations for the simulator: profile files (JSON Lines, CSV, Parquet) read in chunks, and
synthetic populations drawn, seeded, from marginals kept as data (knowledge/populations/).

Every row is checked as a profile (docs/contract.md section 1); a bad row stops the run with its
line and field, never a guess. Rows come out as the checker's flat facts, with the keys the
simulator groups by (the person's country).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ..rules.profile import HOST, ProfileError

CHUNK = 20_000  # profiles per chunk: bounded memory whatever the file's size


class PopulationError(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def country_of(facts: dict) -> str | None:
    """The country a person is counted under: where they live, else their only (or first) nationality."""
    if facts.get("residence_country"):
        return facts["residence_country"]
    held = sorted(facts.get("citizenships") or ())
    return held[0] if held else None


class FactsChunk:
    """Checked people as flat facts, with the country each is counted under."""

    def __init__(self, facts: list[dict], countries=None):
        self.facts = facts
        self.n = len(facts)
        self.countries = np.array([country_of(f) or "unknown" for f in facts] if countries is None else countries,
                                  dtype=object)

    def __len__(self) -> int:
        return self.n

    def table(self, definitions, vocabularies):
        from .vector import ProfileTable

        return ProfileTable(self.facts, definitions, vocabularies)

    def profile(self, i: int) -> dict:
        return self.facts[i]

    def country_labels(self) -> tuple[tuple[str, ...], np.ndarray]:
        names, index = np.unique(self.countries.astype(str), return_inverse=True)
        return tuple(names), index


def read_population(path: Path, checker, chunk: int = CHUNK) -> Iterator[FactsChunk]:
    """Chunks of checked people from a JSON Lines, CSV or Parquet file."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise PopulationError([f"--population: no file {path}"])
    rows = {".jsonl": _jsonl, ".ndjson": _jsonl, ".json": _jsonl, ".csv": _csv, ".parquet": _parquet}.get(suffix)
    if rows is None:
        raise PopulationError([f"--population: {path.name}: accepted: .jsonl (JSON Lines), .csv or .parquet"])
    facts = []
    for number, data in rows(path, checker):
        try:
            facts.append(checker.check(data).facts)
        except ProfileError as error:
            raise PopulationError([f"--population: {path.name} row {number}: {p}" for p in error.problems]) from None
        if len(facts) >= chunk:
            yield FactsChunk(facts)
            facts = []
    if facts:
        yield FactsChunk(facts)


def _jsonl(path: Path, checker) -> Iterator[tuple[int, Any]]:
    from ..rules.nesting import loads_json

    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, loads_json(line)
            except (ValueError, ProfileError) as error:
                raise PopulationError([f"--population: {path.name} line {number}: not a JSON profile: {error}"]) from None


def _csv(path: Path, checker) -> Iterator[tuple[int, Any]]:
    """One column per profile field (`host.KEY` for the host's), lists separated by `;`,
    an empty cell unknown; each cell typed by the fact it names."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in reader.fieldnames or [] if c not in checker.facts]
        if unknown:
            raise PopulationError([f"--population: {path.name}: unknown column(s) {', '.join(unknown)}; "
                                   "accepted: the profile fields (host.KEY for the host's)"])
        for number, row in enumerate(reader, start=2):
            yield number, _typed_row(row, checker, f"{path.name} row {number}")


def _typed_row(row: dict, checker, where: str) -> dict:
    profile, problems = profile_from_cells(row, checker.facts)
    if problems:
        name, message = problems[0]
        raise PopulationError([f"--population: {where}: {name}: {message}"])
    return profile


def profile_from_cells(row: dict, facts) -> tuple[dict, list[tuple[str, str]]]:
    """A profile from cells named by profile fields (`host.KEY` for the host's; the workspace's
    CSV import and the simulator's CSV populations): an empty cell is unknown, lists are
    separated by `;`, each cell typed by the fact it names. (profile, [(column, problem)])."""
    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, text in row.items():
        if text is None or text.strip() == "" or name not in facts:
            continue
        try:
            value = _cell(text.strip(), facts[name])
        except ValueError as error:
            problems.append((name, str(error)))
            continue
        if name.startswith(HOST + "."):
            out.setdefault(HOST, {})[name[len(HOST) + 1:]] = value
        else:
            out[name] = value
    return out, problems


def _cell(text: str, definition):
    kind = definition.type
    if kind == "bool":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise ValueError(f"{text!r}; accepted: true or false")
    if kind == "number":
        try:
            return float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if kind in ("codes", "set"):
        return [part.strip() for part in text.split(";") if part.strip()]
    return text  # dates and choices: the checker reads and checks them


def _parquet(path: Path, checker) -> Iterator[tuple[int, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise PopulationError(["--population: reading Parquet needs pyarrow (pip install pyarrow)"]) from None
    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK):
        for row in batch.to_pylist():
            number += 1
            flat = {k: v for k, v in row.items() if v is not None}
            data: dict[str, Any] = {}
            for key, value in flat.items():
                if key not in checker.facts and key != HOST:
                    raise PopulationError([f"--population: {path.name}: unknown column {key}"])
                if isinstance(value, str) and checker.facts.get(key) is not None and checker.facts[key].type in ("codes", "set"):
                    value = [p.strip() for p in value.split(";") if p.strip()]
                if key.startswith(HOST + "."):
                    data.setdefault(HOST, {})[key[len(HOST) + 1:]] = value
                else:
                    data[key] = value
            yield number, data
