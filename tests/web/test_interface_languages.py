"""The public pages' interface in each language (issue 15 point 1): no English text is left
outside the translation tags of the public templates, and each page, fetched in French, Spanish,
Portuguese and Arabic, shows its headings, labels, buttons and messages in that language, not in
English; the result's PDF is worded in the page's language and kept apart per language."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

LANGS = ("fr", "es", "pt", "ar")
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "pathways" / "web" / "finder" / "templates" / "finder"
# words a page shows in every language: formats, the product's name, the language's own name
KEPT = {"API", "JSON", "CSV", "PDF", "SVG", "YAML", "English", "Exchange", "Pathways"}
KAMPALA = ("desired_contact=supervised&stage=student&enrolled_in_us_school=false&final_year=true"
           "&school_recognized_by_mbc=true&citizenships=UG&current_us_status=none&host.dean_approved_elective=false"
           "&start_date=2027-07-05&duration_weeks=6&host_city=palo-alto")

# each public page, and interface phrases it shows in English (a heading, a label, a button, an
# aria-label, a message written by the face's Python)
PAGES = {
    "/": ["Train hands-on in California", "What you get", "Browse the knowledge", "For developers",
          "An Australian physician offered a faculty post", "State authorizations"],
    f"/result/?{KAMPALA}": ["about this pathway", "Timeline", "Costs", "Barriers and enablers", "Warnings",
                            "Requirements:", "Visa, then California authorization, then patient contact",
                            "The step that decides it:", "(may take you: check)", "Where you could apply"],
    "/knowledge/": ["The knowledge base", "The article's figures, drawn from the data", "Policy events",
                    "Host programs"],
    "/knowledge/pathways/b1-elective/": ["This page as JSON", "Summary",
                                         "Categories", "Requirements", "Patient contact"],
    "/knowledge/visas/": ["This list as JSON"],
    "/knowledge/states/": ["The states side by side", "What it allows", "Who qualifies", "How long",
                           "None found in the sources read."],
    "/simulate/?reform=ca-short-term-clinical-permit&run=1&people=300": [
        "What would a reform change?", "Population and dates", "Rank each reform alone",
        "People by the most patient contact open to them", "Policy brief (PDF)", "(or nothing open)"],
    "/result/?stage=bogus": ["Some answers could not be read", "Continue without these answers", "Start again"],
    "/interview/?desired_contact=supervised&fact=stage&answer=": ["No answer was given.",
                                                                 "one of the choices above"],
}


def _untranslated_words(source: str) -> list[str]:
    """The words of a template written outside {% translate %} and {% blocktranslate %}: its
    text between tags, and its aria-label, title, alt and placeholder attributes."""
    from django.template.base import Lexer, TokenType

    parts, inside = [], 0
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK and token.contents.split() else ""
        inside += name in ("blocktranslate", "comment") and 1 or -(name in ("endblocktranslate", "endcomment"))
        parts.append(token.contents if token.token_type == TokenType.TEXT and not inside else "\x00")
    text = "".join(parts)
    said = re.findall(r'(?:aria-label|title|alt|placeholder|data-copied)="([^"]*)"', text)
    shown = re.sub(r"<[^>]*>", " ", text)
    shown = re.sub(r"://\S*|/[\w.-]+/", " ", shown)  # an address the page prints is no English
    return [w for chunk in said + [shown] for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", chunk) if w not in KEPT]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_no_english_is_left_outside_the_translation_tags(template):
    assert _untranslated_words((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_the_check_of_the_templates_finds_english_left_bare():
    found = _untranslated_words('{% load i18n %}<h2>Costs</h2><p title="Said above">{% translate "Timeline" %} '
                                '{% blocktranslate %}About {{ n }}{% endblocktranslate %} <a href="/knowledge/x/">JSON</a>')
    assert found == ["Said", "above", "Costs"]


def _page(client, path: str, code: str) -> str:
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={code}")
    assert response.status_code in (200, 400), (path, response.status_code)
    return unescape(response.content.decode())


@pytest.mark.parametrize("path", list(PAGES))
def test_each_public_page_speaks_the_page_s_language(client, path):
    from django.utils import translation

    english = _page(client, path, "en")
    for phrase in PAGES[path]:
        assert phrase in english, (path, phrase)  # the phrase is the page's own, in English
    for code in LANGS:
        page = _page(client, path, code)
        for phrase in PAGES[path]:
            with translation.override(code):
                words = translation.gettext(phrase)
            assert words != phrase, (code, phrase)  # the catalogue has it in this language
            assert phrase not in page, (path, code, phrase)
            assert words in page, (path, code, words)


@pytest.mark.parametrize("code, words", [("fr", "remplies : 5, non remplies : 1, inconnues : 0"),
                                         ("es", "cumplidos: 5, no cumplidos: 1, desconocidos: 0"),
                                         ("pt", "cumpridos: 5, não cumpridos: 1, desconhecidos: 0"),
                                         ("ar", "مستوفاة: 5، غير مستوفاة: 1، غير معروفة: 0")])
def test_a_pathway_s_counts_read_in_the_page_s_language(client, code, words):
    page = _page(client, f"/result/?{KAMPALA}", code)
    assert words in page and "5 met, 1 unmet, 0 unknown" not in page


def test_a_plural_follows_the_language_s_rule(client):
    # Arabic has six plural forms: one pathway is said in words, not as "1 pathways"
    page = _page(client, f"/result/?{KAMPALA}", "ar")
    assert "مسار واحد" in page and "1 pathway" not in page
    assert "5 voies" in _page(client, f"/result/?{KAMPALA}", "fr")


def test_an_arabic_page_keeps_its_dates_whole(client):
    """After Arabic words a date's numbers would read in reverse (05-07-2027): each date is a
    left-to-right isolate on a right-to-left page, and plain on a left-to-right one."""
    assert "\u20662027-07-05\u2069" in _page(client, f"/result/?{KAMPALA}", "ar")
    french = _page(client, f"/result/?{KAMPALA}", "fr")
    assert "2027-07-05" in french and "\u2066" not in french


@pytest.fixture
def drawn(monkeypatch):
    """The PDFs' HTML, as rendered: html_to_pdf replaced by a recorder (the wording is what is
    checked here), with empty caches."""
    from django.core.cache import caches

    from pathways.web.finder import pdf

    for alias in ("default", pdf.CACHE):
        caches[alias].clear()
    made: list[str] = []

    def record(html: str) -> bytes:
        made.append(html)
        return b"%PDF-1.7 " + html.encode()

    monkeypatch.setattr(pdf, "html_to_pdf", record)
    monkeypatch.setattr(pdf, "available", lambda: True)
    yield made
    for alias in ("default", pdf.CACHE):
        caches[alias].clear()


def test_the_pdf_is_worded_in_the_page_s_language_and_kept_apart_per_language(client, drawn):
    french = client.get(f"/result.pdf?{KAMPALA}&lang=fr", REMOTE_ADDR="10.9.0.1")
    english = client.get(f"/result.pdf?{KAMPALA}&lang=en", REMOTE_ADDR="10.9.0.2")
    assert french.status_code == english.status_code == 200
    assert len(drawn) == 2  # the English one is not the French one taken from the cache
    assert "Calendrier" in unescape(drawn[0]) and "Timeline" not in drawn[0]
    assert "Timeline" in drawn[1] and "Calendrier" not in drawn[1]
    again = client.get(f"/result.pdf?{KAMPALA}&lang=fr", REMOTE_ADDR="10.9.0.3")
    assert again.content == french.content and len(drawn) == 2  # each language from its own cache entry
