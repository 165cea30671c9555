"""The engine's own sentences (knowledge/messages.yaml, issue 15): composed from templates in the
knowledge base, and translated on the pages by matching a filled sentence back to its template
(rules/translations.Translator), its values translated in turn."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from pathways import Engine, verdict_json
from pathways.rules.location import KNOWLEDGE_ROOT
from pathways.rules.messages import say, short
from pathways.rules.translations import LANGUAGES, Translator, check_translations

SOURCE = Path(__file__).resolve().parents[1] / "src" / "pathways"
AS_OF = date(2026, 3, 1)
STUDENT = {"citizenships": ["UG"], "stage": "student", "final_year": True, "current_us_status": "none",
           "host": {"dean_approved_elective": True}, "start_date": "2026-06-30", "duration_weeks": 6,
           "host_city": "oakland"}


@pytest.fixture(scope="module")
def engine():
    return Engine.load()


def _messages() -> dict[str, str]:
    return {m["id"]: m["text"] for m in yaml.safe_load((KNOWLEDGE_ROOT / "messages.yaml").read_text(encoding="utf-8"))}


def test_every_message_the_code_says_is_in_the_knowledge_base_and_every_message_is_said():
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("engine", "rules") for p in (SOURCE / folder).glob("*.py"))
    said = set(re.findall(r"say\([^,]+?, \"([a-z0-9-]+)\"", code))
    assert said and said <= set(_messages()), said - set(_messages())
    unused = {m for m in _messages() if f'"{m}"' not in code}  # some are chosen by a condition first
    assert not unused, unused


def test_a_missing_value_is_an_error_not_a_blank(engine):
    with pytest.raises(KeyError):
        say(engine.rules(AS_OF).messages, "living-costs-in-city", nights=42)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_filled_with_any_values_is_translated_with_the_same_values(engine, language):
    said = engine.translations(language)
    translated = {e: t for e, t in said.items()}
    for message_id, english in _messages().items():
        names = re.findall(r"\$\{(\w+)\}", english)
        values = {n: f"V{i}x" for i, n in enumerate(names)}  # no text of the knowledge base: kept as it is
        filled = say(_messages(), message_id, **values)
        found = said.get(filled)
        assert found is not None, (language, message_id)
        template = translated[english.strip()].strip()
        assert found == re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], template), (language, message_id)
        assert all(v in found for v in values.values())


def test_a_result_in_french_has_no_sentence_of_the_engine_left_in_english(engine):
    verdict = engine.find(STUDENT, as_of=AS_OF)
    said = engine.translations("fr")
    texts = []
    for p in verdict_json(verdict)["pathways"]:
        texts += [w for w in p["warnings"]] + p["cost_usd"]["notes"] + [i["text"] for i in p["cost_usd"]["items"]]
        texts += [r["text"] for r in p["requirements"]]
    assert any(t.startswith("Housing and meals for 42 nights in Oakland") for t in texts)
    assert any(t.startswith("The start date 2026-06-30") for t in texts)
    missing = [t for t in texts if t not in said]
    assert not missing, missing[:3]
    living = said[next(t for t in texts if t.startswith("Housing and meals"))]
    assert living.startswith("Logement et repas pour 42 nuits à Oakland")
    warning = said[next(t for t in texts if t.startswith("The start date 2026-06-30"))]
    assert warning.startswith("La date de début 2026-06-30") and "L'étape qui en décide" in warning
    assert "The step that decides" not in warning and "  " not in warning


def test_values_inside_a_sentence_are_translated_too(engine):
    """A policy's name and text, a category's name, a step's first clause: each a text of the
    knowledge base, translated where it sits in the sentence."""
    fr = engine.translations("fr")
    rules = engine.rules(AS_OF)
    category = engine.kb.categories["img-under-3"].name
    other = engine.kb.categories["img-3-plus"].name
    both = say(rules.messages, "pathway-for-an", categories=say(
        rules.messages, "either", one=category[0].lower() + category[1:], other=other[0].lower() + other[1:]))
    french = fr[both]
    for name in (category, other):
        translated = fr[name]
        assert translated[0].lower() + translated[1:] in french
    step = next(s for p in rules.pathways for s in p.steps if ". " in s.text)
    deciding = say(rules.messages, "deciding-step", step=short(step.text), weeks="4", fastest="2", slowest="9")
    assert short(fr[step.text]) in fr[deciding] and short(step.text) not in fr[deciding]


def test_a_translation_that_drops_a_value_is_an_error(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    path = root / "i18n" / "fr" / "messages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = data["messages.yaml#living-costs-in-city.text"]
    entry["text"] = entry["text"].replace("${city}", "la ville")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors = [str(p) for p in check_translations(root) if p.severity == "error"]
    assert any("living-costs-in-city" in e and "same values" in e and "${city}" in e for e in errors), errors


def test_a_changed_message_makes_its_translations_stale_and_the_english_shows(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    path = root / "messages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Housing and meals for", "Rooms and food for"), encoding="utf-8")
    stale = [p for p in check_translations(root) if p.severity == "stale"]
    assert {p.file for p in stale if "living-costs" in p.message} == {f"i18n/{lang}/messages.yaml" for lang in LANGUAGES}
    engine = Engine(root=root)
    text = engine.find(STUDENT, as_of=AS_OF).pathways[0].cost.items[-1].text
    assert text.startswith("Rooms and food for 42 nights")
    assert text not in engine.translations("fr")


def test_the_translator_prefers_the_most_specific_template_and_keeps_unknown_values():
    t = Translator({"Fee: ${fees}.": "Frais : ${fees}.", "Fee: ${fees} at ${post}.": "Frais : ${fees} à ${post}.",
                    "Lagos": "Lagos (NG)"}, short)
    assert t["Fee: esta at Lagos."] == "Frais : esta à Lagos (NG)."
    assert t["Fee: esta."] == "Frais : esta."
    assert "Nothing like it." not in t
    assert t.get("Fee:") is None
