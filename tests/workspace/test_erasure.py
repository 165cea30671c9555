"""Issue 10, privacy: an administrator erases a trainee (POST with CSRF, after a confirmation
page): the case, its documents (their files too), notes, contact log and the personal values
of its history go; one history entry without personal data says who erased it and when.
On SQLite and on PostgreSQL (the `backend` fixture); marked `security`."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest

from .support import backend, seed  # noqa: F401  (backend: a fixture)

pytestmark = pytest.mark.security


def _client(user=None, csrf=False):
    from django.test import Client

    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def _csrf(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def test_an_administrator_erases_a_trainee_and_only_an_audit_entry_is_left(backend):
    from django.conf import settings
    from django.db import connection

    from pathways.web.workspace.cases import update_case
    from pathways.web.workspace.logs import log_week
    from pathways.web.workspace.history import record
    from pathways.web.workspace.models import (Case, ChecklistItem, ContactLog, Document, HistoryEntry, Note)

    tag = secrets.token_hex(4)
    mine, other = seed(f"e{tag}"), seed(f"o{tag}")
    case, admin = mine["case"], mine["users"]["administrator"]
    name = case.trainee_name
    # some history about the trainee: an edit, a note, a week logged, a step ticked
    update_case(case, mine["users"]["coordinator"], {"trainee_email": f"amara-{tag}@example.org"})
    record(mine["users"]["coordinator"], mine["note"], "created", None)
    log_week(case, mine["users"]["coordinator"], mine["log"].week_of, {"patient_contact_hours": 5})
    document_file = Path(settings.MEDIA_ROOT) / mine["document"].file.name
    assert document_file.exists()
    letter_file = Path(settings.MEDIA_ROOT) / mine["issued_letter"].file.name  # a letter issued on the case
    assert letter_file.exists()
    # (another test database's ids)
    others = [p for p in document_file.parent.iterdir() if p not in (document_file, letter_file)]
    parts = {"ChecklistItem": [i.pk for i in mine["items"]], "Note": [mine["note"].pk],
             "Document": [mine["document"].pk], "ContactLog": [mine["log"].pk]}
    url = f"/workspace/cases/{case.pk}/erase/"

    # who may: administrators of the case's institution only
    assert _client(mine["users"]["coordinator"]).get(url).status_code == 403
    assert _client(mine["users"]["coordinator"]).post(url, {"confirm": str(case.pk)}).status_code == 403
    assert _client(mine["users"]["viewer"]).post(url, {"confirm": str(case.pk)}).status_code == 403
    assert _client(other["users"]["administrator"]).post(url, {"confirm": str(case.pk)}).status_code == 404
    assert _client().post(url, {"confirm": str(case.pk)}).status_code == 302  # to the login page
    # a POST needs the CSRF token, and the case's number typed to confirm
    strict = _client(admin, csrf=True)
    page = strict.get(url)
    assert page.status_code == 200 and name in page.content.decode() and "cannot be undone" in page.content.decode()
    assert strict.post(url, {"confirm": str(case.pk)}).status_code == 403  # no token
    token = _csrf(strict, url)
    refused = strict.post(url, {"confirm": "yes", "csrfmiddlewaretoken": token})
    assert refused.status_code == 400 and f"Type the case's number, {case.pk}" in refused.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()

    erased = strict.post(url, {"confirm": str(case.pk), "csrfmiddlewaretoken": token})
    assert erased.status_code == 302 and erased["Location"] == f"/workspace/cases/?erased={case.pk}"
    assert "was erased" in strict.get(erased["Location"]).content.decode()

    # gone: the case and everything of it, the file on disk
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not ChecklistItem.objects.filter(pk__in=parts["ChecklistItem"]).exists()
    assert not Note.objects.filter(pk__in=parts["Note"]).exists()
    assert not Document.objects.filter(pk__in=parts["Document"]).exists()
    assert not ContactLog.objects.filter(pk__in=parts["ContactLog"]).exists()
    assert not document_file.exists() and not letter_file.exists()
    assert document_file.parent.exists() == bool(others)  # its folder too, if emptied
    # the history keeps who and when, not what
    about = HistoryEntry.objects.filter(institution=mine["institution"], model="Case", object_id=case.pk)
    for model, ids in parts.items():
        about = about | HistoryEntry.objects.filter(institution=mine["institution"], model=model, object_id__in=ids)
    entries = list(about)
    assert len(entries) >= 5
    audit = [e for e in entries if e.action == "erased"]
    assert len(audit) == 1 and audit[0].user == admin and audit[0].object_id == case.pk and audit[0].at
    assert audit[0].after["erased"]["documents"] == 1 and audit[0].after["erased"]["notes"] == 1
    assert all(e.before is None and (e.after is None or e is audit[0]) for e in entries if e.action != "erased")
    # nowhere to be read again: the pages, the export, the history's values
    export = _client(admin).get("/workspace/export.json").content.decode()
    dump = json.dumps([[e.before, e.after] for e in HistoryEntry.objects.filter(institution=mine["institution"])])
    for marker in (name, f"amara-{tag}", f"Note-e{tag}", f"Document-e{tag}", f"letter-e{tag}"):
        assert marker not in export and marker not in dump, marker
    assert '"action": "erased"' in export
    assert name not in _client(admin).get("/workspace/cases/?status=all").content.decode()
    assert _client(admin).get(f"/workspace/cases/{case.pk}/").status_code == 404
    # the rest of the institution, and the other institution, untouched
    assert mine["partner"].agreements.exists() and mine["institution"].exchanges.count() == 2
    assert Case.objects.filter(pk=other["case"].pk).exists()
    assert (Path(settings.MEDIA_ROOT) / other["document"].file.name).exists()
    if connection.vendor == "sqlite":  # secure_delete: the name is not left in the file's free pages
        connection.close()
        assert name.encode() not in Path(connection.settings_dict["NAME"]).read_bytes()


@pytest.mark.security
def test_the_admin_cannot_delete_a_case_around_the_erasure(make_member):
    """Deleting a case in the Django admin would leave its files and its history's personal
    values behind: the admin refuses, even to a superuser; the case page's erasure is the way."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from pathways.web.workspace.cases import create_case

    member = make_member("erase-admin", role="administrator")
    from datetime import date

    case = create_case(member.institution, member.user, trainee_name="A Trainee", trainee_email="", home_country="UG",
                       stage="student", profile={"citizenships": ["UG"], "stage": "student"},
                       pathway_id="b1-elective", as_of=date(2026, 12, 1))
    root = get_user_model().objects.create_superuser("root-erase", "root@example.org", "a long root passphrase 1")
    client = Client()
    client.force_login(root)
    page = client.get(f"/admin/workspace/case/{case.pk}/delete/")
    assert page.status_code == 403
    assert client.get(f"/admin/workspace/case/{case.pk}/change/").status_code == 200
