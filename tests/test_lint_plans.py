"""Lints of what plans are made of: every step's typical time, consular-wait classes and
snapshots, and the intake rules (`takes`) of host programmes, each with file and line."""

from __future__ import annotations

import re
from pathlib import Path

from .test_loader import copy, errors  # noqa: F401 (the fixture and the helper of the loader's tests)


def replace(root: Path, name: str, pattern: str, new: str) -> int:
    """Replace the first match of `pattern` in a file; the line it was on."""
    path = root / name
    text = path.read_text()
    match = re.search(pattern, text, re.M)
    assert match, f"{pattern!r} not in {name}"
    path.write_text(text[:match.start()] + new + text[match.end():])
    return text[:match.start()].count("\n") + 1


def test_a_step_without_its_typical_time_is_refused_with_its_line(copy):
    line = replace(copy, "us/visas/b-1.yaml", r"weeks: \{min: 0, typical: 0\.5, max: 1\}", "weeks: {min: 0, max: 1}")
    found = [e for e in errors(copy) if "typical" in e]
    assert found == [f"us/visas/b-1.yaml:{line}: step 'travel': weeks needs `typical` (with its source) beside min and max"]


def test_a_typical_time_outside_the_range_is_refused(copy):
    replace(copy, "us/visas/b-1.yaml", r"weeks: \{min: 0, typical: 0\.5, max: 1\}", "weeks: {min: 0, typical: 3, max: 1}")
    assert any("typical must lie between min and max" in e for e in errors(copy))


def test_a_programme_whose_intake_rule_names_an_unknown_fact_is_refused(copy):
    line = replace(copy, "ca/programs/stanford-ivsp.yaml", r"^takes: .*$", 'takes: "final_yaer"')
    assert f"ca/programs/stanford-ivsp.yaml:{line}: test: unknown fact 'final_yaer' in `final_yaer`" in errors(copy)


def test_an_intake_rule_citing_no_known_source_is_refused(copy):
    replace(copy, "ca/programs/stanford-ivsp.yaml", r"^takes_cite: \[", "takes_cite: [no-such-source, ")
    assert any("citation 'no-such-source' resolves to no source" in e for e in errors(copy))


def test_a_wait_for_a_class_the_snapshot_does_not_define_is_refused(copy):
    name = next(p for p in (copy / "us" / "consular-waits").glob("*.yaml")).relative_to(copy).as_posix()
    replace(copy, name, r"weeks: \{b:", "weeks: {q:")
    assert any("class 'q' is not among the snapshot's classes" in e for e in errors(copy))


def test_an_interview_step_naming_an_unknown_wait_class_is_refused(copy):
    replace(copy, "us/visas/b-1.yaml", r"consular_wait: b\b", "consular_wait: visitors")
    assert any("consular-wait class 'visitors' is not in every snapshot" in e for e in errors(copy))
