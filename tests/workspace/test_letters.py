"""Letters on a case (issue 13, point 3): the letters a case's pathway needs on its page, the
preview with its form, issuing as PDF and DOCX (kept on the case, in its history), who may
do what, the engine's problems next to their fields, no identity number anywhere, and the
institution's letterhead set by its administrators."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import STUDENT, signed_in

KIND = "b1-elective-acceptance"
START, END = date(2027, 7, 5), date(2027, 8, 13)
SUPERVISOR = {"f_host__supervisor__name": "Dr Maria Lopez", "f_host__supervisor__title": "Professor of Medicine"}
ENTERED = {**SUPERVISOR, "f_training__description": "Internal medicine sub-internship on the general wards.",
           "f_funding__by": "trainee", "f_host__department": "Department of Medicine"}


def _letterhead(institution, *, address="505 Parnassus Avenue\nSan Francisco, CA 94143"):
    from pathways.web.workspace.models import Letterhead, Signatory

    Letterhead.objects.create(institution=institution, name="University of California, San Francisco",
                              address=address)
    return [Signatory.objects.create(institution=institution, name="Dr Ana Reyes", title="Registrar",
                                     signs_as="registrar"),
            Signatory.objects.create(institution=institution, name="Dr Samuel Chen",
                                     title="Dean, School of Medicine", signs_as="dean")]


def _case(member, *, name="Aisha Nakato", pathway="b1-elective", with_letterhead=True):
    from pathways.web.workspace.cases import create_case
    from pathways.web.workspace.models import Partner

    institution = member.institution
    if with_letterhead and not hasattr(institution, "letterhead"):
        _letterhead(institution)
    partner = Partner.objects.create(institution=institution, name="Makerere University", country="UG")
    return create_case(institution, member.user, trainee_name=name, trainee_email="", home_country="UG",
                       stage="student", profile=STUDENT, pathway_id=pathway, as_of=date(2027, 1, 10), starts=START,
                       ends=END, home_institution=partner)


def _url(case, kind=KIND) -> str:
    return f"/workspace/cases/{case.pk}/letters/{kind}/"


def _post(client, case, action="preview", **values):
    """The form as a browser sends it: what was typed, and the signatory the page chose (the dean)."""
    from pathways.web.workspace.models import Signatory

    dean = Signatory.objects.filter(institution=case.institution, signs_as="dean").first()
    chosen = {"s_host__signatory": str(dean.pk)} if dean else {}
    return client.post(_url(case), {**ENTERED, **chosen, "action": action, **values})


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    return " ".join(" ".join(p.text.split()) for p in doc.paragraphs)


# --- the case's page ------------------------------------------------------------------------


def test_the_case_page_lists_the_letters_and_its_steps_link_to_them(client, coordinator):
    case = _case(coordinator)
    page = client.get(f"/workspace/cases/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="letters"' in html and f'href="{_url(case)}"' in html
    steps = {i.step_id: i.pk for i in case.checklist.all()}
    served = [s for s in ("host-letter", "elective-application") if s in steps]
    assert served, f"no checklist step the letter serves among {sorted(steps)}"
    for step in served:
        row = re.search(rf'<tr id="step-{steps[step]}">(.*?)</tr>', html, re.S).group(1)
        assert f'href="{_url(case)}"' in row, f"step {step} does not link to the letter"


def test_a_kind_the_pathway_does_not_need_is_not_found(client, coordinator):
    case = _case(coordinator, pathway="j1-research-scholar-2111")
    assert client.get(_url(case)).status_code == 404
    assert client.get(_url(case, "no-such-kind")).status_code == 404


# --- the preview ----------------------------------------------------------------------------


def test_the_first_preview_says_what_is_still_needed_without_an_error(client, coordinator):
    case = _case(coordinator)
    page = client.get(_url(case))
    assert page.status_code == 200
    text = _text(page)
    assert "Still needed" in text and "faculty physician who supervises" in text
    assert 'class="letter"' not in page.content.decode()
    # a signatory is chosen for the signer from the letterhead: the registrar or the dean
    assert re.search(r'<option value="\d+" selected>Dr (Samuel Chen|Ana Reyes)', page.content.decode())


def test_update_preview_shows_the_letter_and_keeps_what_was_typed(client, coordinator):
    case = _case(coordinator)
    page = _post(client, case)
    html = page.content.decode()
    assert page.status_code == 200, _text(page)
    assert '<article class="letter"' in html
    for typed in ("Dr Maria Lopez", "Professor of Medicine", "Internal medicine sub-internship on the general wards."):
        assert typed in html
    assert 'value="trainee" selected' in html
    assert "Aisha Nakato" in html and "5 July 2027" in html and "505 Parnassus Avenue" in html
    # each editable clause is a textarea holding its rendered text, and that text beside it to tell an edit
    closing = re.search(r'<textarea name="e_closing"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "Please contact" in closing
    assert re.search(r'<input type="hidden" name="o_closing" value="Please contact', html)


def test_an_edited_clause_is_in_the_preview_and_stays_edited(client, coordinator):
    case = _case(coordinator)
    first = _post(client, case).content.decode()
    original = re.search(r'name="o_closing" value="([^"]*)"', first).group(1)
    edit = "Please write to the registrar's office with any question about this elective."
    page = _post(client, case, e_closing=edit, o_closing=original)
    html = page.content.decode()
    assert page.status_code == 200
    assert edit.replace("'", "&#x27;") in html.split('<article class="letter"')[1]
    again = _post(client, case, e_closing=edit, o_closing=re.search(r'name="o_closing" value="([^"]*)"', html).group(1))
    assert edit.replace("'", "&#x27;") in again.content.decode().split('<article class="letter"')[1]


def test_a_missing_entered_field_is_named_next_to_it(client, coordinator):
    case = _case(coordinator)
    page = _post(client, case, f_host__supervisor__name="", f_host__supervisor__title="")
    html = page.content.decode()
    assert page.status_code == 400
    field = re.search(r'name="f_host__supervisor__name".*?</p>', html, re.S).group(0)
    assert "needed for this letter" in field, field
    assert 'href="#id_f_host__supervisor__name"' in html  # the summary links to the field
    assert '<article class="letter"' not in html


def test_a_person_without_a_title_is_named_at_the_title(client, coordinator):
    case = _case(coordinator)
    page = _post(client, case, f_host__supervisor__title="")
    html = page.content.decode()
    assert page.status_code == 400
    field = re.search(r'name="f_host__supervisor__title".*?</p>', html, re.S).group(0)
    assert "the title is needed" in field, field
    assert 'href="#id_f_host__supervisor__title"' in html


def test_a_field_the_case_lacks_says_where_to_set_it(client, coordinator):
    case = _case(coordinator)
    case.ends = None
    case.save()
    page = _post(client, case)
    assert page.status_code == 400
    text = _text(page)
    assert "The last day of the elective: needed for this letter. Set it on the case" in text


def test_a_letterhead_without_an_address_says_an_administrator_sets_it(client, coordinator):
    from pathways.web.workspace.models import Letterhead

    case = _case(coordinator)
    Letterhead.objects.filter(institution=coordinator.institution).update(address="")
    page = _post(client, case)
    assert page.status_code == 400
    assert "postal address, as on its letterhead: needed for this letter. Set it on the letterhead" in _text(page)


def test_an_identity_number_in_an_edit_is_refused_and_nothing_is_issued(client, coordinator):
    from pathways.web.workspace.models import IssuedLetter

    case = _case(coordinator)
    edit = "Questions to the registrar; the student's passport number is B1234567."
    for action in ("preview", "pdf"):
        page = _post(client, case, action=action, e_closing=edit, o_closing="")
        html = page.content.decode()
        assert page.status_code == 400, action
        field = re.search(r'name="e_closing".*?</p>', html, re.S).group(0)
        assert "never holds an SSN, ITIN or passport number" in field
        assert "B1234567" not in html.split("</textarea>")[-1]  # only in the box where it was typed
    assert IssuedLetter.objects.count() == 0


def test_a_stipend_shows_the_refusal_and_the_refusal_can_be_issued(client, coordinator):
    from pathways.web.workspace.models import IssuedLetter

    case = _case(coordinator)
    page = _post(client, case, f_funding__stipend_usd="500")
    assert page.status_code == 200
    text = _text(page)
    assert "This letter refuses to certify" in text and "stipend of $500" in text
    download = _post(client, case, action="pdf", f_funding__stipend_usd="500")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert "refusal" in download["Content-Disposition"]
    issued = IssuedLetter.objects.get()
    assert issued.refused and "Not certified" in pdf_text(download.content)


# --- issuing --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_issuing_keeps_the_letter_on_the_case_and_in_its_history(client, coordinator, fmt):
    from pathways.web.workspace.models import HistoryEntry, IssuedLetter

    case = _case(coordinator)
    first = _post(client, case).content.decode()
    original = re.search(r'name="o_closing" value="([^"]*)"', first).group(1)
    edit = "Please write to Dr Ana Reyes at the address above with any question about this elective."
    response = _post(client, case, action=fmt, e_closing=edit, o_closing=original)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{KIND}-aisha-nakato-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    read = pdf_text if fmt == "pdf" else docx_text
    text = read(response.content)
    for wanted in ("Aisha Nakato", "5 July 2027", "13 August 2027", "University of California, San Francisco",
                   "Makerere University", "Dr Maria Lopez", edit, "9 FAM 402.2-5"):
        assert wanted in text, f"{wanted!r} not in the {fmt}"
    issued = IssuedLetter.objects.get(case=case)
    assert (issued.kind, issued.format, issued.template_version, issued.issued_by) == (KIND, fmt, 1, coordinator.user)
    assert issued.edits == {"closing": edit} and issued.data["trainee"]["name"] == "Aisha Nakato"
    assert issued.data["host"]["signatory"]["name"] in ("Dr Ana Reyes", "Dr Samuel Chen")
    assert issued.file.name.startswith(f"cases/{case.institution_id}/{case.pk}/")
    assert Path(issued.file.path).read_bytes() == response.content
    entry = HistoryEntry.objects.get(model="IssuedLetter", object_id=issued.pk)
    assert entry.user == coordinator.user and entry.action == "created"
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    history = page.split('id="history"')[1]
    assert f"issued &#x27;Acceptance letter for a foreign student&#x27;s B-1" in history and f"as {fmt.upper()}" in history
    again = client.get(f"/workspace/cases/{case.pk}/letters/issued/{issued.pk}/")
    assert again.status_code == 200 and b"".join(again.streaming_content) == response.content
    assert f"/workspace/cases/{case.pk}/letters/issued/{issued.pk}/" in page.split('id="letters"')[1]


def test_the_next_preview_starts_from_the_last_letter_issued(client, coordinator):
    case = _case(coordinator)
    edit = "Please write to the registrar with any question about this elective."
    assert _post(client, case, action="docx", e_closing=edit, o_closing="").status_code == 200
    page = client.get(_url(case))
    html = page.content.decode()
    assert page.status_code == 200 and '<article class="letter"' in html
    assert "Dr Maria Lopez" in html and edit in html.split('<article class="letter"')[1]


# --- who may ----------------------------------------------------------------------------------


def test_a_viewer_reads_the_preview_but_cannot_issue(make_member):
    from pathways.web.workspace.models import IssuedLetter

    coordinator = make_member("coord-letters")
    viewer = make_member("viewer-letters", role="viewer")
    case = _case(coordinator)
    assert _post(signed_in(coordinator), case, action="pdf").status_code == 200
    client = signed_in(viewer)
    page = client.get(_url(case))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Download PDF" not in html and "Update preview" not in html and "<fieldset class=\"entered\" disabled>" in html
    assert '<article class="letter"' in html  # the letter issued before, as it was made
    for action in ("pdf", "docx", "preview"):
        assert _post(client, case, action=action).status_code == 403
    assert IssuedLetter.objects.count() == 1
    issued = IssuedLetter.objects.get()
    assert client.get(f"/workspace/cases/{case.pk}/letters/issued/{issued.pk}/").status_code == 200


def test_another_institutions_case_and_letters_are_not_found(make_member):
    ours = make_member("coord-ours", institution="Our Hospital")
    theirs = make_member("coord-theirs", institution="Their Hospital")
    case = _case(theirs)
    assert _post(signed_in(theirs), case, action="pdf").status_code == 200
    from pathways.web.workspace.models import IssuedLetter

    issued = IssuedLetter.objects.get()
    client = signed_in(ours)
    assert client.get(_url(case)).status_code == 404
    assert _post(client, case, action="pdf").status_code == 404
    assert client.get(f"/workspace/cases/{case.pk}/letters/issued/{issued.pk}/").status_code == 404
    mine = _case(ours, name="Other Trainee")
    assert client.get(f"/workspace/cases/{mine.pk}/letters/issued/{issued.pk}/").status_code == 404
    assert IssuedLetter.objects.count() == 1


def test_an_identity_number_never_reaches_an_issued_letters_data():
    from django.core.exceptions import ValidationError

    from pathways.web.workspace.models import IssuedLetter

    letter = IssuedLetter(kind=KIND, name="x", template_version=1, knowledge_version="k", format="pdf",
                          data={"trainee": {"name": "SSN 123-45-6789"}}, edits={})
    with pytest.raises(ValidationError):
        letter.save()


# --- the letterhead ---------------------------------------------------------------------------


def test_an_administrator_sets_the_letterhead_and_signatories(make_member):
    from pathways.web.workspace.models import HistoryEntry, Letterhead, Signatory

    admin = make_member("admin-letters", role="administrator")
    client = signed_in(admin)
    page = client.get("/workspace/letterhead/")
    assert page.status_code == 200 and 'name="address"' in page.content.decode()
    form = {"name": "Example School of Medicine", "address": "1 Example Road\nExample City, CA 90000",
            "signatories-TOTAL_FORMS": "1", "signatories-INITIAL_FORMS": "0", "signatories-MIN_NUM_FORMS": "0",
            "signatories-MAX_NUM_FORMS": "1000", "signatories-0-name": "Dr Kim Park",
            "signatories-0-title": "Chair, Department of Surgery", "signatories-0-signs_as": "chair"}
    saved = client.post("/workspace/letterhead/", form)
    assert saved.status_code == 302, _text(saved)
    head = Letterhead.objects.get(institution=admin.institution)
    assert head.address.startswith("1 Example Road") and head.shown_name == "Example School of Medicine"
    signatory = Signatory.objects.get(institution=admin.institution)
    assert (signatory.name, signatory.signs_as) == ("Dr Kim Park", "chair")
    assert HistoryEntry.objects.filter(model="Signatory", object_id=signatory.pk, action="created").exists()
    # an identity number is refused, and nothing is saved
    bad = client.post("/workspace/letterhead/", {**form, "address": "SSN 123-45-6789",
                                                 "signatories-0-name": "Dr Lee"})
    assert bad.status_code == 400 and "Nothing was saved" in _text(bad)
    assert Letterhead.objects.get(pk=head.pk).address.startswith("1 Example Road")


def test_only_administrators_change_the_letterhead(make_member):
    coordinator = make_member("coord-head")
    viewer = make_member("viewer-head", role="viewer")
    for member in (coordinator, viewer):
        client = signed_in(member)
        page = client.get("/workspace/letterhead/")
        assert page.status_code == 200 and "<form" not in page.content.decode().split("<main")[1]
        assert client.post("/workspace/letterhead/", {"address": "x"}).status_code == 403


# --- erasing the trainee ----------------------------------------------------------------------


def test_erasing_the_trainee_removes_their_letters_and_blanks_the_history(make_member):
    from pathways.web.workspace.erasure import erase_case
    from pathways.web.workspace.models import HistoryEntry, IssuedLetter

    coordinator = make_member("coord-erase-letters")
    case = _case(coordinator)
    assert _post(signed_in(coordinator), case, action="pdf").status_code == 200
    issued = IssuedLetter.objects.get()
    path = Path(issued.file.path)
    assert path.exists()
    from django.db import transaction

    with transaction.atomic():
        audit = erase_case(case, coordinator.user)
    # the rollback fixture keeps the outer transaction open: run what on_commit would
    from pathways.web.workspace.erasure import _delete_files

    _delete_files([issued.file.name], f"cases/{case.institution_id}/{case.pk}")
    assert not IssuedLetter.objects.exists() and not path.exists()
    assert audit.after["erased"]["letters"] == 1
    entry = HistoryEntry.objects.get(model="IssuedLetter", object_id=issued.pk)
    assert entry.before is None and entry.after is None


def test_the_admin_shows_an_administrator_their_letterhead_signatories_and_letters_only(make_member):
    from pathways.web.workspace.models import IssuedLetter, Signatory

    admin = make_member("admin-letters-admin", institution="Admin Hospital", role="administrator")
    other = make_member("coord-letters-other", institution="Elsewhere Hospital")
    mine = _case(make_member("coord-letters-admin", institution="Admin Hospital"))
    theirs = _case(other, name="Someone Else")
    for case in (mine, theirs):
        coordinator = make_member(f"coord-x-{case.pk}", institution=case.institution.name)
        assert _post(signed_in(coordinator), case, action="pdf").status_code == 200
    client = signed_in(admin)
    page = client.get("/admin/workspace/issuedletter/")
    assert page.status_code == 200
    assert "Aisha Nakato" in page.content.decode() and "Someone Else" not in page.content.decode()
    Signatory.objects.create(institution=theirs.institution, name="Dr Other Person", title="Dean", signs_as="dean")
    signatories = client.get("/admin/workspace/signatory/").content.decode()
    assert "Dr Samuel Chen" in signatories and "Dr Other Person" not in signatories
    add = client.get("/admin/workspace/signatory/add/").content.decode()
    assert "Admin Hospital" in add and "Elsewhere Hospital" not in add
    assert client.get("/admin/workspace/letterhead/").status_code == 200
    theirs_letter = IssuedLetter.objects.get(case=theirs)
    assert client.get(f"/admin/workspace/issuedletter/{theirs_letter.pk}/change/").status_code in (302, 404)
    theirs_signatory = Signatory.objects.filter(institution=theirs.institution).first()
    assert client.get(f"/admin/workspace/signatory/{theirs_signatory.pk}/change/").status_code in (302, 404)
