"""A coordinator's day in a real browser (Debian's /usr/bin/chromium driven by Playwright, as
in tests/web/test_browser.py; no browser is downloaded and a missing one fails the test).

`pathways serve --port P` runs on its own data directory, seeded with an institution (a
coordinator, a partner with exchanges both ways). The coordinator signs in, opens a finder
result page, follows "Open a case with this pathway", fills and saves the case form, ticks
two checklist steps, sees them done and in the case's history, then reads the partner's
numbers and funding ratio on /workspace/reciprocity/. Screenshots at 360 and 1280 wide go
to the test's tmp folder (and to $PATHWAYS_SCREENSHOTS when set).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from ..web.test_browser import _screenshots, browser  # noqa: F401  (browser: a fixture)
from .support import PASSWORD, PATHWAY, Server, seed_outside

OWN_DATABASE = True  # the server has its own data directory (conftest.py: no rollback here)
STUDENT_RESULT = ("/result/?as_of=2026-03-01&desired_contact=supervised&stage=student&enrolled_in_us_school=false"
                  "&school_recognized_by_mbc=true&host.dean_approved_elective=true&citizenships=UG")


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("workspace-browser")
    records = seed_outside(data, None, "browser")
    server = Server(data).start()
    try:
        yield server.base, records
    finally:
        server.stop()


@pytest.fixture()
def page(browser):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_coordinator_opens_a_case_ticks_steps_and_reads_reciprocity(page, seeded_server, tmp_path):
    base, records = seeded_server
    shots = tmp_path / "screenshots"
    shots.mkdir()

    # sign in
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("Username").fill(records["users"]["coordinator"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/workspace/")
    _screenshots(page, shots, "dashboard")

    # from a finder result to a new case
    page.goto(base + STUDENT_RESULT)
    article = page.locator(f"article#pathway-{PATHWAY}")
    assert article.count() == 1, f"no article#pathway-{PATHWAY} on the student's result page"
    article.get_by_role("link", name="Open a case with this pathway").click()
    page.wait_for_url(re.compile(r"/workspace/cases/new/\?"))
    assert page.locator("select[name=pathway_id]").input_value() == PATHWAY, "the pathway is not prefilled"
    profile = page.locator("textarea[name=profile]").input_value()
    assert "dean_approved_elective" in profile and "UG" in profile, f"the profile is not prefilled: {profile!r}"
    starts = date.today() + timedelta(days=150)
    page.get_by_label("Trainee's name").fill("Grace Achieng")
    page.get_by_label("Trainee's email").fill("grace@example.org")
    page.get_by_label("Training starts").fill(starts.isoformat())
    page.get_by_label("Training ends").fill((starts + timedelta(days=28)).isoformat())
    _screenshots(page, shots, "case-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/workspace/cases/\d+/$"))
    case_url = page.url
    assert "Grace Achieng" in page.locator("main").inner_text()

    # tick two steps
    rows = page.locator("table tr[id^=step-]")
    assert rows.count() >= 2, f"{rows.count()} checklist steps"
    ticked = []
    for n in range(2):
        row = page.locator("table tr[id^=step-]").nth(n)
        step_id = row.get_attribute("id")
        ticked.append(step_id)
        row.locator("select[name=status]").select_option("done")
        row.get_by_role("button", name="Set").click()
        page.wait_for_load_state("load")
        page.wait_for_url(re.compile(re.escape(case_url.split("#")[0]) + r"(#.*)?$"))
    for step_id in ticked:
        assert page.locator(f"tr#{step_id} select[name=status]").input_value() == "done", f"{step_id} is not done"
    history = page.locator("ol.history").inner_text()
    pks = [s.split("-", 1)[1] for s in ticked]
    for pk in pks:
        assert re.search(rf"changed ChecklistItem {pk}\b", history), f"ticking step {pk} is not in the history:\n{history}"
    assert history.count("status: todo → done") >= 2, history
    _screenshots(page, shots, "case")

    # the reciprocity report
    page.goto(f"{base}/workspace/reciprocity/")
    partner = "Partner-browser University"
    row = page.locator("table tbody tr", has=page.locator("td", has_text=partner))
    assert row.count() == 1, f"no row for {partner}"
    cells = [c.strip().replace(",", "").lstrip("$") for c in row.locator("td").all_inner_texts()]  # 30,000 or $30000
    assert cells[1:] == ["2025", "3", "24.0", "30000", "2", "16.0", "12000", "2.50"], cells
    assert page.locator("svg").count() >= 1, "no chart"
    _screenshots(page, shots, "reciprocity")
    assert len(list(shots.glob("*.png"))) == 8
