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
    for step_id in ticked:  # in words: "ticked '<the step's text>'"
        text = " ".join(page.locator(f"tr#{step_id} td").first.inner_text().split("\n")[0].split())
        shown = text if len(text) <= 80 else text[:79] + "…"
        assert f"ticked '{shown}'" in history, f"ticking {step_id} is not in the history:\n{history}"
    assert "ChecklistItem" not in history, history
    _screenshots(page, shots, "case")

    # the reciprocity report
    page.goto(f"{base}/workspace/reciprocity/")
    partner = "Partner-browser University"
    row = page.locator("table tbody tr", has=page.locator("td", has_text=partner)).filter(has_text="2025")
    assert row.count() == 1, f"no row for {partner} in 2025"
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[1:] == ["2025", "3", "24", "$30,000", "2", "16", "$12,000", "2.50"], cells
    assert page.locator("svg").count() >= 1, "no chart"
    _screenshots(page, shots, "reciprocity")
    assert len(list(shots.glob("*.png"))) == 8


def _sign_in(page, base, username):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/workspace/")


def _no_sideways_scroll(page, where: str) -> None:
    for width, height in ((360, 740), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{where} is {wide} px wide at {width} px: it scrolls sideways"


def test_a_week_that_crosses_the_threshold_drops_the_signature_and_flags_the_dashboard(page, seeded_server, tmp_path):
    """The seeded case (training 2026-09-01 to 2026-10-01) has one week logged: 4 of 40 hours of
    patient contact. The coordinator logs an impossible week (refused, with the reason), then a
    week of 30 hours of patient contact: past 20% in all, the signature block gives way to what
    to do, and the dashboard flags the case; corrected, both come back as they were."""
    base, records = seeded_server
    shots = tmp_path / "screenshots"
    shots.mkdir()
    _sign_in(page, base, records["users"]["coordinator"])
    log_url = f"{base}/workspace/cases/{records['case']}/contact-log/"
    page.goto(log_url)
    assert page.locator("section.signature").count() == 1 and "Within the threshold" in page.inner_text("main")
    _screenshots(page, shots, "contact-log-within")

    # 210 hours in a week: refused, the form kept, the reason next to it
    page.get_by_label("Week of (Monday)").fill("2026-09-14")
    page.get_by_label("Patient contact (hours)").fill("60")
    page.get_by_label("Research (hours)").fill("150")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_load_state("load")
    alert = page.get_by_role("alert")
    assert "add up to 210 hours" in alert.inner_text() and "at most 168" in alert.inner_text()
    assert page.get_by_label("Patient contact (hours)").input_value() == "60"

    # a week of mostly patient contact: the threshold is crossed
    page.get_by_label("Patient contact (hours)").fill("30")
    page.get_by_label("Teaching (hours)").fill("4")
    page.get_by_label("Research (hours)").fill("4")
    page.get_by_label("Observation (hours)").fill("2")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_url(re.compile(r"/contact-log/\?logged=2026-09-14"))
    main = page.inner_text("main")
    assert "Threshold crossed: contact is no longer incidental." in main
    assert page.locator("section.signature").count() == 0 and "Dean's signature" not in main
    assert "Stop the trainee's patient contact now." in main and "GME office" in main
    _no_sideways_scroll(page, "the contact log")
    _screenshots(page, shots, "contact-log-crossed")

    # the dashboard flags it
    page.goto(f"{base}/workspace/")
    flagged = page.locator("section", has=page.locator("h2#crossed-title"))
    assert "Incidental threshold crossed (1)" in flagged.inner_text()
    link = flagged.get_by_role("link", name=re.compile("Trainee-browser"))
    assert link.get_attribute("href") == f"/workspace/cases/{records['case']}/contact-log/"
    _no_sideways_scroll(page, "the dashboard")
    _screenshots(page, shots, "dashboard-crossed")

    # corrected: within the threshold again, signature back, no flag
    link.click()
    page.get_by_role("link", name="Correct the week of 2026-09-14").click()
    page.get_by_label("Patient contact (hours)").fill("2")
    page.get_by_label("Research (hours)").fill("32")
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url(re.compile(r"/contact-log/\?corrected=2026-09-14"))
    assert page.locator("section.signature").count() == 1 and "Threshold crossed" not in page.inner_text("main")
    page.goto(f"{base}/workspace/")
    assert "Incidental threshold crossed (0)" in page.locator("section", has=page.locator("h2#crossed-title")).inner_text()

    # the case's history says it in words
    page.goto(f"{base}/workspace/cases/{records['case']}/")
    history = page.locator("ol.history").inner_text()
    assert "logged the week of 2026-09-14" in history and "corrected the week of 2026-09-14" in history
    assert "patient contact (hours): 30 → 2" in history
    _no_sideways_scroll(page, "the case")

    # the case list, searched
    page.goto(f"{base}/workspace/cases/")
    page.get_by_label("Name contains").fill("trainee-BROWSER")
    page.locator("details.more-filters summary").click()  # the filters, folded on a phone
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/workspace/cases/\?.*q=trainee-BROWSER"))
    assert page.locator("table.cases tbody tr").count() == 1 and "1 case matches" in page.inner_text("main")
    _no_sideways_scroll(page, "the case list")
    _screenshots(page, shots, "cases-search")
    page.goto(f"{base}/workspace/reciprocity/")
    _no_sideways_scroll(page, "reciprocity")
