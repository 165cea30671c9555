"""A coordinator's first week in a real browser (issue 14): the administrator invites a
colleague, who follows the emailed one-time link, sets a password and signs in; a case's
profile is edited and the verdict moves; a fact left unknown is answered in place and the
pathway opens. The invitation goes through Django's console email backend, so the test reads
it from the server's own output. Screenshots at 360 and 1280 px in the test's tmp folder
(and $PATHWAYS_SCREENSHOTS when set)."""

from __future__ import annotations

import re
import time

import pytest

from ..web.test_browser import _screenshots, browser  # noqa: F401  (browser: a fixture)
from .support import PASSWORD, Server, seed_outside

OWN_DATABASE = True
NEW_PASSWORD = "a brand new passphrase for week one"


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("first-week")
    records = seed_outside(data, None, "week")
    server = Server(data).start()
    try:
        yield server, records
    finally:
        server.stop()


def _page(browser):
    """A new browser context (its own cookies) and its page."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _sign_in(page, base, username, password):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/workspace/")


def _emailed_link(server, address: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server.log.flush()
        text = (server.data / f"serve-{server.port}.log").read_text(errors="replace")
        if f"To: {address}" in text:
            found = re.findall(r"http://127\.0\.0\.1:\d+(/workspace/welcome/\S+/)", text.split(f"To: {address}")[-1])
            if found:
                return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no invitation to {address} in the server's output")


def test_an_administrator_invites_a_colleague_who_sets_a_password_and_signs_in(browser, seeded_server, tmp_path):  # noqa: F811
    server, records = seeded_server
    base, shots = server.base, tmp_path / "shots"
    shots.mkdir()
    admin, page = _page(browser)
    _sign_in(page, base, records["users"]["administrator"], PASSWORD)
    page.get_by_role("link", name="Colleagues").click()
    page.get_by_label("Their email address").fill("new.coordinator@example.org")
    page.locator("#id_role").select_option("coordinator")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(f"{base}/workspace/colleagues/")
    assert "Invitation sent to new.coordinator@example.org" in page.locator("main").inner_text()
    assert "invited, no password yet" in page.locator("main").inner_text()
    _screenshots(page, shots, "colleagues-invited")
    link = _emailed_link(server, "new.coordinator@example.org")
    admin.close()

    newcomer, page = _page(browser)
    page.goto(base + link)
    _screenshots(page, shots, "welcome")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url(f"{base}/workspace/welcome/done/")
    _sign_in(page, base, "new.coordinator@example.org", NEW_PASSWORD)
    assert "new.coordinator@example.org (coordinator)" in page.locator("body").inner_text()
    page.goto(base + link)  # once only
    assert "no longer works" in page.locator("main").inner_text()
    newcomer.close()


def test_a_profile_edit_moves_the_verdict_and_an_unknown_fact_is_answered_in_place(browser, seeded_server, tmp_path):  # noqa: F811
    server, records = seeded_server
    base, shots = server.base, tmp_path / "shots"
    shots.mkdir()
    context, page = _page(browser)
    _sign_in(page, base, records["users"]["coordinator"], PASSWORD)
    case_url = f"{base}/workspace/cases/{records['case']}/"
    page.goto(case_url)
    assert page.locator("p.status .badge").inner_text() == "open"
    page.get_by_role("link", name="Edit", exact=True).click()
    profile = page.locator("textarea[name=profile]")
    text = profile.input_value()
    assert "school_recognized_by_mbc: true" in text
    profile.fill(re.sub(r"school_recognized_by_mbc: true\n", "", text))  # now unknown
    _screenshots(page, shots, "case-edit-profile")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(case_url)
    assert page.locator("p.status .badge").inner_text() == "needs-info"
    question = page.locator("#question-school_recognized_by_mbc")
    assert question.count() == 1
    _screenshots(page, shots, "case-question")
    question.get_by_label("Yes", exact=False).first.check()
    question.get_by_role("button", name="Save the answer").click()
    page.wait_for_url(re.compile(re.escape(case_url)))
    assert page.locator("p.status .badge").inner_text() == "open"
    history = page.locator("main").inner_text()
    assert "profile" in history
    _screenshots(page, shots, "case-answered")
    context.close()


def test_a_coordinator_makes_a_calendar_address_that_a_calendar_program_reads(browser, seeded_server, tmp_path):  # noqa: F811
    from icalendar import Calendar

    server, records = seeded_server
    base, shots = server.base, tmp_path / "shots"
    shots.mkdir()
    context, page = _page(browser)
    _sign_in(page, base, records["users"]["coordinator"], PASSWORD)
    page.get_by_role("link", name="My settings").click()
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.locator("code.token").inner_text()
    _screenshots(page, shots, "me-calendar")
    path = re.sub(r"^http://127\.0\.0\.1:\d+", "", address)
    feed = browser.new_context().request.get(base + path)  # no cookies: the address alone
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert any(str(e["summary"]).startswith("Due:") for e in events)
    assert any("training" in str(e["summary"]) for e in events)
    page.get_by_role("button", name="Turn the calendar address off").click()
    assert browser.new_context().request.get(base + path).status == 404
    context.close()
