"""The CLI at any width (issue 15, point 5): every command run as a person pipes it, with
COLUMNS=60 and 100. Ids are never truncated or broken (`explain` and `plan` take them), COLUMNS
is honoured when piped, no heading is printed with nothing under it, and no stand-in date is
shown to a person whose start date is not known."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

ROOT = Path(__file__).resolve().parent.parent
LAGOS = ROOT / "examples" / "lagos-surgeon.yaml"  # neither example gives a start_date
KAMPALA = ROOT / "examples" / "kampala-final-year-student.yaml"
WIDTHS = (60, 100)
BOX = set("┃│┏┓┗┛┡┩┠┨━─┼╇╋")
LONGEST = "oh-j1-research-scholar-clinical-research-faculty"  # the longest pathway id (48 characters)


def run(*args, columns: int | None) -> subprocess.CompletedProcess:
    """The command piped (standard output and error to pipes, no terminal on standard input)."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", "pathways.cli", *map(str, args)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120, env=env)


def _json(*args) -> object:
    result = run(*args, "--json", columns=None)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@cache
def pathway_ids() -> frozenset[str]:
    return frozenset(p["id"] for p in _json("list", "pathways"))


@cache
def known_ids() -> frozenset[str]:
    """Every id the CLI prints whole: pathways (those reforms add too), visas, authorizations,
    reforms, letter kinds."""
    ids = set(pathway_ids())
    ids |= {i.get("id") or i["code"] for kind in ("visas", "authorizations") for i in _json("list", kind)}
    ids |= {r["id"] for r in _json("list", "reforms")}
    ids |= {k["kind"] for k in _json("letter", "--list")}
    ids |= set(_json(*SIMULATE)["by_pathway"])
    return frozenset(ids)


SIMULATE = ("simulate", "--synthetic", "2000", "--seed", "1", "--reform", "ca-short-term-clinical-permit")
RANK = ("simulate", "--synthetic", "300", "--seed", "1", "--rank")

# name: (arguments, what kind of output, the ids it must show: a function of nothing)
COMMANDS = {
    "find": (("find", LAGOS), "find", lambda: [p["id"] for p in _json("find", LAGOS)["pathways"]]),
    "find-all-states": (("find", LAGOS, "--state", "all"), "find",
                        lambda: [p["id"] for p in _json("find", LAGOS, "--state", "all")["pathways"]]),
    "find-student-oh": (("find", KAMPALA, "--state", "oh"), "find",
                        lambda: [p["id"] for p in _json("find", KAMPALA, "--state", "oh")["pathways"]]),
    "find-student-tn": (("find", KAMPALA, "--state", "tn"), "find",
                        lambda: [p["id"] for p in _json("find", KAMPALA, "--state", "tn")["pathways"]]),
    "explain": (("explain", KAMPALA, "b1-elective"), "explain", lambda: ["b1-elective"]),
    "explain-longest-id": (("explain", LAGOS, LONGEST), "explain", lambda: [LONGEST]),
    "plan": (("plan", LAGOS, "j1-physician-ptl"), "plan", lambda: ["j1-physician-ptl"]),
    "plan-student": (("plan", KAMPALA, "b1-elective"), "plan", lambda: ["b1-elective"]),
    **{f"list-{kind}-{state}": (("list", kind, "--state", state), "list",
                                (lambda kind=kind, state=state: [i.get("id") or i["code"] for i in
                                                                 _json("list", kind, "--state", state)]))
       for kind in ("visas", "authorizations", "pathways") for state in ("oh", "tn", "all")},
    "list-pathways": (("list", "pathways"), "list", lambda: [i["id"] for i in _json("list", "pathways")]),
    "list-reforms": (("list", "reforms"), "list", lambda: [r["id"] for r in _json("list", "reforms")]),
    "show-authorization": (("show", "bpc-2113"), "show", lambda: ["bpc-2113"]),
    "show-fees": (("show", "ptl"), "show", lambda: ["ptl"]),
    "show-pathway": (("show", LONGEST), "show", lambda: [LONGEST]),
    "show-visa": (("show", "b-1"), "show", lambda: ["b-1"]),
    "kb-check": (("kb", "check"), "lines", lambda: []),
    "letter-list": (("letter", "--list"), "list",
                    lambda: sorted({p for k in _json("letter", "--list") for p in k["pathways"]})),
    "simulate": (SIMULATE, "list", lambda: [p for p, c in _json(*SIMULATE)["by_pathway"].items()
                                            if c["baseline"] != c["reform"]]),
    "simulate-rank": (RANK, "list", lambda: [r["id"] for r in _json(*RANK)["ranking"]]),
}
WITHOUT_START_DATE = {"find", "find-all-states", "find-student-oh", "find-student-tn", "explain",
                      "explain-longest-id", "plan", "plan-student"}


