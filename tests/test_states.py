"""Every state its own folder: the loader finds them, `--state` picks them, and a new visa, a
new authorization and a whole new state are data files alone."""

from __future__ import annotations

import json
from datetime import date
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pathways import Engine, ProfileError, verdict_json
from pathways.rules.loader import KNOWLEDGE_ROOT, KnowledgeError, load_knowledge

SHARED = Path(__file__).resolve().parent / "shared-scenarios"


def _scenarios():
    return sorted(SHARED.glob("*.yaml"))


@pytest.mark.parametrize("path", _scenarios(), ids=lambda p: p.stem)
def test_all_states_lists_each_states_pathways_and_leaves_californias_answers_unchanged(engine, path):
    scenario = yaml.safe_load(path.read_text())
    if scenario["expect"].get("exit_code", 0) != 0:
        return
    alone = verdict_json(engine.find(scenario["profile"], scenario["as_of"], "ca"))
    every = verdict_json(engine.find(scenario["profile"], scenario["as_of"], "all"))
    assert {p["jurisdiction"] for p in every["pathways"]} == {"ca", "oh", "tn"}
    california = [p for p in every["pathways"] if p["jurisdiction"] == "ca"]
    assert california == alone["pathways"]  # the same pathways, the same verdicts, in the same order
    assert verdict_json(engine.find(scenario["profile"], scenario["as_of"]))["pathways"] == alone["pathways"]


def test_a_state_is_evaluated_alone_and_its_pathways_say_so(engine):
    profile = {"citizenships": ["IN"], "stage": "graduate", "postgraduate_years": 3, "home_license": True}
    for state in ("oh", "tn"):
        pathways = verdict_json(engine.find(profile, date(2026, 12, 1), state))["pathways"]
        assert pathways and {p["jurisdiction"] for p in pathways} == {state}


def test_an_unknown_state_is_refused_by_name_with_what_is_accepted(engine):
    with pytest.raises(ProfileError) as error:
        engine.find({}, None, "zz")
    problem = error.value.problems[0]
    assert problem.field == "state" and "ca" in problem.message and "all" in problem.message
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "find", "-", "--json", "--state", "xx"],
                         input="{}", capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "state" in run.stderr and "Traceback" not in run.stderr


def test_a_yaml_file_the_loader_does_not_understand_is_refused_with_its_name(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    (root / "wa").mkdir()
    (root / "wa" / "pathways").mkdir()
    (root / "wa" / "pathways" / "wa-b1-observership.yaml").write_text("id: wa-b1-observership\n")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(root)
    assert "wa/pathways/wa-b1-observership.yaml:1: not a knowledge file" in str(error.value)


def _copy(root: Path, source: str, target: str, replace: dict[str, str]) -> None:
    text = (KNOWLEDGE_ROOT / source).read_text()
    for old, new in replace.items():
        text = text.replace(old, new)
    path = root / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_new_visa_authorization_and_state_are_data_files_alone(tmp_path):
    """Washington, with a limited licence of its own and a J-1 short-term scholar visa: only
    YAML files are added, and the engine evaluates the new pathway."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    (root / "wa").mkdir()
    (root / "wa" / "jurisdiction.yaml").write_text(yaml.safe_dump({
        "code": "wa", "name": "Washington", "board": "Washington Medical Commission",
        "summary": {"text": "A state added by a contributor's test.", "cite": ["article"]}}))
    _copy(root, "us/visas/j-1-research-scholar.yaml", "us/visas/j-1-contributor-example.yaml",
          {"code: j-1-research-scholar": "code: j-1-contributor-example"})
    _copy(root, "oh/authorizations/none.yaml", "wa/authorizations/none.yaml", {})
    _copy(root, "oh/authorizations/oh-vcpd.yaml", "wa/authorizations/wa-limited-license.yaml",
          {"code: oh-vcpd": "code: wa-limited-license"})
    (root / "wa" / "pathways" / "wa-j1-contributor-example-limited.yaml").parent.mkdir(parents=True)
    (root / "wa" / "pathways" / "wa-j1-contributor-example-limited.yaml").write_text(yaml.safe_dump({
        "id": "wa-j1-contributor-example-limited", "name": "A J-1 example category with a Washington limited licence",
        "visa": "j-1-contributor-example", "authorization": "wa-limited-license", "patient_contact": "incidental",
        "categories": ["img-3-plus"], "summary": {"text": "A contributor's new pathway.", "cite": ["article"]},
        "requirements": [{"use": "visa"}, {"use": "authorization"}]}))
    env = {"PATHWAYS_KNOWLEDGE_DIR": str(root), "PATHWAYS_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}
    check = subprocess.run([sys.executable, "-m", "pathways.cli", "kb", "check"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    profile = {"citizenships": ["IN"], "stage": "graduate", "postgraduate_years": 4, "home_license": True,
               "current_us_status": "none", "months_in_j_status_past_year": 0, "duration_weeks": 8,
               "host": {"clinical_training_program": True, "research_appointment": True}}
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "find", "-", "--json", "--state", "wa",
                          "--as-of", "2026-12-01"], input=json.dumps(profile), env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    found = {p["id"]: p for p in json.loads(run.stdout)["pathways"]}
    assert set(found) == {"wa-j1-contributor-example-limited"}
    new = found["wa-j1-contributor-example-limited"]
    assert new["jurisdiction"] == "wa" and new["visa"] == "j-1-contributor-example"
    assert new["authorization"] == "wa-limited-license" and new["status"] == "open"
    # the engine's own copy of the base knows nothing of it
    assert "wa" not in Engine(load_knowledge()).kb.jurisdictions


JUNIOR = {"citizenships": ["GH"], "stage": "graduate", "postgraduate_years": 1, "home_license": True,
          "current_us_status": "none", "school_recognized_by_mbc": False, "ecfmg_certified": False,
          "usmle_passed": [], "duration_weeks": 8, "months_in_j_status_past_year": 0}


def test_elsewhere_shows_what_another_state_opens_beyond_california(engine):
    """A junior Ghanaian graduate can only observe in California; Ohio's VCPD certificate would
    let her take part, incidentally, as a J-1 research scholar, once a programme accepts her."""
    day = date(2026, 12, 1)
    home = engine.find(JUNIOR, day)
    best = max(p.contact_rank for p in home.pathways if p.group != "closed")
    found = engine.elsewhere(JUNIOR, day)
    ids = [p.id for p in found]
    assert "oh-j1-research-scholar-vcpd" in ids
    assert all(p.jurisdiction != "ca" and p.contact_rank > best for p in found)
    vcpd = next(p for p in found if p.id == "oh-j1-research-scholar-vcpd")
    assert {r.id for r in vcpd.missing("unknown")} <= {"cpd-program-acceptance", "five-points"}


def test_elsewhere_is_empty_when_california_already_gives_the_most(engine):
    student = {"citizenships": ["UG"], "us_permanent_resident": False, "stage": "student", "final_year": True,
               "enrolled_in_us_school": False, "school_recognized_by_mbc": True, "current_us_status": "none",
               "host": {"dean_approved_elective": True}}
    day = date(2026, 12, 1)
    assert any(p.id == "b1-elective" and p.status == "open" for p in engine.find(student, day).pathways)
    assert [p.id for p in engine.elsewhere(student, day) if p.patient_contact in ("none", "incidental", "supervised")] == []
