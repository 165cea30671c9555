"""The `pathways` command as a person or a script uses it: output, exit codes, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(*args, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pathways.cli", *map(str, args)], input=stdin,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_find_prints_a_table_with_every_pathway_of_the_category():
    result = run("find", EXAMPLES / "lagos-surgeon.yaml", "--as-of", "2026-03-01")
    assert result.returncode == 0, result.stderr
    assert "img-3-plus" in result.stdout
    for pathway_id in ("j1-research-scholar-2111", "b1-observership", "h1b-2113"):
        assert pathway_id in result.stdout


def test_find_json_follows_the_contract():
    result = run("find", EXAMPLES / "kampala-final-year-student.yaml", "--json", "--as-of", "2026-03-01")
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-03-01" and data["category"] == "student"
    ranks = {"open": 0, "needs-info": 1, "blocked": 2}
    order = [ranks[p["status"]] for p in data["pathways"]]
    assert order == sorted(order)
    first = data["pathways"][0]
    assert {"id", "visa", "authorization", "patient_contact", "status", "requirements", "warnings"} <= set(first)
    assert first["id"] == "b1-elective" and first["status"] == "open"
    for requirement in first["requirements"]:
        assert requirement["status"] in ("met", "unmet", "unknown") and requirement["citations"]


def test_find_reads_standard_input_and_json():
    result = run("find", "-", "--json", "--as-of", "2026-03-01", stdin=json.dumps({"stage": "student"}))
    assert result.returncode == 0 and json.loads(result.stdout)["category"] == "student"


def test_as_of_defaults_to_today_not_the_start_date():
    # The contract changed: the plan begins on the day of the evaluation, the start date is its target.
    profile = json.dumps({"stage": "student", "start_date": "2025-05-01"})
    before = date.today()
    as_of = json.loads(run("find", "-", "--json", stdin=profile).stdout)["as_of"]
    assert as_of != "2025-05-01"
    assert before <= date.fromisoformat(as_of) <= date.today()  # today, even across midnight


def test_find_prints_the_pathways_grouped_open_within_reach_needs_info_and_closed():
    # a student whose dean has not approved the elective: the B-1 elective is within reach (to arrange)
    profile = json.dumps({"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
                          "school_recognized_by_mbc": True, "current_us_status": "none",
                          "host": {"dean_approved_elective": False}})
    result = run("find", "-", "--as-of", "2026-03-01", stdin=profile)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Within reach" in out and "Closed" in out
    assert out.index("Within reach") < out.index("Closed")
    reach = out[out.index("Within reach"):out.index("Closed")]
    closed_lines = out[out.index("Closed"):].split("\n\n")[0].splitlines()[1:]  # "  <id>: <reason>"
    closed = [line.split(":")[0].strip() for line in closed_lines]
    assert "b1-elective" in reach and "b1-elective" not in closed
    assert "vwp-business-elective" in closed  # Uganda is not in the Visa Waiver Program
    assert "vwp-business-elective" not in reach


def test_find_summary_gives_only_status_unmet_unknown_timeline_and_costs():
    result = run("find", EXAMPLES / "kampala-final-year-student.yaml", "--json", "--detail", "summary",
                 "--as-of", "2026-03-01")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pathways"]
    for item in data["pathways"]:
        assert set(item) == {"id", "status", "reachable", "unmet", "unknown", "timeline", "cost_usd"}
        assert "items" not in item["cost_usd"]
    full = json.loads(run("find", EXAMPLES / "kampala-final-year-student.yaml", "--json", "--as-of", "2026-03-01").stdout)
    assert [p["id"] for p in full["pathways"]] == [p["id"] for p in data["pathways"]]
    assert [p["status"] for p in full["pathways"]] == [p["status"] for p in data["pathways"]]


def test_plan_gives_markdown_or_json_with_the_steps_even_of_a_closed_pathway():
    args = ("plan", EXAMPLES / "lagos-surgeon.yaml", "j1-research-scholar-2111", "--as-of", "2026-03-01")
    markdown = run(*args)
    assert markdown.returncode == 0, markdown.stderr
    data = json.loads(run(*args, "--json").stdout)
    assert data["id"] == "j1-research-scholar-2111" and data["status"] == "blocked"
    assert data["steps"], "plan --json always carries the steps"
    assert {s["id"] for s in data["steps"]} >= {"arrival"}
    assert data["timeline"]["earliest_start"] <= data["timeline"]["likely_start"] <= data["timeline"]["ready_by"]
    for step in data["steps"]:
        assert step["start_on"] <= step["done_by"] and step["start_on"] >= "2026-03-01"
    first = data["steps"][0]["text"].split(".")[0][:30]
    assert first in markdown.stdout
    explained = json.loads(run("explain", EXAMPLES / "lagos-surgeon.yaml", "j1-research-scholar-2111", "--json",
                               "--as-of", "2026-03-01").stdout)
    assert "steps" not in explained  # closed for this person: explain leaves the plan out


def test_an_invalid_profile_gets_exit_code_2_and_one_line_per_field():
    profile = json.dumps({"citizenships": ["ZZ"], "stage": "doctor", "postgraduate_years": "two"})
    result = run("find", "-", "--json", stdin=profile)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["citizenships", "stage", "postgraduate_years"]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, stdin, mentions", [
    (("find", "/no/such/file.yaml"), None, "cannot read"),
    (("find", "-"), "stage: [student", "not valid YAML or JSON at line"),
    (("find", "-", "--as-of", "1st of May"), "{}", "--as-of"),
    (("explain", "-", "no-such-pathway"), "{}", "unknown pathway"),
    (("show", "h-2b"), None, "is not a visa, authorization or pathway"),
    (("diagram", "residents", "-o", "/tmp/x.svg"), None, "is not a category"),
])
def test_bad_input_is_refused_with_exit_code_2_and_no_traceback(args, stdin, mentions):
    result = run(*args, stdin=stdin)
    assert result.returncode == 2, result.stderr
    assert mentions in result.stderr and "Traceback" not in result.stderr


def test_batch_keeps_order_and_reports_bad_lines_in_place(tmp_path):
    lines = [json.dumps({"stage": "student"}), json.dumps({"stage": "surgeon"}), "not json", json.dumps({"stage": "graduate", "postgraduate_years": 4})]
    batch = tmp_path / "people.jsonl"
    batch.write_text("\n".join(lines) + "\n")
    result = run("find", "--batch", batch, "--json", "--as-of", "2026-03-01")
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["category"] == "student" and out[3]["category"] == "img-3-plus"
    assert out[1] == {"line": 2, "errors": [{"field": "stage", "message": out[1]["errors"][0]["message"]}]}
    assert "accepted: graduate, student" in out[1]["errors"][0]["message"]
    assert out[2]["line"] == 3 and "not valid JSON" in out[2]["errors"][0]["message"]


def test_explain_gives_each_requirement_with_the_facts_it_read():
    result = run("explain", EXAMPLES / "lagos-surgeon.yaml", "j1-research-scholar-2111", "--json", "--as-of", "2026-03-01")
    data = json.loads(result.stdout)
    assert data["id"] == "j1-research-scholar-2111"
    by_id = {r["id"]: r for r in data["requirements"]}
    assert by_id["postgraduate-3-years"]["status"] == "met" and by_id["postgraduate-3-years"]["facts"] == {"postgraduate_years": 4}
    assert by_id["five-points"]["status"] == "unknown"
    # Nigeria is on the partial list from 2026-01-01: J visas are suspended for a Nigerian abroad.
    assert by_id["entry-restriction"]["status"] == "unmet" and data["status"] == "blocked"
    assert "entry-restriction" in data["would_take"]["unmet"]
    human = run("explain", EXAMPLES / "lagos-surgeon.yaml", "j1-research-scholar-2111", "--as-of", "2026-03-01")
    assert human.returncode == 0 and "postgraduate_years = 4" in human.stdout


@pytest.mark.parametrize("kind, keys", [
    ("visas", {"code", "name", "citations"}),
    ("authorizations", {"code", "name", "citations"}),
    ("pathways", {"id", "visa", "authorization", "patient_contact", "categories", "requirements"}),
])
def test_list_json_carries_the_contract_keys(kind, keys):
    items = json.loads(run("list", kind, "--json").stdout)
    assert items and all(keys <= set(item) for item in items)
    if kind == "pathways":
        assert all({"id", "text", "citations"} <= set(r) for item in items for r in item["requirements"])


def test_list_prints_a_table():
    result = run("list", "visas")
    assert result.returncode == 0 and "j-1-alien-physician" in result.stdout


def test_show_gives_facts_with_sources_and_dates():
    data = json.loads(run("show", "bpc-2113", "--json").stdout)
    assert data["code"] == "bpc-2113" and data["sources"]
    assert all(s["checked"] and s["address"] for s in data["sources"])
    human = run("show", "b-1")
    assert human.returncode == 0 and "sources" in human.stdout


def test_kb_check_is_clean():
    result = run("kb", "check")
    assert result.returncode == 0 and "0 errors" in result.stdout


def test_a_broken_knowledge_file_is_named_with_its_line(tmp_path):
    from pathways.rules.location import KNOWLEDGE_ROOT

    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    path = root / "ca/pathways/tn-2113.yaml"
    path.write_text(path.read_text().replace("patient_contact: incidental", "patient_contact: sometimes"))
    env = {"PATHWAYS_KNOWLEDGE_DIR": str(root), "PATHWAYS_NO_CACHE": "1"}
    result = run("find", EXAMPLES / "lagos-surgeon.yaml", env=env)
    assert result.returncode == 2 and "ca/pathways/tn-2113.yaml:" in result.stderr and "patient_contact" in result.stderr
    assert "Traceback" not in result.stderr
    check = run("kb", "check", env=env)
    assert check.returncode == 1 and "tn-2113.yaml" in check.stdout


@pytest.mark.parametrize("category, figure", [("student", 1), ("img-under-3", 2), ("img-3-plus", 3)])
def test_diagram_draws_every_pathway_of_the_category(tmp_path, kb, category, figure):
    out = tmp_path / f"figure-{figure}.svg"
    result = run("diagram", category, "-o", out)
    assert result.returncode == 0, result.stderr
    svg = ET.parse(out).getroot()
    groups = [g.get("id") for g in svg.iter("{http://www.w3.org/2000/svg}g")]
    assert groups == [p.id for p in kb.pathways.values() if category in p.categories and figure in p.figures]
    assert f"Figure {figure}" in out.read_text()
    state = tmp_path / f"ohio-{figure}.svg"
    assert run("diagram", category, "-o", state, "--state", "oh").returncode == 0
    drawn = [g.get("id") for g in ET.parse(state).getroot().iter("{http://www.w3.org/2000/svg}g")]
    assert drawn == [p.id for p in kb.pathways.values() if category in p.categories and p.jurisdiction == "oh"]
    assert "Ohio" in state.read_text() and "Figure" not in state.read_text().split("<title>")[1]
