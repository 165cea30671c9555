"""The strict loader: every broken knowledge file is reported with its file and line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pathways.rules.loader import KNOWLEDGE_ROOT, KnowledgeError, check_knowledge, load_knowledge


@pytest.fixture()
def copy(tmp_path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    return root


def errors(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(root)
    return [str(p) for p in error.value.problems]


def test_the_knowledge_base_is_clean():
    problems = [p for p in check_knowledge() if p.severity == "error"]
    assert problems == []


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def line_of(root: Path, name: str, needle: str) -> int:
    return next(i for i, line in enumerate((root / name).read_text().splitlines(), 1) if needle in line)


def test_an_unknown_key_is_reported_with_file_and_line(copy):
    edit(copy, "ca/pathways/b1-elective.yaml", "patient_contact: supervised", "patient_contact: supervised\npatient_contakt: none")
    line = line_of(copy, "ca/pathways/b1-elective.yaml", "patient_contakt")
    assert any(f"ca/pathways/b1-elective.yaml:{line}: patient_contakt" in e for e in errors(copy))


def test_a_dangling_citation_is_reported(copy):
    edit(copy, "ca/pathways/b1-elective.yaml", "cite: [article, article-figures", "cite: [no-such-source, article-figures")
    line = line_of(copy, "ca/pathways/b1-elective.yaml", "no-such-source")
    assert any(f"b1-elective.yaml:{line}: citation 'no-such-source'" in e for e in errors(copy))


def test_an_uncited_fact_is_refused(copy):
    edit(copy, "ca/pathways/b1-elective.yaml", "cite: [article, article-figures, fam-9-402-2-5]", "cite: []")
    assert any("b1-elective.yaml" in e and "summary.cite" in e for e in errors(copy))


def test_a_pathway_naming_a_missing_visa_is_reported(copy):
    edit(copy, "ca/pathways/b1-elective.yaml", "visa: b-1", "visa: b-2")
    assert any("b1-elective.yaml:4" in e and "visa" in e for e in errors(copy))


def test_a_test_with_a_misspelt_value_is_reported(copy):
    edit(copy, "categories.yaml", "stage == 'student'", "stage == 'studnet'")
    assert any("categories.yaml:" in e and "'studnet' is not a value of stage" in e for e in errors(copy))


def test_broken_yaml_is_reported_with_its_line(copy):
    (copy / "ca/programs/stanford-ivsp.yaml").write_text("id: stanford-ivsp\nname: [unclosed\n")
    assert any(e.startswith("ca/programs/stanford-ivsp.yaml:") and "not valid YAML" in e for e in errors(copy))


def test_requirements_with_one_id_and_two_tests_clash(copy):
    # the J-1 physician visa and the PTL both require ECFMG certification
    edit(copy, "ca/authorizations/ptl.yaml", "    test: ecfmg_certified", "    test: school_ecfmg_eligible")
    assert any("j1-physician-ptl.yaml" in e and "two different tests" in e for e in errors(copy))


def test_facts_whose_source_was_checked_more_than_a_year_ago_are_listed_with_file_and_line(copy):
    sources = copy / "sources" / "article.yaml"
    sources.write_text(sources.read_text().replace("checked: 2026-12-01", "checked: 2024-01-15", 1))  # the `article` source, first in the file
    stale = [p for p in check_knowledge(copy, today=date(2026, 11, 24)) if p.severity == "stale"]
    assert stale and all("'article', last checked on 2024-01-15" in p.message for p in stale)
    assert any(p.file == "ca/pathways/b1-elective.yaml" and p.line for p in stale)
    assert not [p for p in check_knowledge(today=date(2026, 11, 24)) if p.severity == "stale"]
