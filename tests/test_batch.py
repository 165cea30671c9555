"""`find --batch` writes, line for line and byte for byte, what single finds write (issue 16).

The batch evaluates a block of profiles at once and shares a line between people whose
lines must be equal (engine/batch.py); these tests hold it to the text of
`verdict_json` of a single `find` (the compact JSON the batch has always written), at
both details, for a few hundred varied profiles on days with and without policy events
ahead, and to the error lines of the lines that are not profiles.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date, timedelta

import numpy as np
import pytest

from pathways import Engine, ProfileError, verdict_json

from .profiles import COUNTRIES
from .test_properties import _random_profile

# days with events known ahead (2025-10-01, 2025-12-20: the key holds those days' tests) and without
DAYS = [date(2025, 10, 1), date(2025, 12, 20), date(2026, 3, 1)]
INVALID = [
    "not json",
    '{"stage": "surgeon"}',
    '{"stage": "student", "colour": "blue"}',
    '["a", "list"]',
    '{"postgraduate_years": NaN}',
    '{"stage": 123456789012345678901234567890}',  # orjson would read it as a float
    '{"postgraduate_years": 1e400}',
    '{"host": {"observership": "yes"}, "citizenships": ["ke"]}',
    '{"citizenships": ' + "[" * 40 + "]" * 40 + "}",
    '{"start_date": "2026-02-30", "duration_weeks": -1}',
    '{"stage": "student",}',
    '{"\\ud800": 1}',
]


def _contract(facts: dict) -> dict:
    """Flat profile facts as the contract's JSON (host.x under host, sets as lists, ISO dates)."""
    out: dict = {}
    for name, value in facts.items():
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, date):
            value = value.isoformat()
        if name.startswith("host."):
            out.setdefault("host", {})[name[5:]] = value
        else:
            out[name] = value
    return out


def _alike(rng) -> dict:
    """A profile from a small space, so that many people share a line (and the cache is used)."""
    profile = {"citizenships": [str(rng.choice(COUNTRIES[:6]))], "stage": str(rng.choice(["student", "graduate"]))}
    if profile["stage"] == "graduate":
        profile["postgraduate_years"] = int(rng.integers(0, 5))
    else:
        profile["final_year"] = bool(rng.integers(2))
    if rng.random() < 0.5:
        profile["start_date"] = (date(2025, 10, 5) + timedelta(days=int(rng.integers(0, 3)) * 45)).isoformat()
        profile["duration_weeks"] = int(rng.choice([4, 8]))
    if rng.random() < 0.3:
        profile["desired_contact"] = str(rng.choice(["supervised", "independent"]))
    return profile


@pytest.fixture(scope="module")
def lines(kb) -> list[str]:
    engine = Engine(kb)
    rng = np.random.default_rng(16)
    varied = [json.dumps(_contract(_random_profile(engine, rng))) for _ in range(160)]
    alike = [json.dumps(_alike(rng)) for _ in range(160)]
    mixed = varied + alike + alike[:40] + INVALID + ["", "   "]
    return [mixed[i] for i in rng.permutation(len(mixed))]


def _expected(engine: Engine, line: str, number: int, day: date, state, detail: str) -> str:
    """The line a single find writes (the batch's text before issue 16)."""
    try:
        verdict = engine.find(json.loads(line), day, state)
    except json.JSONDecodeError as error:
        problem = {"field": "(line)", "message": f"not valid JSON: {error.msg} at column {error.colno}"}
        return json.dumps({"line": number, "errors": [problem]})
    except ProfileError as error:
        data = {"line": number, "errors": [p.as_dict() for p in error.problems]}
        try:
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError:  # written as an escape rather than failing to write
            return json.dumps(data)
        return json.dumps(data, ensure_ascii=False)
    return json.dumps(verdict_json(verdict, detail), ensure_ascii=False, separators=(",", ":"))


# consular posts with published waits (NG, UG), others without; cities of the per diem tables and one
# that no locality lists
POSTS = ["NG", "UG", "KE", "GH", "IN", "AU", "CA", "MX", "GB", "PH"]
CITIES = [None, "san-francisco", "oakland", "palo-alto", "irvine", "riverside", "san-diego", "davis", "fresno"]


