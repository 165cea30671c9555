"""The article's Figures 1 to 3 in the page's language (issue 15): the SVG's heading, note and
contact levels through gettext, its visas, authorizations and routes as the knowledge base's
translations give them (the `kb` filter's), legal names (B-1, J-1, BPC 2111) kept and never
broken across lines, Arabic drawn right to left (the first pathway in the right-hand column),
two columns that a 360 px phone shows whole in every language, and each box as tall as its
longest text. The pages ask for the figure in their own language and size its <img> to it."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest
from django.utils import translation

from pathways.present.diagram import BOX_H, CONTACT_TEXT, LINE, _wrap

SVG = "{http://www.w3.org/2000/svg}"
LANGS = ("fr", "es", "pt", "ar")
CATEGORIES = ("student", "img-under-3", "img-3-plus")


def _engine():
    from pathways.web.engine import get_engine

    return get_engine()


def _svg(client, category: str, query: str = "") -> ET.Element:
    page = client.get(f"/knowledge/figures/{category}.svg?{query}")
    assert page.status_code == 200, page.content[:300]
    return ET.fromstring(page.content)


def _boxes(column: ET.Element) -> list[str]:
    """A column's three boxes, each box's lines joined as one text."""
    return [" ".join(span.text for span in text.iter(f"{SVG}tspan")) for text in column.iter(f"{SVG}text")]


def _lines(root: ET.Element) -> list[str]:
    return [span.text for span in root.iter(f"{SVG}tspan")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("category", CATEGORIES)
def test_a_figure_is_drawn_in_the_page_s_language(client, lang, category):
    engine = _engine()
    words = engine.translations(lang)
    figure = engine.figure(category)
    root = _svg(client, category, f"lang={lang}")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    columns = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    assert list(columns) == [c["id"] for c in figure["columns"]]
    with translation.override(lang):
        from pathways.web.finder.words import contact

        changed = 0
        for c in figure["columns"]:
            visa, authorization, level = _boxes(columns[c["id"]])
            # a name the translation keeps as the law writes it ("Postgraduate Training License (PTL)" in French) stays
            assert visa == words[c["visa"]] and authorization == words[c["authorization"]], (lang, c["id"])
            changed += (visa != c["visa"]) + (authorization != c["authorization"])
            assert level == contact(c["patient_contact"]) != CONTACT_TEXT[c["patient_contact"]], (lang, c["id"])
            assert columns[c["id"]].find(f"{SVG}title").text == words[c["name"]]
        assert changed >= len(figure["columns"]), (lang, changed)  # most names read in the language
    heading = root.find(f"{SVG}title").text
    assert words[figure["name"]] in heading and figure["name"] not in heading
    notes = " ".join(t.text for t in root.findall(f"{SVG}text"))
    assert "Visa, then" not in notes and "Drawn from the knowledge base" not in notes
    # the legal names stay as the law writes them, each whole on one line
    drawn = " ".join(_lines(root))
    for name in re.findall(r"\b(?:[BFJ]-1|H-1B|E-3|O-1A|TN|BPC \d{4})\b", " ".join(c["visa"] + " " + c["authorization"]
                                                                                for c in figure["columns"])):
        assert name in drawn, (lang, name)
    assert not [line for line in _lines(root) if re.search(r"\bBPC$|^\d{4}\)", line)], (lang, _lines(root))


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_english_figure_is_the_article_s(client, category):
    root = _svg(client, category)
    figure = _engine().figure(category)
    assert root.find(f"{SVG}title").text == f"Figure {figure['number']}: {figure['name']}"
    assert root.get("direction") is None
    first = next(root.iter(f"{SVG}g"))
    assert _boxes(first)[0] == figure["columns"][0]["visa"]
    assert _boxes(first)[2] == CONTACT_TEXT[figure["columns"][0]["patient_contact"]]


def test_an_arabic_figure_reads_right_to_left(client):
    root = _svg(client, "img-3-plus", "lang=ar")
    width = int(root.get("width"))
    assert root.get("direction") == "rtl"
    assert all(t.get("direction") == "rtl" for t in root.iter(f"{SVG}text"))
    headings = root.findall(f"{SVG}text")
    assert all(float(t.get("x")) > width / 2 for t in headings)  # anchored at the right edge
    columns = list(root.iter(f"{SVG}g"))
    x = [float(g.find(f"{SVG}rect").get("x")) for g in columns]
    assert x[0] > x[1]  # the first pathway on the right, the second to its left
    assert x[0] + 150 <= width and x[1] >= 0
    english = _svg(client, "img-3-plus", "lang=en")  # the client keeps the cookie ?lang=ar set
    ex = [float(g.find(f"{SVG}rect").get("x")) for g in english.iter(f"{SVG}g")]
    assert ex[0] < ex[1]


@pytest.mark.parametrize("lang", ("en",) + LANGS)
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_box_holds_its_lines_and_a_phone_shows_the_figure_whole(client, lang, category):
    root = _svg(client, category, f"lang={lang}")
    assert int(root.get("width")) <= 360
    for g in root.iter(f"{SVG}g"):
        for rect, text in zip(g.findall(f"{SVG}rect"), g.findall(f"{SVG}text")):
            top, height = float(rect.get("y")), float(rect.get("height"))
            ys = [float(s.get("y")) for s in text.iter(f"{SVG}tspan")]
            assert height >= BOX_H and len(ys) * LINE <= height - 12, (lang, g.get("id"), len(ys), height)
            assert top + 6 <= min(ys) - LINE / 2 and max(ys) + LINE / 2 <= top + height - 6, (lang, g.get("id"))
        # a line of a box is at most about its width (12 px text, some 7 px a character)
        assert all(len(line) <= 24 for line in _lines(g)), [line for line in _lines(g) if len(line) > 24]


@pytest.mark.parametrize("path", ["/knowledge/", "/knowledge/pathways/j1-research-scholar-2111/"])
def test_the_pages_ask_for_the_figure_in_their_language_at_its_size(client, path):
    for lang in ("fr", "ar"):
        html = client.get(f"{path}?lang={lang}").content.decode()
        img = re.search(r'<img src="/knowledge/figures/([a-z0-9-]+)\.svg\?lang=' + lang + r'" width="(\d+)" height="(\d+)"', html)
        assert img, (path, lang)
        category, width, height = img.groups()
        assert f'srcset="/knowledge/figures/{category}.svg?columns=4&amp;lang={lang}"' in html
        narrow = _svg(client, category, f"lang={lang}")
        assert (narrow.get("width"), narrow.get("height")) == (width, height)
        wide = re.search(r'srcset="[^"]+" width="(\d+)" height="(\d+)"', html).groups()
        assert (_svg(client, category, f"columns=4&lang={lang}").get("width"),
                _svg(client, category, f"columns=4&lang={lang}").get("height")) == wide
    english = client.get(f"{path}?lang=en").content.decode()  # the English figure at its plain address
    assert re.search(r'<img src="/knowledge/figures/[a-z0-9-]+\.svg" ', english)


def test_a_legal_name_is_never_broken_across_lines():
    assert _wrap("Special Program permit, specialty fellowship (BPC 2112)") == [
        "Special Program", "permit, specialty", "fellowship", "(BPC 2112)"]
    assert any("(BPC 2111)" in line for line in _wrap("تصريح Special Program للزميل الزائر (BPC 2111)"))
    assert _wrap("Step 3 of the USMLE 3 exams", 12) == ["Step 3 of", "the USMLE 3", "exams"]
