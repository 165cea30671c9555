"""A trainee on a phone, in a real browser (Debian's Chromium driven by Playwright, as in
test_browser.py), with the content-security policy enforced (no `bypass_csp` here):

- the result opens with its summary (the best route now, or the engine's nearest and what it
  would take; when; how much) on the first screen of a 360 px phone, and the pathways the
  person can never use are folded under one line;
- every public page (home, interview steps, result, the knowledge pages and figures, the
  states, the simulator) shows at 360 px without sideways scroll, transfers under 100 KB with
  its CSS, JavaScript and images (the transfer sizes of all its requests, lazy images loaded),
  answers no request with an error (the icon is found) and logs no console error;
- the interview walks to a result without JavaScript, and with htmx without a CSP error;
- an anonymous visitor is offered "send this to your host" (the link, an email, the PDF), a
  signed-in coordinator "Open a case with this pathway", a viewer neither link to a staff page.

The server has its own data directory with the demo institution, its users' password set.
Screenshots at 360 and 1280 go to the test's tmp folder (and to $PATHWAYS_SCREENSHOTS)."""

from __future__ import annotations

import json
import os
import subprocess
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from .test_browser import (SIZES, _answer, _axe, _pathways_command, _screenshots, _wait_after,  # noqa: F401
                           browser, serving)

PASSWORD = "a-long-demo-password-for-the-phone-tests"
BUDGET = 100 * 1024
PHONE = {"width": 360, "height": 740}
AS_OF = "2026-12-01"
LAGOS = ("desired_contact=supervised&stage=graduate&postgraduate_years=4&practice_years=2&home_license=true"
         "&school_recognized_by_mbc=true&ecfmg_certified=false&usmle_passed=&citizenships=NG&current_us_status=none"
         f"&as_of={AS_OF}")
KAMPALA = ("desired_contact=supervised&stage=student&enrolled_in_us_school=false&final_year=true"
           "&school_recognized_by_mbc=true&citizenships=UG&current_us_status=none&host.dean_approved_elective=true"
           f"&duration_weeks=8&as_of={AS_OF}")
# examples/kampala-final-year-student.yaml, as the interview asks it
KAMPALA_PERSONA = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
                   "school_recognized_by_mbc": True, "current_us_status": "none", "desired_contact": "supervised",
                   "duration_weeks": 8, "host": {"dean_approved_elective": True}}
