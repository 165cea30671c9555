"""The public pages' languages (issue 15 point 1): chosen from the address, else the choice
remembered, else the browser's Accept-Language; Arabic right to left; every translated page
says English is authoritative and links to it; the interview's questions come from the
knowledge base's translations; the workspace and the API stay English; the interface's
catalogues are complete and compiled."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "pathways" / "web" / "locale"
LANGS = ("fr", "es", "pt", "ar")


def _lang(html: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([a-z]{2})" dir="(ltr|rtl)"', html)
    assert found, html[:300]
    return found.group(1), found.group(2)


@pytest.mark.parametrize("code", LANGS)
def test_the_address_chooses_the_language_and_the_choice_is_remembered(client, code):
    page = client.get(f"/?lang={code}")
    assert page["Content-Language"] == code and "Accept-Language" in page["Vary"]
    assert _lang(page.content.decode()) == (code, "rtl" if code == "ar" else "ltr")
    assert page.cookies["pathways_language"].value == code
    again = client.get("/interview/")  # no parameter: the remembered choice
    assert again["Content-Language"] == code


def test_the_browser_s_language_is_used_when_nothing_was_chosen(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es-PE,es;q=0.9,en;q=0.5")["Content-Language"] == "es"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")["Content-Language"] == "en"
    assert client.get("/?lang=xx")["Content-Language"] == "en"  # not one of ours: ignored


def test_a_translated_page_says_english_is_authoritative_and_links_to_it(client):
    html = client.get("/interview/?lang=fr&stage=student").content.decode()
    english = re.search(r'<p class="authoritative">[^<]*<a href="([^"]+)" hreflang="en"', html)
    assert english and english.group(1).endswith("lang=en") and "stage=student" in english.group(1)
    assert 'class="authoritative"' in html
    assert 'class="authoritative"' not in client.get("/interview/?lang=en").content.decode()


def test_every_page_offers_the_switch_and_it_keeps_the_answers(client):
    html = client.get("/interview/?stage=student&lang=pt").content.decode()
    for code in ("en", "fr", "es", "ar"):  # the page's own language is said, not linked
        assert f'href="/language/{code}/"' in html, code
    assert '<span aria-current="true" lang="pt">Português</span>' in html
    back = client.get("/language/ar/", HTTP_REFERER="http://testserver/interview/?stage=student&lang=pt")
    assert back.status_code == 302 and back["Location"] == "/interview/?stage=student&lang=ar"
    english = client.get("/language/en/", HTTP_REFERER="http://testserver/result/?stage=student&lang=pt")
    assert english["Location"] == "/result/?stage=student"
    elsewhere = client.get("/language/fr/", HTTP_REFERER="https://evil.example/phish")
    assert elsewhere["Location"] == "/?lang=fr"
    assert client.get("/language/xx/").status_code == 404


def test_english_chosen_after_french_stays_english(client):
    """A remembered French choice (the cookie) must not answer in French the English page the
    person just asked for, by the switch or by the "English is authoritative" link."""
    client.get("/interview/?stage=student&lang=fr")
    assert client.cookies["pathways_language"].value == "fr"
    assert 'lang="fr"' in client.get("/interview/?stage=student").content.decode()  # remembered
    back = client.get("/language/en/", HTTP_REFERER="http://testserver/interview/?stage=student&lang=fr")
    assert back["Location"] == "/interview/?stage=student"
    assert client.cookies["pathways_language"].value == "en"
    assert '<html lang="en"' in client.get(back["Location"]).content.decode()
    client.get("/interview/?stage=student&lang=fr")
    html = client.get("/interview/?stage=student").content.decode()
    english = re.search(r'<p class="authoritative">[^<]*<a href="([^"]+)" hreflang="en"', html).group(1)
    assert '<html lang="en"' in client.get(english.replace("&amp;", "&")).content.decode()


@pytest.mark.parametrize("code", LANGS)
def test_the_interview_asks_in_the_knowledge_base_s_translation(client, code):
    from pathways.web.engine import get_engine

    engine = get_engine()
    html = client.get(f"/interview/?desired_contact=supervised&lang={code}").content.decode()
    fact = re.search(r'<input type="hidden" name="fact" value="([^"]+)"', html).group(1)
    english = engine.question(fact).question
    translated = engine.translations(code)[english.strip()]
    assert translated != english
    assert escape(translated) in html and escape(english) not in html


@pytest.mark.parametrize("path", ["/workspace/login/", "/api/v1/pathways"])
def test_the_workspace_and_the_api_stay_english(client, path):
    assert client.get(f"{path}?lang=fr", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "en"


@pytest.mark.parametrize("code", LANGS)
def test_each_catalogue_is_whole_and_its_compiled_file_matches(code):
    import polib  # a test dependency (pyproject's test extras)

    po = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
    assert len(po) > 50
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:5]
    mo = polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))
    assert {(e.msgid, e.msgstr) for e in po.translated_entries()} <= {(e.msgid, e.msgstr) for e in mo}, \
        "django.mo is older than django.po: run scripts/messages"


@pytest.mark.parametrize("code, words", [("fr", "Votre meilleure voie aujourd"), ("es", "Su mejor vía hoy"),
                                         ("pt", "O seu melhor caminho agora"), ("ar", "أفضل مسار لك الآن")])
def test_the_result_opens_with_its_summary_in_the_page_s_language(client, code, words):
    kampala = ("desired_contact=supervised&citizenships=UG&stage=student&enrolled_in_us_school=false&final_year=true"
               "&school_recognized_by_mbc=true&current_us_status=none&us_permanent_resident=false"
               "&host.dean_approved_elective=true")
    html = client.get(f"/result/?{kampala}&lang={code}").content.decode()
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert words in summary and "Your best route now" not in summary
    assert "B-1" in summary  # the visa's name is kept whole in every language