def _own(engine: Engine, rng) -> dict:
    """A person of a varied batch: every fact drawn, and their own start date (ahead, past, near
    the as-of day, before the first per diem table, after the last), length of stay (none, zero,
    fractional, long enough to outlast every table), city and country of residence."""
    profile = _contract(_random_profile(engine, rng))
    if rng.random() < 0.85:
        profile["start_date"] = (date(2024, 6, 1) + timedelta(days=int(rng.integers(0, 1400)))).isoformat()
    else:
        profile.pop("start_date", None)
    weeks = [None, 0, 0.5, 1, 2.5, 4, 8, 13, 20, 26, 52, 104, 520]
    pick = weeks[int(rng.integers(len(weeks)))]
    if pick is None:
        profile.pop("duration_weeks", None)
    else:
        profile["duration_weeks"] = pick
    city = CITIES[int(rng.integers(len(CITIES)))]
    if city is None:
        profile.pop("host_city", None)
    else:
        profile["host_city"] = city
    country = POSTS[int(rng.integers(len(POSTS)))]
    if rng.random() < 0.5:
        profile["residence_country"] = country
    else:
        profile.pop("residence_country", None)
        profile["citizenships"] = [country]
    return profile


@pytest.fixture(scope="module")
def own_lines(kb) -> list[str]:
    engine = Engine(kb)
    rng = np.random.default_rng(61)
    return [json.dumps(_own(engine, rng)) for _ in range(300)]


@pytest.mark.parametrize("day, state, detail", [
    (DAYS[0], None, "summary"), (DAYS[1], "all", "summary"), (DAYS[2], None, "summary"), (DAYS[2], "all", "summary"),
    (DAYS[0], "all", "full"), (DAYS[1], None, "full"), (DAYS[2], None, "full")])
def test_a_varied_batch_is_composed_and_its_lines_are_the_single_finds_lines(kb, own_lines, day, state, detail):
    """Everyone with their own dates, stay, city and post: the lines are composed from shared
    pieces a block at a time (engine/composer.py, composer_full.py), and are still the single
    finds' lines."""
    from pathways.engine.batch import BatchFind

    batch, single = BatchFind(Engine(kb), day, state, detail), Engine(kb)
    out = b"".join(block for block, _ in batch.run(own_lines)).decode().split("\n")
    assert batch.composer.failed is None and batch.composer.composed >= 0.9 * len(own_lines)  # all but shared lines
    for number, (got, line) in enumerate(zip(out, own_lines), start=1):
        assert got == _expected(single, line, number, day, state, detail), f"line {number}: {line}"


@pytest.mark.parametrize("detail", ["summary", "full"])
def test_a_long_batch_lets_go_of_what_it_keeps_and_writes_the_same_lines(kb, own_lines, monkeypatch, detail):
    """The composer keeps pieces of text, and what it keeps by people's values, up to bounds: past
    them it lets go of them all and makes them again (here bounds small, and blocks of 40)."""
    from pathways.engine import batch as batches, composer, composer_full
    from pathways.engine.batch import BatchFind

    monkeypatch.setattr(batches, "BLOCK", 40)
    monkeypatch.setattr(composer, "LIMIT", 300)
    monkeypatch.setattr(composer, "ENTRIES", 50)
    calls: list[str] = []
    for owner, name in ((composer.Composer, "_reset"), (composer_full.FullComposer, "_forget_values")):
        kept = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda self, kept=kept, name=name: (calls.append(name), kept(self))[1])
    day = DAYS[0]
    batch, single = BatchFind(Engine(kb), day, None, detail), Engine(kb)
    out = b"".join(block for block, _ in batch.run(own_lines[:160])).decode().split("\n")
    assert batch.composer.failed is None and batch.composer.composed >= 0.9 * 160
    # let go of past the bounds, and made again (full numbers the values of the facts it shows)
    assert calls.count("_reset") >= 2 and ("_forget_values" in calls) == (detail == "full")
    for number, (got, line) in enumerate(zip(out, own_lines[:160]), start=1):
        assert got == _expected(single, line, number, day, None, detail), f"line {number}: {line}"


@pytest.mark.parametrize("detail, part", [("summary", "timeline_json"), ("summary", "_tail"), ("full", "steps_json"),
                                          ("full", "_tail")])
def test_a_composed_line_that_differs_sends_the_batch_back_to_the_plain_way(kb, own_lines, monkeypatch, detail, part):
    """Should report.py come to write what the composer does not follow, the batch notices (a
    template that cannot be cut; or the first line of a block, checked against the plain way)
    and writes every line the plain way."""
    from pathways.engine import composer, composer_full, composer_tail
    from pathways.engine.batch import BatchFind

    module = {"steps_json": composer_full, "_tail": composer_tail}.get(part, composer)
    written = getattr(module, part)

    def changed(p):  # the composer's report.py function writes something more than report.py's
        found = written(p)
        return [*found, {"note": "new"}] if isinstance(found, list) else {**found, "note": "new"}

    monkeypatch.setattr(module, part, changed)
    day = DAYS[2]
    batch = BatchFind(Engine(kb), day, None, detail)
    out = b"".join(block for block, _ in batch.run(own_lines[:50])).decode().split("\n")
    assert batch.composer.failed is not None  # a template refused, or a line told apart:
    assert ("differs from the plain one" in batch.composer.failed) == (part == "_tail")
    single = Engine(kb)
    for number, (got, line) in enumerate(zip(out, own_lines[:50]), start=1):
        assert got == _expected(single, line, number, day, None, detail), f"line {number}: {line}"


