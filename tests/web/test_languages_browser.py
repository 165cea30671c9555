"""The interview walked to a result in each language, in Debian's chromium (issue 15): at
360 and 1280 px without JavaScript, the answers given by their values (the words differ by language),
axe-core at the first question and on the result, the page in its language and direction
(Arabic right to left), no sideways scroll, the summary in that language with the visa's name
kept. Screenshots at 360 and 1280 px in the test's tmp folder (and $PATHWAYS_SCREENSHOTS)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .test_browser import _axe, _screenshots, browser  # noqa: F401  (browser: a fixture)
from .test_phone_browser import AS_OF, KAMPALA_PERSONA, _context, site  # noqa: F401  (site: a fixture)

SUMMARY = {"en": "Your best route now", "fr": "Votre meilleure voie aujourd", "es": "Su mejor vía hoy",
           "pt": "O seu melhor caminho agora", "ar": "أفضل مسار لك الآن"}


def _answer_by_value(page, engine, fact: str, facts: dict) -> None:
    form = page.locator("form#question")
    if fact not in facts:
        form.locator("button[name=answer][value=__unknown__]").click()
        return
    value, kind = facts[fact], engine.facts()[fact].type
    if kind in ("bool", "enum"):
        text = ("true" if value else "false") if kind == "bool" else value
        form.locator(f"input[type=radio][name=answer][value='{text}']").check()
    elif kind == "set":
        boxes = form.locator("input[type=checkbox][name=answer]")
        for i in range(boxes.count()):
            boxes.nth(i).set_checked(boxes.nth(i).get_attribute("value") in value)
    elif kind == "codes":
        form.locator("input[type=text][name=answer]").first.fill(",".join(sorted(value)))
    else:
        form.locator("input[name=answer]").first.fill(str(int(value) if isinstance(value, float) and value.is_integer()
                                                          else value))
    form.locator("button[type=submit]:not([value])").click()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["fr", "es", "pt", "ar", "en"])
def test_the_interview_walks_to_a_result_in_each_language(lang, width, browser, site, engine, tmp_path):  # noqa: F811
    context, page = _context(browser, java_script_enabled=False)
    page.set_viewport_size({"width": width, "height": 740 if width == 360 else 900})
    try:
        facts = dict(engine.check(KAMPALA_PERSONA).facts)
        facts["desired_contact"] = KAMPALA_PERSONA["desired_contact"]
        first = f"{site}/interview/?as_of={AS_OF}&lang={lang}"
        page.goto(first)
        html = page.locator("html")
        assert html.get_attribute("lang") == lang
        assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        for _ in range(40):
            if urlsplit(page.url).path.startswith("/result/"):
                break
            fact = page.locator("form#question input[name=fact]").input_value()
            with page.expect_navigation():
                _answer_by_value(page, engine, fact, facts)
        assert urlsplit(page.url).path == "/result/", page.url
        assert page.locator("html").get_attribute("lang") == lang  # kept from page to page
        summary = page.locator("#summary").inner_text()
        assert SUMMARY[lang] in summary and "B-1" in summary
        if lang != "en":
            assert SUMMARY["en"] not in summary
            assert page.locator("p.authoritative a[hreflang=en]").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        _screenshots(page, tmp_path, f"kampala-result-{lang}")
        result = page.url
    finally:
        context.close()
    checker = browser.new_context(viewport={"width": width, "height": 740}, bypass_csp=True)  # lets axe's script in
    try:
        page = checker.new_page()
        for url, where in ((first, "the first question"), (result, "the result")):
            page.goto(url, wait_until="networkidle")
            _axe(page, f"{where} in {lang}")
    finally:
        checker.close()