def whole(identifier: str, text: str) -> bool:
    return re.search(rf"(?<![\w.-]){re.escape(identifier)}(?![\w-])", text) is not None


def broken_ids(text: str) -> list[str]:
    """Words that are the beginning of a known id but not an id: an id cut ("b1-electi…") or
    broken across lines ("oh-j1-research-" then "scholar-...")."""
    known = known_ids()
    broken = []
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9._-]*…?", text):
        word = word.rstrip(".")
        stem = word.rstrip("…")
        if stem in known or "-" not in stem:
            continue
        if word.endswith("…") or any(k.startswith(stem) for k in known):
            broken.append(word)
    return broken


def empty_headings(kind: str, lines: list[str]) -> list[str]:
    """The headings followed by nothing, or directly by another heading."""
    def heading(line: str) -> bool:
        if kind == "plan":
            return line.startswith("#")
        if kind == "find":
            return bool(re.fullmatch(r"(Open|Within reach: to arrange|Needs information|Closed) \(\d+\)|Warnings", line)
                        or line.endswith("where to apply:"))
        if kind == "show":  # the facts' headings: unindented, their facts indented under them
            return bool(line) and not line.startswith(" ")
        return False

    found = []
    start = 1 if kind == "show" else 0  # show's first line is the item's name
    for number in range(start, len(lines)):
        line = lines[number]
        if not heading(line):
            continue
        rest = [text for text in lines[number + 1:] if text.strip()]
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if not rest or heading(rest[0]) or (kind == "show" and not following.startswith("  ")):
            found.append(line)
    return found


def too_wide(lines: list[str], columns: int) -> list[str]:
    """Lines wider than the console, except a word too long for any line (an address): it is
    left whole on a line of its own."""
    return [line for line in lines if len(line.rstrip()) > columns and len(line.split()) > 1]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_keeps_ids_whole_at_60_and_100_columns_piped(name, columns):
    args, kind, expected = COMMANDS[name]
    result = run(*args, columns=columns)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert out.strip()
    assert not broken_ids(out), f"{name} at {columns}: ids cut or broken: {broken_ids(out)}"
    missing = [i for i in expected() if not whole(i, out)]
    assert not missing, f"{name} at {columns}: ids not shown whole: {missing}"
    assert not empty_headings(kind, lines), f"{name} at {columns}: headings with nothing under them: {empty_headings(kind, lines)}"
    if kind not in ("plan", "lines"):  # Markdown and kb check's one problem a line are not wrapped
        assert not too_wide(lines, columns), f"{name} at {columns}: wider than COLUMNS: {too_wide(lines, columns)[:3]}"
    for line in lines:
        if BOX & set(line):
            assert len(line.rstrip()) <= columns, f"{name}: a table wider than COLUMNS={columns}: {line!r}"
    if name in WITHOUT_START_DATE:
        assert "stands in" not in out and "2024-01-01" not in out, f"{name}: a stand-in date"


def test_columns_is_honoured_when_piped_and_100_is_the_default_without_a_terminal():
    # every pathway of every state: a table needs about 130 columns to keep the ids whole
    wide = run("list", "pathways", "--state", "all", columns=160).stdout
    assert any(BOX & set(line) for line in wide.splitlines())
    assert max(len(line.rstrip()) for line in wide.splitlines()) > 100
    for columns in (None, 60, 100):
        narrow = run("list", "pathways", "--state", "all", columns=columns).stdout
        width = columns or 100
        assert not any(BOX & set(line) for line in narrow.splitlines()), "stacked, not a table cut to fit"
        assert max(len(line.rstrip()) for line in narrow.splitlines()) <= width
        assert all(whole(i, narrow) for i in pathway_ids())
    find = run("find", KAMPALA, columns=60).stdout
    assert max(len(line.rstrip()) for line in find.splitlines() if len(line.split()) > 1) <= 60


