"""Profiles and knowledge files are read as YAML 1.2: `NO` is Norway, only true and false
are booleans. (In YAML 1.1, which PyYAML follows by default, `NO`, `no`, `yes`, `on`, `off`,
`y` and `n` are booleans.)"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from pathways.rules import yaml12
from pathways.rules.yamlfile import read_yaml

NORWEGIAN = """\
citizenships: [NO]
stage: graduate
postgraduate_years: 2
home_license: true
current_us_status: none
host: {observership: true}
duration_weeks: 6
"""


@pytest.mark.parametrize("word", ["NO", "No", "no", "yes", "Yes", "on", "off", "y", "n", "Y", "N"])
def test_the_words_yaml_1_1_took_for_booleans_stay_text(word):
    assert yaml12.load(f"value: {word}") == {"value": word}


@pytest.mark.parametrize("text,value", [("true", True), ("True", True), ("TRUE", True),
                                        ("false", False), ("False", False), ("FALSE", False)])
def test_only_true_and_false_are_booleans(text, value):
    assert yaml12.load(f"value: {text}") == {"value": value}


@pytest.mark.parametrize("text,value", [
    ("3", 3), ("-2", -2), ("010", 10), ("0o10", 8), ("0x1f", 31), ("2.5", 2.5), ("1e3", 1000.0),
    ("1:30", "1:30"), ("1_000", "1_000"), ("~", None), ("null", None), ("2027-09-01", date(2027, 9, 1)),
])
def test_numbers_are_yaml_1_2_numbers_and_dates_stay_dates(text, value):
    assert yaml12.load(f"value: {text}") == {"value": value}


def test_json_reads_unchanged():
    document = {"citizenships": ["NO"], "postgraduate_years": 2.5, "host": {"observership": True}, "x": None}
    assert yaml12.load(json.dumps(document)) == document


def test_a_knowledge_file_keeps_an_unquoted_norway_with_its_line(tmp_path):
    path = tmp_path / "nordic.yaml"
    path.write_text("code: nordic\nmembers:\n  - {code: SE}\n  - {code: NO}\n", encoding="utf-8")
    file, problems = read_yaml(path, "nordic.yaml")
    assert not problems
    assert file.data["members"][1] == {"code": "NO"} and file.line(("members", 1)) == 4


def test_pathways_find_reads_citizenships_no_as_norway(tmp_path):
    path = tmp_path / "norwegian.yaml"
    path.write_text(NORWEGIAN, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "find", str(path), "--json", "--as-of", "2026-03-01"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr  # read as false, the profile would be refused (exit code 2)
    vwp = [p for p in json.loads(run.stdout)["pathways"] if p["visa"] == "vwp-business"]
    # Norway is a member of the Visa Waiver Program (knowledge/us/lists/vwp-countries.yaml)
    assert vwp and any(p["status"] == "open" for p in vwp), vwp
