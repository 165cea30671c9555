"""Issue 10, privacy: no SSN, ITIN or passport number is kept in any free text (sensitive.py),
and uploads are of a few types, told by their content, and of a bounded size (uploads.py).
Marked `security`. The erasure of a trainee (both databases) is in test_erasure.py."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from pathways.web.workspace import sensitive, uploads
from pathways.web.workspace.cases import create_case
from pathways.web.workspace.history import snapshot
from pathways.web.workspace.models import (Agreement, Case, Document, Exchange, HistoryEntry, Note, Partner)

from .conftest import STUDENT, signed_in

pytestmark = [pytest.mark.security, pytest.mark.usefixtures("rollback")]

ADVICE = "record only whether one exists"

# (text, kind): each must be refused
SENSITIVE = [
    ("SSN 123-45-6789", "ssn"),
    ("123 45 6789", "ssn"),
    ("123.45.6789", "ssn"),
    ("his number is 123456789", "ssn"),
    ("ssn: 000000000", "ssn"),
    ("Social Security Number 123 - 45 - 6789", "ssn"),
    ("SSN is 123 456 789", "ssn"),
    ("Kato 123-45-6789", "ssn"),
    ("123-45-6789@example.org", "ssn"),
    ("１２３-４５-６７８９", "ssn"),  # full-width digits
    ("123\u200b-45-6789", "ssn"),  # a zero-width space inside
    ("123\u201345\u20136789", "ssn"),  # en dashes
    ("ITIN 912-78-1234", "itin"),
    ("912781234", "itin"),
    ("Passport No. A1234567", "passport"),
    ("passport number: B12345678", "passport"),
    ("Passport AB123456 expires 2031", "passport"),
    ("Passport no: 123456789", "passport"),
    ("pasaporte X1234567", "passport"),
    ("P<UGAKATO<<AMARA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "mrz"),
    ("AB12345674UGA9001015F3001019<<<<<<<<<<<<<<06", "mrz"),
    ("AB12345674UGA9001015F3001019CM12345678901236", "mrz"),  # a second line without a <
    ("copied from the passport: P<UGAKATO<<AMARA", "mrz"),
]
# ordinary text that must pass
ORDINARY = [
    "Arrives 2026-12-01; leaves 2027-01-15.",
    "Call +256 700 123456 or +1 (415) 555-0123.",
    "+256 700 12 3456",
    "256-700-12-3456",
    "0700 123456",
    "+256700123456",
    "Phone: 700123456",
    "WhatsApp 772123456",
    "call me at 772123456",
    "+1 415 555 0123",
    "Budget 123,456,789 USD",
    "Amount 123456789.00",
    "Order 1234567890",
    "20261201",
    "912345678",  # 9xx with a group no ITIN has
    "666123456",
    "Passport: yes",
    "has passport: yes, valid until 2031",
    "passport expires 2031-05-01",
    "passport expires 20310501",
    "Passport received. Reference ABC12345 for the visa.",
    "Has an SSN; ITIN applied for.",
    "ISBN 978-0-306-40615-7",
    "DS-2019 issued; SEVIS fee paid (I-901).",
    "Makerere University College of Health Sciences",
    "Room 123 45",
]


@pytest.mark.parametrize("text,kind", SENSITIVE)
def test_identity_numbers_are_found(text, kind):
    found = sensitive.find(text)
    assert found is not None and found.kind == kind, (text, found)
    assert ADVICE in found.message and "history" in found.message
    with pytest.raises(ValidationError) as error:
        sensitive.validate(text)
    assert error.value.code == sensitive.CODE


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_refused(text):
    assert sensitive.find(text) is None, (text, sensitive.find(text))


def test_a_nine_digit_run_suggests_writing_a_phone_number_with_its_country_code():
    assert "+256 700 123456" in sensitive.problem("Reach her at 700123456")


# Machine-written text fields, codes and choices: the only text fields without the check.
NOT_FREE_TEXT = {
    "Case": {"home_country", "stage", "pathway_id", "knowledge_key", "change", "status",
             "plan_status", "plan_can_start"},  # the engine's words, copied from the verdict
    "ChecklistItem": {"step_id", "text", "actor", "status"},  # the engine's steps
    "Document": {"file"},  # the stored name; the uploaded name is checked (uploads.check)
    "HistoryEntry": {"model", "action"},
    "Member": {"role", "calendar_key"},  # calendar_key: a SHA-256, never typed
    "AgreementDocument": {"file"},  # as Document
    "IssuedLetter": {"file"},  # as Document; its data and edits (JSON) are read whole (IssuedLetter.clean)
    "Partner": {"country", "income_group"},
    "Agreement": {"kind", "direction"},
    "Exchange": {"direction"},
}


def test_every_free_text_field_of_the_workspace_carries_the_check():
    from django.apps import apps

    unchecked = []
    for model in apps.get_app_config("workspace").get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, (models.CharField, models.TextField, models.FileField)) and not f.choices:
                if sensitive.validate not in f.validators and f.name not in NOT_FREE_TEXT.get(model.__name__, set()):
                    unchecked.append(f"{model.__name__}.{f.name}")
    assert not unchecked, f"free-text fields without sensitive.validate: {unchecked}"
    # the contact log is hours and dates only: nothing to refuse there
    from pathways.web.workspace.models import ContactLog

    assert not [f.name for f in ContactLog._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField))]


def _case(member, name="Amara Nakato"):
    return create_case(member.institution, member.user, trainee_name=name, trainee_email="", home_country="UG",
                       stage="student", profile=STUDENT, pathway_id="b1-elective", as_of=date(2026, 3, 1),
                       starts=date(2027, 6, 1))


def _nothing_kept(member, number: str, client) -> None:
    """The number is nowhere: not in a record, not in the history, not in the export."""
    export = client.get("/workspace/export.json").content.decode()
    assert number not in export
    for entry in HistoryEntry.objects.filter(institution=member.institution):
        assert number not in json.dumps([entry.before, entry.after])


SSN = "123-45-6789"


def test_the_case_forms_refuse_identity_numbers_with_the_reason(client, coordinator):
    data = {"trainee_name": f"Amara Nakato {SSN}", "trainee_email": "", "home_country": "UG", "stage": "student",
            "pathway_id": "b1-elective", "profile": json.dumps(STUDENT), "evaluated_on": "2026-03-01",
            "starts": "2027-06-01", "ends": ""}
    response = client.post("/workspace/cases/new/", data)
    assert response.status_code == 400 and ADVICE in response.content.decode()
    response = client.post("/workspace/cases/new/", {**data, "trainee_name": "Amara Nakato",
                                                     "trainee_email": "123456789@example.org"})
    assert response.status_code == 400 and ADVICE in response.content.decode()
    assert not Case.objects.filter(institution=coordinator.institution).exists()
    case = _case(coordinator)
    edit = {"trainee_name": "Amara passport A1234567", "trainee_email": "", "home_country": "UG",
            "stage": "student", "pathway_id": "b1-elective", "starts": "2027-06-01", "ends": "", "status": "open"}
    response = client.post(f"/workspace/cases/{case.pk}/edit/", edit)
    assert response.status_code == 400 and ADVICE in response.content.decode()
    assert Case.objects.get(pk=case.pk).trainee_name == "Amara Nakato"
    _nothing_kept(coordinator, SSN, client)
    _nothing_kept(coordinator, "A1234567", client)


def test_a_profile_value_with_an_identity_number_is_refused():
    from django import forms

    from pathways.web.workspace.forms import checked_profile

    with pytest.raises(forms.ValidationError) as error:
        checked_profile({**STUDENT, "host_city": f"San Francisco {SSN}"})
    assert "host_city" in " ".join(error.value.messages) and ADVICE in " ".join(error.value.messages)
    with pytest.raises(forms.ValidationError) as error:  # a key labels its value; the checker's word too
        checked_profile({**STUDENT, "passport_number": "A1234567"})
    said = " ".join(error.value.messages)
    assert "passport_number: This looks like a passport number" in said and "unknown field" in said


def test_notes_and_document_titles_refuse_identity_numbers_on_the_case_page(client, coordinator):
    case = _case(coordinator)
    response = client.post(f"/workspace/cases/{case.pk}/notes/", {"text": f"Her SSN is {SSN}, see file."})
    page = response.content.decode()
    assert response.status_code == 400 and ADVICE in page and "Social Security number" in page
    assert "Amara Nakato" in page  # the case's page again, with the form's error
    upload = SimpleUploadedFile("letter.txt", b"To whom it may concern", content_type="text/plain")
    response = client.post(f"/workspace/cases/{case.pk}/documents/", {"title": "Passport no. B7654321", "file": upload})
    assert response.status_code == 400 and ADVICE in response.content.decode()
    upload = SimpleUploadedFile(f"{SSN}.txt", b"To whom it may concern", content_type="text/plain")
    response = client.post(f"/workspace/cases/{case.pk}/documents/", {"title": "Letter", "file": upload})
    assert response.status_code == 400 and "name holds an identity number" in response.content.decode()
    upload = SimpleUploadedFile("letter.txt", f"Dear colleague,\nSSN {SSN}\n".encode(), content_type="text/plain")
    response = client.post(f"/workspace/cases/{case.pk}/documents/", {"title": "Letter", "file": upload})
    assert response.status_code == 400 and "text holds an identity number" in response.content.decode()
    assert not Note.objects.filter(case=case).exists() and not Document.objects.filter(case=case).exists()
    # ordinary notes still go in: dates and phone numbers
    ok = client.post(f"/workspace/cases/{case.pk}/notes/", {"text": "Arrives 2026-12-01; call +256 700 123456."})
    assert ok.status_code == 302
    _nothing_kept(coordinator, SSN, client)


def test_partners_agreements_and_exchanges_refuse_identity_numbers(client, coordinator):
    response = client.post("/workspace/partners/new/", {"name": f"Makerere {SSN}", "country": "UG",
                                                        "income_group": "L", "income_group_year": "2025"})
    assert response.status_code == 400 and ADVICE in response.content.decode()
    partner = Partner.objects.create(institution=coordinator.institution, name="Makerere University", country="UG")
    response = client.post("/workspace/agreements/new/", {
        "partner": partner.pk, "kind": "mou", "direction": "inbound", "starts": "2026-01-01", "ends": "",
        "places_per_year": "", "notes": "Signed by the dean, passport number X1234567"})
    assert response.status_code == 400 and ADVICE in response.content.decode()
    response = client.post("/workspace/exchanges/new/", {
        "partner": partner.pk, "direction": "inbound", "year": "2026", "heads": "1", "trainee_weeks": "4",
        "usd": "100", "notes": f"ITIN 912-78-1234"})
    assert response.status_code == 400 and ADVICE in response.content.decode()
    assert not Agreement.objects.exists() and not Exchange.objects.exists()
    assert list(Partner.objects.filter(institution=coordinator.institution)) == [partner]


def _csv(client, kind, text, **extra):
    return client.post(f"/workspace/import/{kind}/",
                       {"file": SimpleUploadedFile(f"{kind}.csv", text.encode(), content_type="text/csv"), **extra})


def test_the_csv_import_refuses_a_row_with_an_identity_number_in_any_cell(client, coordinator):
    profile = json.dumps(STUDENT).replace('"', '""')
    text = ("trainee_name,home_country,stage,pathway_id,profile,starts,evaluated_on,passport_number\n"
            f'Amara Nakato,UG,student,b1-elective,"{profile}",2027-06-01,2026-03-01,\n'
            f'Brian Okello {SSN},UG,student,b1-elective,"{profile}",2027-06-01,2026-03-01,\n'
            f'Claire Achieng,UG,student,b1-elective,"{profile}",2027-06-01,2026-03-01,B1234567\n')
    response = _csv(client, "cases", text)
    page = response.content.decode()
    assert response.status_code == 400 and ADVICE in page and "passport_number" in page
    assert not Case.objects.filter(institution=coordinator.institution).exists()
    response = _csv(client, "cases", text, import_valid_rows="1")
    names = list(Case.objects.filter(institution=coordinator.institution).values_list("trainee_name", flat=True))
    assert names == ["Amara Nakato"]
    partners = "name,country\nMakerere University,UG\nGulu 123456789,UG\n"
    assert _csv(client, "partners", partners).status_code == 400
    _csv(client, "partners", partners, import_valid_rows="1")
    assert list(Partner.objects.values_list("name", flat=True)) == ["Makerere University"]
    _nothing_kept(coordinator, SSN, client)
    _nothing_kept(coordinator, "B1234567", client)


def test_the_json_api_refuses_identity_numbers_with_422(client, coordinator):
    body = {"trainee_name": f"Claire {SSN}", "home_country": "UG", "stage": "student", "profile": STUDENT,
            "pathway_id": "b1-elective", "evaluated_on": "2026-03-01"}
    response = client.post("/api/v1/workspace/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "trainee_name" and ADVICE in errors[0]["message"]
    body = {**body, "trainee_name": "Claire", "profile": {**STUDENT, "host_city": "P<UGAKATO<<CLAIRE"}}
    response = client.post("/api/v1/workspace/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "profile.host_city"
    case = _case(coordinator)
    response = client.patch(f"/api/v1/workspace/cases/{case.pk}", json.dumps({"trainee_email": "912781234@x.org"}),
                            content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "trainee_email"
    assert Case.objects.get(pk=case.pk).trainee_email == ""
    assert Case.objects.filter(institution=coordinator.institution).count() == 1


def test_any_other_write_is_refused_by_the_model_guard(coordinator):
    case = _case(coordinator)
    with pytest.raises(ValidationError):
        Note.objects.create(case=case, text=f"SSN {SSN}")
    with pytest.raises(ValidationError):
        Partner.objects.create(institution=coordinator.institution, name="Passport A1234567", country="UG")
    case.trainee_name = f"Amara {SSN}"
    with pytest.raises(ValidationError):
        case.save()
    # a save of other fields goes through (a re-evaluation of a case written before the check)
    Case.objects.filter(pk=case.pk).update(trainee_name=f"Amara {SSN}")  # an old record
    old = Case.objects.get(pk=case.pk)
    old.change = "status: blocked -> open"
    old.save(update_fields=["change", "updated"])
    # and the history's copy of an old record masks the number
    assert SSN not in json.dumps(snapshot(old)) and sensitive.MASK in snapshot(old)["trainee_name"]


# --- uploads ------------------------------------------------------------------------------

def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GOOD = [("letter.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, "image/jpeg"),
        ("letter.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("note.txt", "Plain text, café, 2026-12-01.\n".encode(), "text/plain; charset=utf-8")]
BAD = [("page.html", b"<html><script>alert(1)</script></html>", "name ends in .html"),
       ("page.txt", b"\n  <!DOCTYPE html><html><body>hi</body></html>", "HTML, SVG or XML markup"),
       ("image.txt", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "markup"),
       ("letter.pdf", PNG, "content is a PNG image but its name ends in .pdf"),
       ("letter.pdf", b"<html>not a pdf</html>", "its first bytes do not"),
       ("tool.txt", b"MZ\x00\x03\x00\x00\x00", "control bytes"),
       ("binary.txt", b"MZ\x90\xff\x03", "nor UTF-8 text"),
       ("macro.docx", b"PK\x03\x04" + b"\x00" * 40, "its first bytes do not"),
       ("archive.zip", b"PK\x03\x04", "name ends in .zip"),
       ("noextension", b"%PDF-1.4", "(no extension)")]


@pytest.mark.parametrize("name,content,served", GOOD)
def test_an_allowed_document_is_kept_and_served_as_an_attachment_in_a_sandbox(client, coordinator, name, content,
                                                                              served):
    case = _case(coordinator)
    response = client.post(f"/workspace/cases/{case.pk}/documents/",
                           {"title": "A document", "file": SimpleUploadedFile(name, content, "application/x-anything")})
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = case.documents.get()
    download = client.get(f"/workspace/cases/{case.pk}/documents/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == served


@pytest.mark.parametrize("name,content,message", BAD)
def test_a_document_of_another_type_is_refused_with_the_reason(client, coordinator, name, content, message):
    case = _case(coordinator)
    response = client.post(f"/workspace/cases/{case.pk}/documents/",
                           {"title": "A document", "file": SimpleUploadedFile(name, content, "application/pdf")})
    page = response.content.decode()
    assert response.status_code == 400 and message in page.replace("&#x27;", "'"), page[-3000:]
    assert "PDF, PNG, JPEG, Word (.docx) or plain text (.txt)" in page
    assert not case.documents.exists()


def test_a_40_mb_html_upload_is_refused_for_its_size_and_never_kept(client, coordinator):
    from pathlib import Path

    from django.conf import settings

    case = _case(coordinator)
    big = b"<html>" + b"x" * (40 * 1024 * 1024) + b"</html>"
    response = client.post(f"/workspace/cases/{case.pk}/documents/",
                           {"title": "Big", "file": SimpleUploadedFile("big.html", big, "text/html")})
    page = response.content.decode()
    assert response.status_code == 400 and "The file is 40.0 MB; documents can be at most 10.0 MB." in page
    assert not case.documents.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not (media.exists() and list(media.rglob("big*")))


def test_the_upload_handler_stops_keeping_a_file_past_the_limit():
    from django.test import override_settings

    handler = uploads.SizeLimitUploadHandler()
    with override_settings(WORKSPACE_UPLOAD_MAX_BYTES=100):
        handler.new_file("file", "big.pdf", "application/pdf", 0)
    assert handler.receive_data_chunk(b"x" * 64, 0) == b"x" * 64
    assert handler.receive_data_chunk(b"x" * 64, 64) is None  # past 100 bytes: the next handlers get nothing
    assert handler.receive_data_chunk(b"x" * 64, 128) is None
    kept = handler.file_complete(192)
    assert kept.too_large and kept.size == 192 and kept.read() == b""
    kind, problem = uploads.check(kept)
    assert kind is None and "documents can be at most" in problem
