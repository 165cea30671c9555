"""Every scenario, shared and our own, run through the `pathways find` command.

The shared scenarios (tests/shared-scenarios, a copy of the ones outside checks use, kept
equal by tests/test_repository_copies.py) run as a real process, exactly as outside
checks run them; our own (tests/scenarios, named as sentences) through Typer's test
runner, which calls the same command in-process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pathways.cli import app

from .expectations import failures

HERE = Path(__file__).resolve().parent
SHARED = HERE / "shared-scenarios"
OWN = HERE / "scenarios"


def _scenarios(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def _command(path: Path) -> list[str]:
    scenario = yaml.safe_load(path.read_text())
    state = ["--state", str(scenario["state"])] if "state" in scenario else []
    return ["find", str(path), "--json", "--as-of", str(scenario["as_of"]), *state], scenario


def _check(scenario, code, out, err):
    try:
        parsed = json.loads(out) if code == 0 else None
    except json.JSONDecodeError:
        parsed = None
    problems = failures(scenario["expect"], code, parsed, err)
    assert not problems, scenario["name"] + "\n" + "\n".join(problems)


def test_the_shared_scenarios_are_there():
    assert len(_scenarios(SHARED)) >= 10, f"expected the shared scenarios in {SHARED}"


@pytest.mark.parametrize("path", _scenarios(SHARED), ids=lambda p: p.stem)
def test_shared_scenario(path):
    args, scenario = _command(path)
    run = subprocess.run([sys.executable, "-m", "pathways.cli", *args], capture_output=True, text=True, timeout=60)
    _check(scenario, run.returncode, run.stdout, run.stderr)


@pytest.mark.parametrize("path", _scenarios(OWN), ids=lambda p: p.stem)
def test_own_scenario(path):
    args, scenario = _command(path)
    result = CliRunner().invoke(app, args)
    _check(scenario, result.exit_code, result.stdout, result.stderr)
