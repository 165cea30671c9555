"""The article's figures as Chromium draws them, in English, French, Spanish, Portuguese and
Arabic (issue 15; Debian's chromium, as in test_browser.py):

- on /knowledge/ and a pathway's page at 360 and 1280 px, each figure is loaded in the page's
  language (the <img>'s own address carries it), fits the page (no sideways scroll) and shows
  at the size the page gave it;
- in each figure, narrow (two columns) and wide (four), every line of every box is inside its
  box as the browser measures the text (width and height), and the heading inside the figure;
- Arabic lines run right to left: in "تصريح Special Program ... (BPC 2111)" the Arabic word
  that starts the line is drawn to the right of the Latin name that follows it.

Screenshots at 360 and 1280 px go to the test's tmp folder (and $PATHWAYS_SCREENSHOTS)."""

from __future__ import annotations

import pytest

from .test_browser import _screenshots, browser, server  # noqa: F401  (browser, server: fixtures)

LANGS = ("en", "fr", "es", "pt", "ar")
CATEGORIES = ("student", "img-under-3", "img-3-plus")

# every box's lines inside its rectangle, and every heading inside the figure, as drawn
MEASURE = """() => {
  const out = [], width = +document.documentElement.getAttribute('width');
  for (const g of document.querySelectorAll('g')) {
    for (const text of g.querySelectorAll('text')) {
      const rect = text.previousElementSibling, box = text.getBBox();
      const x = +rect.getAttribute('x'), y = +rect.getAttribute('y');
      const w = +rect.getAttribute('width'), h = +rect.getAttribute('height');
      if (box.x < x + 2 || box.x + box.width > x + w - 2 || box.y < y + 2 || box.y + box.height > y + h - 2)
        out.push(`${g.id}: "${text.textContent}" at ${Math.round(box.x)},${Math.round(box.y)} `
                 + `${Math.round(box.width)}x${Math.round(box.height)} in ${x},${y} ${w}x${h}`);
    }
  }
  for (const text of document.querySelectorAll('svg > text')) {
    const box = text.getBBox();
    if (box.x < 0 || box.x + box.width > width) out.push(`heading "${text.textContent}" outside 0..${width}`);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_every_line_of_every_figure_is_inside_its_box(lang, browser, server):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    try:
        for category in CATEGORIES:
            for query in ("", "&columns=4"):
                page.goto(f"{server}/knowledge/figures/{category}.svg?lang={lang}{query}")
                assert page.evaluate(MEASURE) == [], (lang, category, query)
    finally:
        context.close()


def test_an_arabic_line_runs_right_to_left(browser, server):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server}/knowledge/figures/img-3-plus.svg?lang=ar")
        # the first line of the 2111 permit's box: "تصريح Special" (the permit's name kept in English)
        found = page.evaluate("""() => {
          const g = document.getElementById('j1-research-scholar-2111');
          const line = g.querySelectorAll('text')[1].querySelector('tspan');
          const latin = line.textContent.search(/[A-Za-z]/);
          return {text: line.textContent, arabic: line.getStartPositionOfChar(0).x,
                  latin: line.getStartPositionOfChar(latin).x, first: line.getExtentOfChar(0).x};
        }""")
        assert found["text"].startswith("تصريح"), found
        assert found["latin"] < found["first"], found  # the Latin name to the left of the Arabic word before it
    finally:
        context.close()


@pytest.mark.parametrize("lang", ("en", "fr", "ar"))
@pytest.mark.parametrize("path", ["/knowledge/", "/knowledge/pathways/j1-research-scholar-2111/"])
def test_the_pages_show_their_figures_in_their_language_at_any_width(lang, path, browser, server, tmp_path):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    try:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{server}{path}?lang={lang}")
            page.evaluate("() => document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
            page.wait_for_function("() => [...document.querySelectorAll('figure img')].every(i => i.complete)")
            # the wide drawing from 48rem (768 px) up, at the <source>'s size; the narrow one below, at the <img>'s
            figures = page.evaluate("""() => [...document.querySelectorAll('figure img')].map(i => ({
                src: i.currentSrc, shown: i.getBoundingClientRect().width, natural: i.naturalWidth,
                given: +(innerWidth >= 768 ? i.closest('picture').querySelector('source') : i).getAttribute('width')}))""")
            assert figures, (path, lang)
            for f in figures:
                assert f["natural"] > 0 and f["natural"] == f["given"], f  # loaded, at the size the page said
                assert (f"lang={lang}" in f["src"]) == (lang != "en"), f
                assert ("columns=4" in f["src"]) == (width >= 768), f
                assert f["shown"] <= width, f
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, lang, width)
        _screenshots(page, tmp_path, f"figures-{path.strip('/').replace('/', '-')}-{lang}")
    finally:
        context.close()