@pytest.mark.parametrize("day, detail", [(DAYS[0], "summary"), (DAYS[1], "summary"), (DAYS[2], "summary"),
                                         (DAYS[0], "full"), (DAYS[1], "full")])
def test_batch_lines_are_the_single_finds_lines(kb, lines, day, detail):
    batch, single = Engine(kb), Engine(kb)  # apart, so that no cache of one serves the other
    state = "all" if day == DAYS[1] else None
    blocks = list(batch.find_lines(lines, day, state, detail))
    out = b"".join(block for block, _ in blocks).decode().split("\n")
    assert out[-1] == ""
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    assert len(out) - 1 == len(numbered)
    refused = 0
    for got, (number, line) in zip(out, numbered):
        expected = _expected(single, line, number, day, state, detail)
        assert got == expected, f"line {number}: {line}"
        refused += expected.startswith('{"line": ')
    assert sum(bad for _, bad in blocks) == refused >= len(INVALID)


def test_people_share_a_line_only_when_it_is_theirs(kb):
    """Two people whose lines differ only in a fact that shows (a requirement's fact in full, an
    unknown one in summary) get their own lines; people who differ in nothing that shows share."""
    engine = Engine(kb)
    a = {"stage": "graduate", "postgraduate_years": 4, "citizenships": ["KE"]}
    b = {**a, "postgraduate_years": 5}  # the same tests' values, another value shown in full
    c = {**a, "postgraduate_years": None}  # unknown: asked for
    lines = [json.dumps(p) for p in (a, b, c, a)]
    for detail in ("summary", "full"):
        out = b"".join(x for x, _ in engine.find_lines(lines, date(2026, 3, 1), None, detail)).decode().splitlines()
        expected = [_expected(engine, line, n, date(2026, 3, 1), None, detail) for n, line in enumerate(lines, 1)]
        assert out == expected
        assert (out[0] == out[1]) == (detail == "summary") and out[0] != out[2] and out[0] == out[3]


def test_the_command_writes_the_engines_lines_and_exits_2_on_an_invalid_one(kb, tmp_path, lines):
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(lines[:120] + INVALID[:2]) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pathways.cli", "find", "--batch", str(path), "--json",
                             "--detail", "summary", "--as-of", "2025-10-01"], capture_output=True, timeout=120)
    assert result.returncode == 2, result.stderr
    engine = Engine(kb)
    numbered = [(n, line) for n, line in enumerate(lines[:120] + INVALID[:2], 1) if line.strip()]
    expected = [_expected(engine, line, n, date(2025, 10, 1), None, "summary") for n, line in numbered]
    assert result.stdout.decode().splitlines() == expected


def test_a_batch_that_is_not_utf8_is_refused_naming_the_option(tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_bytes(b'{"stage": "student"}\n{"stage": "\xff"}\n')
    result = subprocess.run([sys.executable, "-m", "pathways.cli", "find", "--batch", str(path), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--batch" in result.stderr and "UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_the_fast_json_writes_and_reads_what_the_json_module_does():
    from enum import Enum

    from pathways.engine.jsonbytes import dumps, loads

    class Code(str, Enum):
        A = "a"

    values = [1e-05, -3e-7, 0.0001, 0.00012, 1e16, 1e22, 40.27, 2.0, -0.0, 1 / 3, 2**70, "no-212e-bar", "é ✓ \u2028",
              "1e-7 in words", {"k": (1, 2.5e-6)}, {1: "int key"}, {"a": Code.A}, [None, True, False]]
    for value in values:
        assert dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), value
    for text in ['{"a": 1, "a": 2}', "1e400", '"\\ud800"', "[1.5, -0, 1E2]", '{"x": "\\u00e9"}']:
        assert loads(text) == json.loads(text), text
    assert math.isnan(loads("NaN"))
    for text in ["[1,]", "\ufeff{}", '{"a" 1}', ""]:
        assert _error(loads, text) == _error(json.loads, text) is not None, text


def _error(read, text: str):
    try:
        read(text)
    except json.JSONDecodeError as error:
        return error.msg, error.colno
    return None
