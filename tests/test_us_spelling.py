"""The English says "license", as the article does (US spelling; issue 15): the knowledge base's
English texts (letters too), the public pages' interface strings and their catalogues' msgids.
Kept as they are: a source's title (the document's own words) and ids (they are addresses).
The translations were made from the new English (none stale); French keeps its own word,
"licence", and the other languages quote the English name as the English now writes it."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import yaml

from pathways.rules.translations import check_translations, english_texts, read_entries

ROOT = Path(__file__).resolve().parents[1] / "src" / "pathways"
KNOWLEDGE = ROOT / "knowledge"
BRITISH = re.compile(r"\b[Ll]icences?\b")
SLUG = re.compile(r"^[a-z0-9-]+$")


def _texts(data, keys=()):
    """(path, text) of every string of a YAML document but ids and sources' titles."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id":
                continue
            yield from _texts(value, keys + (str(key),))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _texts(item, keys + (str(i),))
    elif isinstance(data, str) and not SLUG.match(data):  # a slug is an id wherever it stands
        yield keys, data


def test_the_english_knowledge_writes_license():
    found = []
    for path in sorted(KNOWLEDGE.rglob("*.yaml")):
        rel = path.relative_to(KNOWLEDGE)
        if rel.parts[0] == "i18n":
            continue
        for keys, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if rel.parts[0] == "sources" and keys[-1:] == ("title",):
                continue
            if BRITISH.search(text):
                found.append(f"{rel}#{'.'.join(keys)}: {text[:80]}")
    assert found == []
    letters = [p for p in (KNOWLEDGE / "letters").rglob("*.yaml") if "license" in p.read_text(encoding="utf-8")]
    assert letters  # the letters' texts are among those read above, and say "license"


def test_the_interface_writes_license():
    templates = ROOT / "web" / "finder" / "templates"
    assert [p.name for p in templates.rglob("*.html") if BRITISH.search(p.read_text(encoding="utf-8"))] == []
    for catalogue in sorted((ROOT / "web" / "locale").glob("*/LC_MESSAGES/django.po")):
        entries = polib.pofile(str(catalogue))
        assert [e.msgid for e in entries if BRITISH.search(e.msgid)] == [], catalogue
        assert any("full license" in e.msgid for e in entries), catalogue
        assert not [e.msgid for e in entries if e.fuzzy or e.obsolete], catalogue


def test_the_translations_were_made_from_the_new_english():
    english = english_texts(KNOWLEDGE)
    assert [p for p in check_translations(KNOWLEDGE) if p.severity == "stale"] == []
    question = "facts.yaml#california_license.question"
    assert "license" in english[question] and not BRITISH.search(english[question])
    entries = {(e.language, e.address): e.translation for e in read_entries(KNOWLEDGE)[0]}
    for language in ("fr", "es", "pt", "ar"):
        assert entries[(language, question)].en == english[question]


@pytest.mark.parametrize("language, kept", [
    ("fr", "Licence de Physician's and Surgeon's (licence complète)"),  # French's own word
    ("pt", "Licença de médico e cirurgião (Physician's and Surgeon's license, licença plena)"),
    ("ar", "ترخيص الطبيب والجرّاح (Physician's and Surgeon's license، الترخيص الكامل)"),
])
def test_each_language_keeps_its_own_word_and_quotes_the_english_as_it_is(language, kept):
    entries = {e.address: e.translation for e in read_entries(KNOWLEDGE, language)[0]}
    assert entries["ca/authorizations/full-license.yaml#name"].text == kept
    if language != "fr":  # an English word quoted in Spanish, Portuguese or Arabic is the English's
        assert [a for a, t in entries.items() if BRITISH.search(t.text)] == []
