"""`find` over a JSON Lines batch at the speed of the evaluation (issue 16).

Each output line is, to the byte, what a single `find` writes for its input line: the compact
JSON of `verdict_json` at the detail asked for, or `{"line": N, "errors": [...]}` for a line
that is not JSON or not a valid profile (tests/test_batch.py checks both). It is made
faster, not different:

- The lines of a batch share one day, so their profiles are evaluated together, a block at
  a time, over a numpy table (vector.py).
- A line depends only on the values of the compiled tests, on the facts that plan and cost
  (start date, length of stay, city, country of residence) and on the contact wanted; then,
  in full, on the values of the facts the requirements and programmes read (the line shows
  them), and in summary only on which of those are unknown (the facts to ask). Each
  profile's key is its row of those as bytes, and people with the same key share one line,
  built once.
- The first of each kind is composed, for all of a block's new kinds together, from pieces
  that people share (composer.py for summary, composer_full.py for full): a varied batch,
  where almost no two people share a line, costs little more than one where many do. The
  first line composed in each block is also made the plain way and compared: the builder
  that engine.find uses, with pathway texts kept per verdict as BatchWriter does (in summary
  from the builder's plans and costs without the rest of the verdict, brief.py). Should they
  ever differ, or the composer fail, the plain way makes every line from then on.
- A person with a start date is also told of policy events before it, read under the rules
  of the days they begin or end, so for them the key also holds the tests' values on those
  days.
- JSON is read and written by orjson (jsonbytes.py), and output leaves in blocks of bytes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Iterable, Iterator

import numpy as np

from ..rules.nesting import too_deep
from ..rules.profile import FieldProblem, ProfileError
from .brief import Briefs
from .block import Rows
from .composer import Composer
from .composer_full import FullComposer
from .evaluate import evaluate
from .jsonbytes import dumps, loads
from .report import DETAILS, _tail, pathway_json
from .vector import Column, ProfileTable, evaluate_table

BLOCK = 4096  # input lines evaluated together
WRITE = 2**20  # bytes of output joined at a time: large writes, without touching fresh memory for a whole block
JOINED = 2**16  # a line shorter than this is kept whole; a longer one as the pathways' texts it is spliced from
HELD = 256 * 2**20  # bytes of JSON kept for reuse; all of it is let go past this
COMPOSED = {"summary": BLOCK, "full": 1024}  # lines composed at once (a full line is some 170 KB)
PLANNING = ("start_date", "duration_weeks", "host_city", "desired_contact")  # and the country of residence


class BatchFind:
    def __init__(self, engine, as_of: date | None = None, state: str | None = None, detail: str = "full"):
        if detail not in DETAILS:
            raise ValueError(f"detail: {detail!r}; accepted: {', '.join(DETAILS)}")
        self.engine, self.detail = engine, detail
        self.day = engine.as_of(None, as_of)  # one day for the whole batch
        self.places = engine.jurisdictions(state)
        self.rules = engine.rules(self.day)
        self.builder = engine._builder(self.day)
        self.checker = engine.checker
        pathways = [p for p in self.rules.pathways if self.places is None or p.jurisdiction in self.places]
        read = dict.fromkeys(f for p in pathways for r in p.requirements for f in r.facts)
        if detail == "full":  # the line shows their values, and the programmes' intake reads theirs
            read.update(dict.fromkeys(f for p in pathways for g in p.programs for f in g.facts))
        self._read = tuple(read)
        self._event_days = _reach_days(self.builder)
        self._lines: dict[bytes, tuple[tuple[bytes, ...], int]] = {}  # key -> (the line's pieces, its length)
        self._texts: dict[int, tuple[object, bytes]] = {}  # id(pathway verdict) -> (it, its JSON)
        self._held = 0
        self._briefs = Briefs(self.builder, self.places) if detail == "summary" else None
        try:  # the fast way (composer.py), if it can follow report.py's texts
            self.composer = (Composer if detail == "summary" else FullComposer)(self.builder, self.places)
        except Exception as error:
            self.composer = _Unable(f"{type(error).__name__}: {error}")

    def run(self, lines: Iterable[str]) -> Iterator[tuple[bytes, int]]:
        """Blocks of output (a line for each input line that is not blank) and how many of their
        lines were invalid."""
        numbered: list[tuple[int, str]] = []
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            numbered.append((number, text))
            if len(numbered) >= BLOCK:
                yield from self._block(numbered)
                numbered = []
        if numbered:
            yield from self._block(numbered)

    # one block ------------------------------------------------------------------------

    def _block(self, numbered: list[tuple[int, str]]) -> Iterator[tuple[bytes, int]]:
        out, rows, profiles, invalid = self._read_block(numbered)
        if profiles:
            table, values, keys = self._keys(profiles)
            if self.composer.failed is None:
                self._compose(table, values, keys, profiles)
            for i, key, profile in zip(rows, keys, profiles):
                found = self._lines.get(key)
                if found is None:
                    found = self._line(profile, key)
                out[i] = found
        if self._held + (self._briefs.held if self._briefs else 0) > HELD:  # let go (`out` holds what is used)
            self._lines.clear()
            self._texts.clear()
            self._held = 0
            if self._briefs:
                self._briefs.texts.clear()
                self._briefs.held = 0
        group: list[bytes] = []
        length = 0
        for pieces, size in out:
            group.extend(pieces)
            length += size
            if length >= WRITE:
                yield b"".join(group), invalid
                group, length, invalid = [], 0, 0
        if group:
            yield b"".join(group), invalid

    def _read_block(self, numbered: list[tuple[int, str]]) -> tuple[list, list[int], list, int]:
        """The checked profiles and their places in the block; the error lines in theirs."""
        out: list = [None] * len(numbered)
        rows, profiles, invalid = [], [], 0
        check = self.checker.check
        for i, (number, text) in enumerate(numbered):
            try:
                try:
                    profile = check(loads(text))
                except ProfileError:  # refused: read again by json, whose values the messages show
                    profile = check(json.loads(text))  # (orjson reads integers past 64 bits as floats)
            except json.JSONDecodeError as error:
                problem = {"field": "(line)", "message": f"not valid JSON: {error.msg} at column {error.colno}"}
                out[i], invalid = _whole(json.dumps({"line": number, "errors": [problem]}).encode()), invalid + 1
            except ProfileError as error:
                out[i], invalid = _whole(_error_line(number, error.problems)), invalid + 1
            except RecursionError:  # json reads by recursion: a line nested a thousand levels deep
                out[i], invalid = _whole(_error_line(number, [FieldProblem("(profile)", too_deep())])), invalid + 1
            else:
                rows.append(i)
                profiles.append(profile)
        return out, rows, profiles, invalid

    def _compose(self, table: ProfileTable, values: np.ndarray, keys: list[bytes], profiles: list) -> None:
        """The lines of the first of each new key, composed for all of them at once (composer.py);
        the first is checked against the plain way's, which writes them all if they differ."""
        first: dict[bytes, int] = {}
        for i, key in enumerate(keys):
            if key not in first and key not in self._lines:
                first[key] = i
        if not first:
            return
        rows = np.fromiter(first.values(), dtype=np.intp, count=len(first))
        keys = list(first)
        step = COMPOSED[self.detail]
        for at in range(0, len(rows), step):
            some = rows[at:at + step]
            try:
                lines = self.composer.lines([profiles[i] for i in some.tolist()], values[some],
                                            Rows(table, some, self.rules, self.composer.registry))
            except Exception as error:  # the fast way failed (composer.py): the plain way writes them
                self.composer.failed = f"{type(error).__name__}: {error}"
                return
            first_one = profiles[int(some[0])]
            plain = b"".join(self._briefs.pieces(first_one) if self._briefs else self._full(first_one)) + b"\n"
            if plain != b"".join(lines[0][0]) or len(plain) != lines[0][1]:
                self.composer.failed = f"a composed line differs from the plain one, for {first_one.facts!r}"
                return
            for key, (pieces, size) in zip(keys[at:at + step], lines):
                self._lines[key] = (pieces, size)
                self._held += size

    def _keys(self, profiles) -> tuple[ProfileTable, np.ndarray, list[bytes]]:
        """The profiles' table, their tests' values, and each profile's key: its row, as bytes, of
        everything its line depends on."""
        table = ProfileTable([p.facts for p in profiles], self.checker.facts, self.checker.vocabularies)
        values = evaluate_table(self.rules, table)
        parts = [values.view(np.uint8)]
        starts = table.columns["start_date"].known
        if self._event_days and starts.any():
            for day in self._event_days:
                then = evaluate_table(self.engine.rules(day), table)
                then[~starts] = 0  # read only for those with a start date
                parts.append(then.view(np.uint8))
        parts += [_bytes(table.columns[name]) for name in PLANNING]
        parts.append(_residence(table))
        if self.detail == "full":
            parts += [_bytes(table.columns[name]) for name in self._read]
        else:  # only whether it is known, for the facts to ask
            parts += [table.columns[name].known.view(np.uint8)[:, None] for name in self._read]
        matrix = np.ascontiguousarray(np.concatenate(parts, axis=1))
        return table, values, matrix.view(np.dtype((np.void, matrix.shape[1]))).ravel().tolist()

    # the first line of each kind: as a single find builds and writes it --------------------

    def _line(self, profile, key: bytes) -> tuple[tuple[bytes, ...], int]:
        pieces = self._briefs.pieces(profile) if self._briefs else self._full(profile)
        pieces[-1] += b"\n"
        size = sum(map(len, pieces))
        if size < JOINED:
            pieces = [b"".join(pieces)]
            self._held += size
        found = self._lines[key] = (tuple(pieces), size)
        return found

    def _full(self, profile) -> list[bytes]:
        verdict = self.builder.verdict(evaluate(self.rules, profile, self.places))
        head = dumps({"as_of": verdict.as_of.isoformat(), "category": verdict.category})
        tail = dumps(_tail(verdict))
        pieces = [head[:-1] + b',"pathways":[']
        for n, p in enumerate(verdict.pathways):
            if n:
                pieces.append(b",")
            pieces.append(self._text(p))
        self._held += len(head) + len(tail)
        return pieces + [b"]," + tail[1:]]

    def _text(self, p) -> bytes:
        found = self._texts.get(id(p))
        if found is None or found[0] is not p:  # the verdict is kept, so its id is not reused
            found = self._texts[id(p)] = (p, dumps(pathway_json(p, self.detail)))
            self._held += len(found[1])
        return found[1]


