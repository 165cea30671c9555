"""A partner's contact people and the signed agreement kept with the agreement (issue 14
point 6): added, shown, removed with history; identity numbers and unsafe files refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.web.workspace.models import AgreementDocument, HistoryEntry, PartnerContact

from .conftest import signed_in
from .support import seed

pytestmark = pytest.mark.usefixtures("rollback")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return seed("pc")


def test_a_contact_person_is_added_shown_and_removed_with_history(world):
    client = signed_in(world["users"]["coordinator"].member)
    partner = world["partner"]
    response = client.post(f"/workspace/partners/{partner.pk}/contacts/",
                           {"name": "Dr. Grace Akello", "title": "Dean of Medicine", "email": "grace@example.org",
                            "phone": "+256 414 530020"})
    assert response.status_code == 302
    contact = PartnerContact.objects.get(partner=partner, name="Dr. Grace Akello")
    page = client.get(f"/workspace/partners/{partner.pk}/").content.decode()
    assert "Dr. Grace Akello" in page and "Dean of Medicine" in page and "mailto:grace@example.org" in page
    client.post(f"/workspace/partners/{partner.pk}/contacts/{contact.pk}/delete/")
    assert not PartnerContact.objects.filter(pk=contact.pk).exists()
    actions = list(HistoryEntry.objects.filter(model="PartnerContact", object_id=contact.pk)
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["created", "deleted"]


def test_a_contact_with_an_identity_number_or_no_name_is_refused_by_field(world):
    client = signed_in(world["users"]["coordinator"].member)
    url = f"/workspace/partners/{world['partner'].pk}/contacts/"
    page = client.post(url, {"name": "Dr. Okot", "phone": "SSN 123-45-6789"})
    assert page.status_code == 400 and "looks like a US Social Security number" in page.content.decode()
    page = client.post(url, {"name": "", "email": "not-an-email"})
    assert page.status_code == 400 and "This field is required" in page.content.decode()
    assert "Enter a valid email address" in page.content.decode()
    assert PartnerContact.objects.filter(partner=world["partner"]).count() == 1  # the seeded one only


def test_the_signed_agreement_is_kept_with_it_and_served_as_a_download(world):
    client = signed_in(world["users"]["coordinator"].member)
    agreement = world["agreement"]
    response = client.post(f"/workspace/agreements/{agreement.pk}/documents/",
                           {"title": "Signed TAA 2025", "file": SimpleUploadedFile("taa.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    document = AgreementDocument.objects.get(agreement=agreement, title="Signed TAA 2025")
    page = client.get(f"/workspace/agreements/{agreement.pk}/").content.decode()
    assert "Signed TAA 2025" in page
    download = client.get(f"/workspace/agreements/{agreement.pk}/documents/{document.pk}/")
    assert download.status_code == 200 and download["Content-Security-Policy"] == "sandbox"
    assert download["Content-Disposition"].startswith("attachment") and b"".join(download.streaming_content) == PDF
    bad = client.post(f"/workspace/agreements/{agreement.pk}/documents/",
                      {"title": "Macro", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert bad.status_code == 400 and not AgreementDocument.objects.filter(title="Macro").exists()
