"""Issue 13's letters in a real browser (Debian's /usr/bin/chromium driven by Playwright, as
in test_browser.py; no browser is downloaded and a missing one fails the test).

`pathways serve --port P` runs on a data directory of its own, with an institution whose
administrator has set the letterhead and signatories, and a coordinator's B-1 elective case.
The coordinator opens the case, follows the checklist step's link to the acceptance letter,
fills in what the case does not say, previews it, rewrites a sentence of an editable clause,
downloads the PDF and the DOCX (read back with pypdf and python-docx: the trainee's name, the
dates, the host, the rewritten sentence and the rule it rests on, 9 FAM 402.2-5), and sees
both letters on the case and in its history. Screenshots at 360 and 1280 wide go to the
test's tmp folder (and to $PATHWAYS_SCREENSHOTS when set)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..workspace.support import PASSWORD, Server, server_env
from .test_browser import _screenshots, browser  # noqa: F401  (browser: a fixture)

KIND = "b1-elective-acceptance"
TRAINEE = "Aisha Nakato"
HOST = "University of California, San Francisco"
EDIT = "Please write to Dr Ana Reyes, the registrar, at the address above with any question about this elective."

SEED = r"""
import json, sys
from datetime import date
sys.path.insert(0, {root!r})
from pathways.web.serve import setup_django, migrate
setup_django(); migrate()
from pathways.web.workspace.cases import create_case
from pathways.web.workspace.members import create_member
from pathways.web.workspace.models import Letterhead, Partner, Signatory
from tests.workspace.support import STUDENT
coordinator, _ = create_member("coordinator-letters", "Letters Test Hospital", "coordinator", {password!r})
create_member("admin-letters", "Letters Test Hospital", "administrator", {password!r})
institution = coordinator.institution
Letterhead.objects.create(institution=institution, name={host!r}, address="505 Parnassus Avenue\nSan Francisco, CA 94143")
Signatory.objects.create(institution=institution, name="Dr Samuel Chen", title="Dean, School of Medicine", signs_as="dean")
Signatory.objects.create(institution=institution, name="Dr Ana Reyes", title="Registrar", signs_as="registrar")
partner = Partner.objects.create(institution=institution, name="Makerere University", country="UG")
case = create_case(institution, coordinator.user, trainee_name={trainee!r}, trainee_email="", home_country="UG",
                   stage="student", profile=STUDENT, pathway_id="b1-elective", as_of=date(2027, 1, 10),
                   starts=date(2027, 7, 5), ends=date(2027, 8, 13), home_institution=partner)
print(json.dumps({{"case": case.pk, "coordinator": coordinator.user.username}}))
"""


@pytest.fixture(scope="module")
def letters_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("letters-browser")
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", SEED.format(root=root, password=PASSWORD, host=HOST, trainee=TRAINEE)],
                          env=server_env(data, None), capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, f"seeding failed:\n{done.stderr[-3000:]}"
    records = json.loads(done.stdout.strip().splitlines()[-1])
    server = Server(data).start()
    try:
        yield server.base, records
    finally:
        server.stop()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages)


def _docx_text(path: Path) -> str:
    from docx import Document

    return " ".join(" ".join(p.text.split()) for p in Document(io.BytesIO(path.read_bytes())).paragraphs)


def test_a_coordinator_previews_edits_and_issues_the_b1_acceptance_letter(browser, letters_server, tmp_path):  # noqa: F811
    base, records = letters_server
    shots = tmp_path / "screenshots"
    shots.mkdir()
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{base}/workspace/login/")
        page.get_by_label("Username").fill(records["coordinator"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/workspace/")

        # the case: its Letters section, and the checklist step that needs the letter links to it
        case_url = f"{base}/workspace/cases/{records['case']}/"
        page.goto(case_url)
        letters = page.locator("ul.letter-kinds")
        assert "Acceptance letter for a foreign student's B-1" in letters.inner_text()
        step_links = page.locator("table.checklist a.step-letter", has_text="Acceptance letter")
        assert step_links.count() >= 1, "no checklist step links to its letter"
        _screenshots(page, shots, "case")
        step_links.first.click()
        page.wait_for_url(re.compile(rf"/letters/{KIND}/$"))
        assert "Still needed" in page.locator("#preview").inner_text()

        # what the case does not say, then the preview
        page.locator("[name=f_host__supervisor__name]").fill("Dr Maria Lopez")
        page.locator("[name=f_host__supervisor__title]").fill("Professor of Medicine")
        page.locator("[name=f_training__description]").fill("Internal medicine sub-internship on the general wards.")
        page.locator("[name=f_funding__by]").select_option("trainee")
        page.get_by_role("button", name="Update preview").click()
        page.wait_for_load_state("load")
        letter = page.locator("#preview article.letter")
        assert letter.count() == 1, page.locator("#preview").inner_text()
        text = letter.inner_text()
        for wanted in (TRAINEE, "5 July 2027", "13 August 2027", HOST, "Dr Maria Lopez", "9 FAM 402.2-5"):
            assert wanted in text, f"{wanted!r} not in the preview"
        assert page.locator("[name=f_host__supervisor__name]").input_value() == "Dr Maria Lopez", "what was typed is lost"

        # a sentence rewritten in an editable clause
        closing = page.locator("[name=e_closing]")
        assert "Please contact" in closing.input_value()
        closing.fill(EDIT)
        page.get_by_role("button", name="Update preview").click()
        page.wait_for_load_state("load")
        assert EDIT in page.locator("#preview article.letter").inner_text()
        assert page.locator("[name=e_closing]").input_value() == EDIT
        _screenshots(page, shots, "preview")

        # issued as PDF and DOCX, each read back
        files = {}
        for fmt in ("pdf", "docx"):
            with page.expect_download() as info:
                page.locator("#letter-form").get_by_role("button", name=f"Download {fmt.upper()}").click()
            download = info.value
            assert download.suggested_filename.startswith(f"{KIND}-aisha-nakato-"), download.suggested_filename
            assert download.suggested_filename.endswith(f".{fmt}")
            path = tmp_path / download.suggested_filename
            download.save_as(path)
            files[fmt] = (_pdf_text if fmt == "pdf" else _docx_text)(path)
        for fmt, text in files.items():
            for wanted in (TRAINEE, "5 July 2027", "13 August 2027", HOST, "Makerere University", EDIT, "9 FAM 402.2-5"):
                assert wanted in text, f"{wanted!r} not in the {fmt}"

        # on the case, and in its history
        page.goto(case_url)
        issued = page.locator("ul.issued-letters li")
        assert issued.count() == 2, page.locator("#letters").inner_text() if page.locator("#letters").count() else ""
        history = page.locator("ol.history").inner_text()
        for fmt in ("PDF", "DOCX"):
            assert re.search(rf"issued 'Acceptance letter for a foreign student's B-1 .*' as {fmt}", history), history
        page.locator("#history").scroll_into_view_if_needed()
        _screenshots(page, shots, "case-issued")
        with page.expect_download() as again:
            issued.first.locator("a").click()
        assert again.value.suggested_filename.endswith((".pdf", ".docx"))
        assert len(list(shots.glob("*.png"))) == 6
    finally:
        context.close()