class _Unable:
    """No composer: why (every line is written the plain way)."""

    composed = 0

    def __init__(self, failed: str):
        self.failed = failed


def _whole(line: bytes) -> tuple[tuple[bytes, ...], int]:
    return (line + b"\n",), len(line) + 1


def _reach_days(builder) -> tuple[date, ...]:
    """The days whose rules the builder reads to tell whether an event before a person's start
    date reaches them (Builder._reaches): those on which an event known on the builder's day
    begins, or ends with a known one taking over (the two cases of Builder.upcoming)."""
    begin, known, successors = builder.rules.as_of, builder._known, builder._successors
    found = set()
    for e in builder.rules.schedule:
        if e.id in known and begin < e.starts:
            found.add(e.starts)
        if e.ends is not None and begin <= e.ends and e.ends + timedelta(days=1) in successors:
            found.add(e.ends)
    return tuple(sorted(found))


def _bytes(column: Column) -> np.ndarray:
    """A column's values (and whether each is known) as rows of bytes: equal bytes, equal values."""
    known = column.known.view(np.uint8)[:, None]
    values = column.values
    if column.kind == "set":
        values = np.packbits(values, axis=1)
    elif values.ndim == 1:
        values = np.ascontiguousarray(values)[:, None]
    return np.concatenate([known, np.ascontiguousarray(values).view(np.uint8)], axis=1)


def _residence(table: ProfileTable) -> np.ndarray:
    """The country whose consular waits apply, as build.residence finds it: residence_country,
    else the only nationality (-1: neither), as bytes. Both facts use the countries' list."""
    given, held = table.columns["residence_country"], table.columns["citizenships"]
    if given.vocabulary != held.vocabulary:
        raise ValueError("residence_country and citizenships must share the countries' list")
    only = held.known & (held.held() == 1)
    country = np.where(given.known, given.values, np.where(only, held.values.argmax(axis=1), -1))
    return country.astype(np.int32)[:, None].view(np.uint8)


def _error_line(number: int, problems) -> bytes:
    data = {"line": number, "errors": [p.as_dict() for p in problems]}
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in what was refused: written as an escape
        return json.dumps(data).encode()
