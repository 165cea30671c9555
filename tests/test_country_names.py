"""Country names in the interview's other languages (issue 15 point 1): the lists' names in
French, Spanish, Portuguese and Arabic are Unicode CLDR's (knowledge/i18n, written by
scripts/country-names from Babel), and a nationality typed in any of the languages, in any case,
with or without accents, is read as its ISO code; nothing else is guessed."""

from __future__ import annotations

import re

import pytest
import yaml
from babel import Locale

from pathways.engine.interview import name_key
from pathways.rules.location import KNOWLEDGE_ROOT
from pathways.rules.translations import LANGUAGES, english_texts, read_entries

LISTS = ["world/countries.yaml", *sorted(p.relative_to(KNOWLEDGE_ROOT).as_posix()
                                         for p in (KNOWLEDGE_ROOT / "us" / "lists").glob("*.yaml"))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_listed_country_has_cldr_s_name_in_each_language(language):
    """Rerun scripts/country-names when this fails: a list changed, or Babel brought new CLDR data."""
    names = Locale(language).territories
    stored = {e.address: e.translation for e in read_entries(KNOWLEDGE_ROOT, language)[0]}
    for rel in LISTS:
        members = yaml.safe_load((KNOWLEDGE_ROOT / rel).read_text(encoding="utf-8"))["members"]
        for i, member in enumerate(members):
            found = stored.get(f"{rel}#members.{i}.name")
            assert found is not None, f"{language}: {rel} has no name for {member['code']}"
            assert (found.en, found.text) == (member["name"], names[member["code"]]), (language, member["code"])


@pytest.mark.parametrize("typed, code", [
    ("Ouganda", "UG"), ("ouganda", "UG"), ("OUGANDA", "UG"),  # French
    ("Sénégal", "SN"), ("senegal", "SN"), ("Nigéria", "NG"), ("Côte d’Ivoire", "CI"), ("Etats-Unis", "US"),
    ("Moçambique", "MZ"), ("Mocambique", "MZ"), ("Costa do Marfim", "CI"),  # Portuguese
    ("Sudán", "SD"), ("Estados Unidos", "US"), ("Guinea Ecuatorial", "GQ"),  # Spanish
    ("السودان", "SD"), ("السُّودان", "SD"), ("أوغندا", "UG"), ("اوغندا", "UG"), ("ساحل العاج", "CI"),  # Arabic
    ("Uganda", "UG"), ("Ivory Coast", "CI"), ("UG", "UG"),  # English names, aliases and codes still
])
def test_a_country_typed_in_any_of_the_languages_is_read_as_its_code(engine, typed, code):
    assert engine.country_code(typed) == code


@pytest.mark.parametrize("typed", ["Ougandaa", "Narnia", "Soudan du Nord", "السودانية", "Uganda!!x"])
def test_a_name_that_is_none_of_the_languages_names_is_not_guessed(engine, typed):
    assert engine.country_code(typed) is None


def test_the_arabic_comma_separates_nationalities_as_the_comma_does(engine):
    assert engine.country_codes("أوغندا، كينيا") == (["UG", "KE"], [])
    assert engine.country_codes("Ouganda, Narnia") == (["UG"], ["Narnia"])


def test_no_name_in_one_language_names_another_country_in_another(engine):
    """Each matching key stands for one country across English, its aliases and the four
    languages, so reading a name never depends on which language the person typed in."""
    keys: dict[str, set[str]] = {}
    for member in engine.kb.lists["countries"].members:
        for name in (member.code, member.name, *member.aliases):
            keys.setdefault(name_key(name), set()).add(member.code)
    for language in LANGUAGES:
        for code, name in engine.country_names(language).items():
            assert name_key(name), (language, code, name)  # a name in any script keeps a key
            keys.setdefault(name_key(name), set()).add(code)
    assert {k: c for k, c in keys.items() if len(c) > 1} == {}


def test_the_names_come_in_the_language_asked_and_in_english_otherwise(engine):
    assert engine.country_names("fr")["UG"] == "Ouganda" and engine.country_names("ar")["SD"] == "السودان"
    assert engine.country_names("pt")["MZ"] == "Moçambique" and engine.country_names("es")["SD"] == "Sudán"
    assert engine.country_names()["UG"] == "Uganda" and engine.country_names("de")["UG"] == "Uganda"


def test_no_text_a_person_reads_gives_a_stand_in_date():
    """A date the data only uses because none is known (a fee's `from`) is not shown as a fact:
    the texts say what is not known instead (issue 15)."""
    marked = {a: t for a, t in english_texts(KNOWLEDGE_ROOT).items()
              if re.search(r"stands? in\b|stand-in|taken as \d{4}-\d{2}-\d{2}", t)}
    assert marked == {}
