"""Translations of the knowledge base's texts (issue 15 point 1): data beside the English, each
with the English it was made from; `pathways kb check` reports one whose English has changed
(stale) and one that translates nothing; the engine uses only the current ones."""

from __future__ import annotations

import shutil

import pytest
import yaml

from pathways.engine.core import Engine
from pathways.rules.location import KNOWLEDGE_ROOT
from pathways.rules.translations import LANGUAGES, check_translations, coverage, english_texts, read_entries

from .test_cli import run


@pytest.fixture()
def draft(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    return root


def _question(root) -> str:
    return yaml.safe_load((root / "facts.yaml").read_text(encoding="utf-8"))["stage"]["question"]


def _translate(root, address: str, en: str, text: str, language: str = "fr") -> None:
    folder = root / "i18n" / language
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "test.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[address] = {"en": en, "text": text}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_current_translation_is_used_and_a_changed_english_is_reported_stale(draft):
    english = _question(draft)
    _translate(draft, "facts.yaml#stage.question", english, "Êtes-vous étudiant en médecine ou diplômé ?")
    assert not [p for p in check_translations(draft) if "test.yaml" in p.file]
    assert Engine(root=draft).translations("fr")[english.strip()] == "Êtes-vous étudiant en médecine ou diplômé ?"
    facts = draft / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(english, english + " (in your own words)"), encoding="utf-8")
    stale = [p for p in check_translations(draft) if "test.yaml" in p.file]
    assert len(stale) == 1 and stale[0].severity == "stale" and "facts.yaml#stage.question" in stale[0].message
    assert stale[0].line == 1
    assert english.strip() not in Engine(root=draft).translations("fr")  # the English shows again
    result = run("kb", "check", env={"PATHWAYS_KNOWLEDGE_DIR": str(draft)})
    assert "stale: i18n/fr/test.yaml:1: facts.yaml#stage.question: the English changed" in result.stdout


def test_a_translation_of_nothing_and_a_folder_that_is_no_language_are_errors(draft):
    _translate(draft, "facts.yaml#stage.questionnaire", "Are you?", "Êtes-vous ?")
    (draft / "i18n" / "xx").mkdir()
    (draft / "i18n" / "xx" / "a.yaml").write_text("{}\n", encoding="utf-8")
    errors = [str(p) for p in check_translations(draft) if p.severity == "error"]
    assert any("facts.yaml#stage.questionnaire: no text at this address" in e for e in errors)
    assert any("i18n/xx/a.yaml" in e and "not a language folder" in e for e in errors)
    result = run("kb", "check", env={"PATHWAYS_KNOWLEDGE_DIR": str(draft)})
    assert result.returncode == 1


def test_list_items_are_addressed_by_their_id():
    texts = english_texts(KNOWLEDGE_ROOT)
    assert "ca/pathways/b1-elective.yaml#warnings.elective-final-years.text" in texts
    assert "facts.yaml#stage.labels.student" in texts


def test_the_shipped_translations_are_current_and_name_real_texts():
    problems = check_translations(KNOWLEDGE_ROOT)
    assert [str(p) for p in problems] == []
    entries, _ = read_entries(KNOWLEDGE_ROOT)
    found = coverage(KNOWLEDGE_ROOT)
    for language in LANGUAGES:  # every language has the interview's questions at least
        mine = {e.address for e in entries if e.language == language}
        assert "facts.yaml#stage.question" in mine, language
        assert found[language][0] >= len([a for a in english_texts(KNOWLEDGE_ROOT) if a.startswith("facts.yaml#")])


def test_dated_entries_that_share_an_id_each_have_their_own_address():
    """A fee's dated amounts share an id (docs/knowledge-format.md); each text keeps an address
    of its own, by id and `from`, so each is translated and none hides another."""
    texts = english_texts(KNOWLEDGE_ROOT)
    esta = {a: t for a, t in texts.items() if a.startswith("us/visas/vwp-business.yaml#fees.esta")}
    assert "us/visas/vwp-business.yaml#fees.esta@2025-11-19.text" in esta
    assert "us/visas/vwp-business.yaml#fees.esta.text" not in esta
    assert len(esta) == len(set(esta.values())) >= 5  # every amount's own words
    entries, _ = read_entries(KNOWLEDGE_ROOT, "fr")
    assert set(esta) <= {e.address for e in entries}