def test_show_prints_no_empty_heading_and_keeps_its_citations():
    out = run("show", "bpc-2113", columns=100).stdout
    lines = out.splitlines()
    assert "fees" not in lines and "routes" not in lines  # bpc-2113 has neither
    assert not empty_headings("show", lines)
    assert "[ca-bpc-2113]" in out  # a source's id in brackets is text, not Rich markup


def test_no_plan_shows_a_stand_in_date_to_a_person_without_a_start_date():
    """Every pathway's plan for both examples (in-process: the same command, piped)."""
    runner = CliRunner()
    for profile in (LAGOS, KAMPALA):
        for pathway in sorted(pathway_ids()):
            result = runner.invoke(app, ["plan", str(profile), pathway], env={"COLUMNS": "60"})
            assert result.exit_code == 0, result.output
            out = result.stdout
            assert "stands in" not in out and "2024-01-01" not in out, f"plan {profile.name} {pathway}"
            assert "Your start date is not known, so the plan counts from" in out
            assert not empty_headings("plan", out.splitlines()), f"plan {profile.name} {pathway}"
    fee = runner.invoke(app, ["plan", str(LAGOS), "j1-physician-ptl"]).stdout
    assert "PTL application charge" in fee and "The day it took effect is not known." in fee


def test_a_plan_with_a_start_date_says_when_to_begin(tmp_path):
    profile = tmp_path / "with-start.yaml"
    profile.write_text(LAGOS.read_text() + "start_date: 2027-09-01\n")
    out = run("plan", profile, "j1-physician-ptl", "--as-of", "2026-03-01", columns=100).stdout
    assert "Work begins on 2026-03-01" in out and "Can training start on 2027-09-01?" in out
    assert "start date is not known" not in out
    find = run("find", profile, "--as-of", "2026-03-01", columns=100).stdout
    assert "start date: 2027-09-01" in " ".join(find.split())  # the header may wrap


def test_the_stand_in_wording_keeps_what_is_not_known():
    from pathways.cli.wording import fee_text, without_stand_in

    assert fee_text("Fee. The start date is not known; 2024-01-01 stands in for it.") == \
        "Fee. The day it took effect is not known."
    assert fee_text("Initial fee (an inference). Start date taken as 2024-01-01.") == \
        "Initial fee (an inference). The day it took effect is not known."
    assert fee_text("Fee. The statute gives it as current; the start date is taken as 2024-01-01, the date the "
                    "statute gives.") == "Fee. The statute gives it as current."
    assert without_stand_in("ESTA fee; the day it took effect is not confirmed, and the date of the notice "
                            "(November 19 2025) stands in for it.") == "ESTA fee; the day it took effect is not confirmed."
    kept = "An offer (the profile's employment-sponsorship question stands in for the offer)."
    assert without_stand_in(kept) == kept  # no date: not a stand-in date


def test_layout_never_breaks_a_word_and_stacks_a_table_that_cannot_keep_its_ids_whole():
    from rich.console import Console

    from pathways.cli.layout import Col, hang, print_table

    out = Console(width=40, record=True, highlight=False)
    hang(out, f"the pathway {LONGEST} is long; so is this line of words", 2, 4)
    text = out.export_text()
    assert LONGEST in text.split() and all(len(line) <= 40 for line in text.splitlines() if len(line.split()) > 1)
    out = Console(width=60, record=True, highlight=False)
    print_table(out, [Col("id", "id"), Col("visa", "id"), Col("note")], [[LONGEST, "j-1-research-scholar", "a note"]])
    stacked = out.export_text()
    assert not BOX & set(stacked) and stacked.splitlines()[0] == LONGEST and "  visa: j-1-research-scholar" in stacked
    out = Console(width=100, record=True, highlight=False)
    print_table(out, [Col("id", "id"), Col("visa", "id"), Col("note")], [[LONGEST, "j-1-research-scholar", "a note " * 20]])
    table = out.export_text()
    assert BOX & set(table) and LONGEST in table and max(map(len, table.splitlines())) <= 100