LAGOS_PERSONA = {"citizenships": ["NG"], "stage": "graduate", "postgraduate_years": 4, "practice_years": 2,
                 "home_license": True, "school_recognized_by_mbc": True, "ecfmg_certified": False, "usmle_passed": [],
                 "current_us_status": "none", "desired_contact": "supervised"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`pathways serve` on its own data directory, the demo loaded with a known password."""
    data = tmp_path_factory.mktemp("phone-site")
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    demo = subprocess.run([*_pathways_command(), "demo", "--password", PASSWORD], env=env, capture_output=True,
                          text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    with serving(data, env) as base:
        yield base


class Watch:
    """What a page logs and asks: console errors (a CSP violation among them), uncaught errors,
    failed responses, and the transfer size of every response (headers and body)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.responses: list = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", self._response)
        page.on("requestfailed", lambda r: self.failed.append(f"failed {r.url}"))

    def _response(self, response) -> None:
        self.responses.append(response)
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def reset(self) -> None:
        self.errors, self.failed, self.responses = [], [], []

    def transferred(self) -> tuple[int, list[tuple[str, int]]]:
        sizes = []
        for response in self.responses:
            if not response.url.startswith("http"):
                continue
            try:
                body = len(response.body())
            except Exception:  # a redirect has no body
                body = 0
            try:
                headers = response.request.sizes()["responseHeadersSize"]
            except Exception:
                headers = 0
            sizes.append((response.url, body + max(headers, 0)))
        return sum(s for _, s in sizes), sizes


def _context(browser, **options):  # noqa: F811
    context = browser.new_context(viewport=PHONE, **options)  # the CSP enforced: no bypass_csp
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.watch = Watch(page)
    return context, page


@pytest.fixture()
def phone(browser):  # noqa: F811
    context, page = _context(browser)
    yield page
    context.close()


def _open(page, url: str) -> None:
    """Load `url`, then scroll to its end so that lazy images load too."""
    page.watch.reset()
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    for _ in range(3):
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(150)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def _public_pages(engine) -> dict[str, str]:
    pages = {
        "home": "/",
        "the interview's first question": "/interview/",
        "a question of nationalities": "/interview/?desired_contact=supervised",
        "a question with an error": "/interview/?desired_contact=supervised&fact=postgraduate_years&answer=many",
        "the last questions": "/interview/?desired_contact=supervised&stage=student&enrolled_in_us_school=false"
                              "&school_recognized_by_mbc=true&host.dean_approved_elective=true&citizenships=UG",
        "the Lagos surgeon's result": "/result/?" + LAGOS,
        "the Kampala student's result": "/result/?" + KAMPALA,
        "an empty result": f"/result/?as_of={AS_OF}",
        "the knowledge index": "/knowledge/",
        "the states side by side": "/knowledge/states/",
        "the simulator": "/simulate/",
        "a simulation": "/simulate/?reform=bpc-2112-visa-pairing&run=1",
    }
    for kind in engine.knowledge_kinds():
        pages[f"the {kind}"] = f"/knowledge/{kind}/"
        first = engine.knowledge(kind)[0]
        pages[f"a page of the {kind}"] = f"/knowledge/{kind}/{first.get('id') or first.get('code')}/"
    pages["the longest pathway page"] = "/knowledge/pathways/j1-research-scholar-2111/"
    for category in engine.categories():
        pages[f"figure {category['figure']}"] = f"/knowledge/figures/{category['id']}.svg"
    return pages


def pytest_generate_tests(metafunc):
    if "public_page" in metafunc.fixturenames:
        from pathways import Engine

        pages = _public_pages(Engine.load())
        metafunc.parametrize("public_page", list(pages.items()), ids=list(pages))


# --- every public page ----------------------------------------------------------------------


def test_every_public_page_fits_a_phone_weighs_under_100_kb_and_logs_no_error(public_page, phone, site):
    where, path = public_page
    _open(phone, site + path)
    total, sizes = phone.watch.transferred()
    assert total < BUDGET, f"{where} transfers {total} bytes (budget {BUDGET}): {sizes}"
    for width, height in SIZES.values():
        phone.set_viewport_size({"width": width, "height": height})
        assert phone.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: wider than {width} px"
    assert not phone.watch.errors, f"{where}: console errors {phone.watch.errors}"
    assert not phone.watch.failed, f"{where}: {phone.watch.failed}"  # the icon among them: never a 404
    if not path.endswith(".svg"):
        icon = phone.locator('link[rel="icon"]').get_attribute("href")
        answer = phone.request.get(site + icon)
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert phone.request.get(site + "/favicon.ico").status == 200  # followed to the same icon


# --- the result, short first -----------------------------------------------------------------


def test_the_lagos_surgeon_reads_the_nearest_route_first_and_the_never_usable_ones_are_folded(phone, site, tmp_path):
    _open(phone, site + "/result/?" + LAGOS)
    nearest = json.loads(phone.request.get(site + "/result.json?" + LAGOS).text())["nearest"][0]["id"]
    name = json.loads(phone.request.get(site + f"/knowledge/pathways/{nearest}.json").text())["name"]
    summary = phone.locator("#summary")
    assert summary.bounding_box()["y"] < PHONE["height"], "the summary is not on the first screen"
    text = summary.inner_text()
    assert "Nothing is open to you yet" in text and name in text
    assert "What it would take" in text and "When you could start" in text and "About how much it costs" in text
    never = phone.locator("details#never")
    assert never.count() == 1 and never.get_attribute("open") is None
    e3 = never.locator("li#pathway-e3-2113")
    assert e3.count() == 1 and not e3.is_visible()  # folded under one line
    assert "Not for you" in never.locator("summary").inner_text()
    never.locator("summary").click()
    assert e3.is_visible() and "Australian" in e3.inner_text()
    assert phone.locator("section#open, section#reachable, section#needs-info").locator("#pathway-e3-2113").count() == 0
    assert "Change:" not in phone.locator("main").inner_text()
    _screenshots(phone, tmp_path, "lagos-result")


def test_a_student_walks_the_interview_without_javascript_to_her_best_route(browser, site, engine, tmp_path):  # noqa: F811
    context, page = _context(browser, java_script_enabled=False)
    try:
        facts = dict(engine.check(KAMPALA_PERSONA).facts)
        facts["desired_contact"] = KAMPALA_PERSONA["desired_contact"]
        page.goto(f"{site}/interview/?as_of={AS_OF}")
        for _ in range(40):
            if urlsplit(page.url).path.startswith("/result/"):
                break
            fact = page.locator("form#question input[name=fact]").input_value()
            with page.expect_navigation():  # a plain form's GET: a new page, no htmx
                _answer(page, engine, fact, facts)
        assert urlsplit(page.url).path == "/result/", page.url
        assert "Your best route now" in page.locator("#summary").inner_text()
        assert "B-1 clinical elective" in page.locator("#summary").inner_text()
        assert page.locator("button[data-copy]").is_hidden()  # the copy button needs JavaScript: hidden
        assert page.locator("#share-link").input_value() == page.url
        assert not page.watch.errors and not page.watch.failed, (page.watch.errors, page.watch.failed)
        _screenshots(page, tmp_path, "kampala-result-without-javascript")
    finally:
        context.close()


@pytest.mark.parametrize("persona", ["kampala", "lagos"])
def test_the_interview_with_htmx_logs_no_csp_error(persona, phone, site, engine, tmp_path):
    chosen = {"kampala": KAMPALA_PERSONA, "lagos": LAGOS_PERSONA}[persona]
    facts = dict(engine.check(chosen).facts)
    facts["desired_contact"] = chosen["desired_contact"]
    phone.goto(f"{site}/interview/?as_of={AS_OF}", wait_until="networkidle")
    asked = 0
    while not urlsplit(phone.url).path.startswith("/result/"):
        fact = phone.locator("form#question input[name=fact]").input_value()
        if asked == 1:
            _screenshots(phone, tmp_path, f"{persona}-interview")
        _answer(phone, engine, fact, facts)
        _wait_after(phone, fact)
        asked += 1
        assert asked < 40
    assert not phone.watch.errors, f"console errors: {phone.watch.errors}"
    assert not phone.watch.failed, phone.watch.failed
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator("#summary").bounding_box()["y"] < PHONE["height"]
    assert phone.locator("#share").get_by_role("button", name="Copy").is_visible()  # set up after htmx's swap too
    _screenshots(phone, tmp_path, f"{persona}-walked-result")


@pytest.mark.parametrize("query", [LAGOS, KAMPALA], ids=["lagos", "kampala"])
def test_axe_finds_no_serious_violation_in_the_summary_the_share_box_and_the_folds(query, browser, site):  # noqa: F811
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # lets axe's script in
    try:
        page = context.new_page()
        page.goto(site + "/result/?" + query, wait_until="networkidle")
        _axe(page, "a result on a phone")
    finally:
        context.close()


# --- sharing, not signing in -------------------------------------------------------------------


def test_an_anonymous_trainee_can_send_the_result_to_a_host(phone, site):
    _open(phone, site + "/result/?" + KAMPALA)
    share = phone.locator("#share")
    assert "Send this to your host" in share.inner_text()
    assert phone.locator("#share-link").input_value() == phone.url
    mailto = share.get_by_role("link", name="Email it to your host").get_attribute("href")
    assert mailto.startswith("mailto:")
    body = unquote(parse_qs(urlsplit(mailto).query)["body"][0])
    assert phone.url in body
    pdf = share.get_by_role("link", name="The PDF to carry or attach").get_attribute("href")
    answer = phone.request.get(site + pdf)
    assert answer.status == 200 and answer.body().startswith(b"%PDF")
    copy = share.get_by_role("button", name="Copy")
    assert copy.is_visible()  # shown by the script
    copy.click()
    phone.wait_for_function("document.querySelector('button[data-copy]').textContent === 'Copied'", timeout=5_000)
    assert phone.locator("#share-link").evaluate("f => f.selectionEnd - f.selectionStart") == len(phone.url)
    assert phone.get_by_role("link", name="Open a case with this pathway").count() == 0
    assert phone.locator('a[href^="/workspace/"]').count() == 0


def _sign_in(page, site: str, user: str) -> None:
    page.goto(f"{site}/workspace/login/")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/workspace/")


def test_a_signed_in_coordinator_opens_a_case_and_a_viewer_is_not_sent_to_one(browser, site):  # noqa: F811
    context, page = _context(browser)
    try:
        _sign_in(page, site, "demo-coordinator")
        page.goto(site + "/result/?" + KAMPALA, wait_until="networkidle")
        link = page.locator("article#pathway-b1-elective").get_by_role("link", name="Open a case with this pathway")
        assert link.count() == 1
        link.click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/workspace/cases/new/", page.url
    finally:
        context.close()
    context, page = _context(browser)
    try:
        _sign_in(page, site, "demo-viewer")  # reads the workspace, may not open a case
        page.goto(site + "/result/?" + KAMPALA, wait_until="networkidle")
        assert page.get_by_role("link", name="Open a case with this pathway").count() == 0
    finally:
        context.close()
