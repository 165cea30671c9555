"""The engine's own sentences on translated pages (issue 15 point 1): living costs, start-date
warnings, bad answers and reform texts filled with their parameters read in the page's language,
matched back to their templates in knowledge/messages.yaml and the reforms."""

from __future__ import annotations

import re
from html import unescape

import pytest

from .test_interface_languages import KAMPALA

# asked after Proclamation 10998 was signed and before it took effect (2026-01-01), for a start after
# it (tests/scenarios/a-nigerian-graduate-evaluated-after-proclamation-10998-...)
LAGOS = ("citizenships=NG&stage=graduate&postgraduate_years=0&school_recognized_by_mbc=true&school_ecfmg_eligible=true"
         "&ecfmg_certified=true&usmle_passed=step1,step2ck&statement_of_need=true&current_us_status=none"
         "&start_date=2026-03-01&host.acgme_position=true&as_of=2025-12-20")
REFORMS = ("/simulate/?reform=bpc-2113-three-years&param.bpc-2113-three-years.years=2"
           "&reform=ca-short-term-clinical-permit&param.ca-short-term-clinical-permit.max_days=60&people=300&run=1")


def _page(client, path: str, code: str) -> str:
    response = client.get(f"{path}&lang={code}")
    assert response.status_code in (200, 400), (path, response.status_code)
    return unescape(response.content.decode())


@pytest.mark.parametrize("code, living", [("fr", "Logement et repas pour 42 nuits à Palo Alto"),
                                          ("es", "Alojamiento y comidas durante 42 noches en Palo Alto"),
                                          ("pt", "Alojamento e refeições por 42 noites em Palo Alto"),
                                          ("ar", "السكن والوجبات لمدة 42 ليلة في بالو ألتو")])
def test_living_costs_read_in_the_page_s_language(client, code, living):
    english = _page(client, f"/result/?{KAMPALA}", "en")
    assert "Housing and meals for 42 nights in Palo Alto" in english
    page = _page(client, f"/result/?{KAMPALA}", code)
    assert living in page and "Housing and meals" not in page


@pytest.mark.parametrize("code, words", [("fr", "À partir du 2026-01-01, avant votre date de début"),
                                         ("es", "Desde el 2026-01-01, antes de su fecha de inicio"),
                                         ("pt", "A partir de 2026-01-01, antes da sua data de início"),
                                         ("ar", "قبل تاريخ بدئك")])
def test_a_policy_that_begins_before_the_start_is_said_in_the_page_s_language(client, code, words):
    english = _page(client, f"/result/?{LAGOS}", "en")
    assert "From 2026-01-01, before your start date: Entry restrictions from January 2026" in english
    page = _page(client, f"/result/?{LAGOS}", code)
    assert words in page and "before your start date" not in page and "Entry restrictions from" not in page


def test_an_arabic_sentence_keeps_its_dates_whole(client):
    page = _page(client, f"/result/?{LAGOS}", "ar")
    assert "\u20662026-01-01\u2069" in page


@pytest.mark.parametrize("code, words", [("fr", "Un nombre de 0 à 60 était attendu, reçu : 99"),
                                         ("es", "Se esperaba un número de 0 a 60, se recibió 99"),
                                         ("ar", "كان المتوقع رقمًا من 0 إلى 60")])
def test_a_refused_answer_is_explained_in_the_page_s_language(client, code, words):
    page = _page(client, "/interview/?citizenships=NG&stage=graduate&fact=postgraduate_years&answer=99", code)
    assert words in page and "expected a number" not in page


def test_a_field_the_engine_does_not_know_is_named_in_the_page_s_language(client):
    page = _page(client, "/result/?citizenships=NG&residency_years=4", "es")
    assert "residency_years" in page and "campo desconocido; campos aceptados:" in page
    assert "unknown field" not in page


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_reforms_and_their_parameters_read_in_the_page_s_language(client, code):
    from pathways import Engine

    said = Engine.load().translations(code)
    english = _page(client, REFORMS, "en")
    assert "BPC 2113 asks three years of practice instead of four" in english
    page = _page(client, REFORMS, code)
    assert said["BPC 2113 asks three years of practice instead of four"] in page
    assert "BPC 2113 asks three years" not in page and "A California permit for supervised care" not in page


def test_a_host_program_and_whom_it_takes_are_joined_the_language_s_way(client):
    """French sets a (non-breaking) space before a colon; the others do not."""
    assert "(Stanford University School of Medicine)\u00a0: Étudiants" in _page(client, f"/result/?{KAMPALA}", "fr")
    assert "(Stanford University School of Medicine): Estudiantes" in _page(client, f"/result/?{KAMPALA}", "es")


LAGOS_NO_STAY = ("desired_contact=supervised&stage=graduate&postgraduate_years=4&practice_years=2&home_license=true"
                 "&school_recognized_by_mbc=true&ecfmg_certified=false&usmle_passed=&citizenships=NG"
                 "&current_us_status=none&as_of=2026-12-01")  # no start date, no length of stay


def test_the_summary_s_first_day_and_payers_follow_the_language_s_colon(client):
    """"Once it is settled, and begun today: likely first day …" and "(you: $205; the host: …)": French sets a
    non-breaking space before the colon and the semicolon, Arabic has its own semicolon."""
    french, spanish = _page(client, f"/result/?{LAGOS_NO_STAY}", "fr"), _page(client, f"/result/?{LAGOS_NO_STAY}", "es")
    assert "en commençant aujourd'hui\u00a0: premier jour probable" in french
    assert "(vous\u00a0: $" in french and "\u00a0; l'établissement d'accueil\u00a0: $" in french
    assert "(usted: $" in spanish or "(tú: $" in spanish, spanish[spanish.find("$"):][:300]
    assert "aujourd'hui: " not in french and "vous: $" not in french
    arabic = _page(client, f"/result/?{LAGOS_NO_STAY}", "ar")
    assert "\u061b " in arabic[arabic.find("$"):][:400]  # the Arabic semicolon between the payers


def test_an_arabic_page_keeps_its_amounts_whole_and_an_english_one_is_unchanged(client):
    """In an Arabic sentence "$1,585" was drawn "1,585$": each amount is a left-to-right isolate there,
    in the summary, the costs, a step's cost and a state's fees; English pages carry no isolates."""
    for url in (f"/result/?{LAGOS_NO_STAY}", f"/result/?{KAMPALA}", "/knowledge/states/?"):
        arabic, english = _page(client, url, "ar"), _page(client, url, "en")
        found = list(re.finditer(r"\$[0-9][0-9,.]*", arabic))
        assert found, url
        bare = [arabic[max(0, m.start() - 80):m.end()] for m in found if arabic[m.start() - 1] != "\u2066"]
        assert not bare, (url, bare)  # each amount opened as an isolate
        assert "\u2066" not in english and re.search(r"\$[0-9]", english), url
