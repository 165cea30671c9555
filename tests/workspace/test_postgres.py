"""The workspace's behaviour on both databases it supports: every test here runs on SQLite
(a temporary file) and on PostgreSQL (a throwaway database, CREATE DATABASE
pathways_test_<random>, on the server at PATHWAYS_TEST_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/test; dropped at the end). The PostgreSQL half is marked
`postgres`; without a server it fails with the reason, it never skips.

What differs between the two and could bite: transactions (PostgreSQL aborts a transaction
at its first error; SQLite lets it go on), concurrent writers (SQLite has one writer at a time
and answers `database is locked` when a writer waits too long), JSON lookups, date arithmetic
and the uniqueness constraints.
"""

from __future__ import annotations

import json
import secrets
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest

from .support import PATHWAY, STUDENT, backend, seed  # noqa: F401  (backend: a fixture)


@pytest.fixture()
def inst(backend):
    return seed(secrets.token_hex(4))


def _client(user=None):
    from django.test import Client

    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_the_database_is_the_one_asked_for(backend):
    from django.db import connection

    assert connection.vendor == backend
    if backend == "postgresql":
        assert connection.settings_dict["NAME"].startswith("pathways_test_")


def test_a_case_made_from_an_evaluation_has_its_checklist_and_history(inst):
    from pathways.web.workspace.models import Case, HistoryEntry

    client = _client(inst["users"]["coordinator"])
    starts = date.today() + timedelta(days=200)
    response = client.post("/workspace/cases/new/", {
        "trainee_name": "Amara Nakato", "trainee_email": "amara@example.org", "home_institution": inst["partner"].pk,
        "home_country": "UG", "stage": "student", "pathway_id": PATHWAY, "profile": json.dumps(STUDENT),
        "evaluated_on": date.today().isoformat(), "starts": starts.isoformat(),
        "ends": (starts + timedelta(days=28)).isoformat()})
    assert response.status_code == 302, response.content[:500]
    case = Case.objects.get(institution=inst["institution"], trainee_name="Amara Nakato")
    assert response["Location"] == f"/workspace/cases/{case.pk}/"
    assert case.home_institution == inst["partner"] and case.starts == starts
    steps = list(case.checklist.all())
    assert steps and [s.position for s in steps] == sorted(s.position for s in steps)
    assert all(s.due is not None and s.due <= starts for s in steps), [(s.step_id, s.due) for s in steps]
    assert case.profile["start_date"] == starts.isoformat()  # due dates count back from it
    assert case.verdict["status"] == "open"
    created = HistoryEntry.objects.get(model="Case", object_id=case.pk)
    assert created.action == "created" and created.user == inst["users"]["coordinator"]
    page = client.get(f"/workspace/cases/{case.pk}/")
    assert page.status_code == 200
    assert "Amara Nakato" in page.content.decode() and steps[0].text.split()[0] in page.content.decode()


def test_ticking_a_step_keeps_who_and_before_and_after(inst):
    from pathways.web.workspace.models import ChecklistItem, HistoryEntry

    client = _client(inst["users"]["coordinator"])
    case, first, second = inst["case"], inst["items"][0], inst["items"][1]
    for item, status in ((first, "done"), (second, "n/a")):
        response = client.post(f"/workspace/cases/{case.pk}/checklist/{item.pk}/", {"status": status})
        assert response.status_code == 302, response.content[:300]
    assert ChecklistItem.objects.get(pk=first.pk).status == "done"
    assert ChecklistItem.objects.get(pk=second.pk).status == "n/a"
    entry = HistoryEntry.objects.filter(model="ChecklistItem", object_id=first.pk).first()
    assert entry is not None and entry.action == "changed" and entry.user == inst["users"]["coordinator"]
    assert entry.before["status"] == "todo" and entry.after["status"] == "done"
    # the same status again records nothing
    client.post(f"/workspace/cases/{case.pk}/checklist/{first.pk}/", {"status": "done"})
    assert HistoryEntry.objects.filter(model="ChecklistItem", object_id=first.pk).count() == 1
    # a status outside the three is refused and changes nothing
    response = client.post(f"/workspace/cases/{case.pk}/checklist/{first.pk}/", {"status": "finished"})
    assert response.status_code == 400
    assert ChecklistItem.objects.get(pk=first.pk).status == "done"


def test_reciprocity_numbers_funding_ratio_and_csv(inst):
    from pathways.web.workspace.reports import reciprocity

    rows = reciprocity(inst["institution"])
    assert [r.year for r in rows] == [2026, 2025]  # the seeded case (starting 2026-09-01), the exchanges
    case_row, row = rows
    assert (row.partner, row.year, row.inbound_heads, row.outbound_heads) == (inst["partner"].name, 2025, 3, 2)
    assert row.funding_ratio == pytest.approx(2.5)
    # the case counts inbound: one trainee, its 30 days of training, no dollars
    assert (case_row.inbound_heads, case_row.inbound_cases, case_row.inbound_weeks, case_row.inbound_usd) == \
        (1, 1, Decimal("4.3"), 0)
    client = _client(inst["users"]["viewer"])
    page = client.get("/workspace/reciprocity/")
    assert page.status_code == 200
    text = page.content.decode()
    assert inst["partner"].name in text and "2.50" in text and "<svg" in text and "$30,000" in text
    csv = client.get("/workspace/reciprocity.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert f"{inst['partner'].name},2026,1,0," in body and f"{inst['partner'].name},2025,3,2," in body
    assert body.rstrip().endswith("2.50")


def test_the_dashboard_shows_what_needs_doing(inst):
    from pathways.web.workspace.cases import create_case
    from pathways.web.workspace.models import Agreement

    today = date.today()
    soon = create_case(inst["institution"], inst["users"]["coordinator"], trainee_name="Late Starter",
                       trainee_email="", home_country="UG", stage="student",
                       profile={**STUDENT, "start_date": (today + timedelta(days=5)).isoformat()}, pathway_id=PATHWAY,
                       as_of=today, starts=today + timedelta(days=5), home_institution=inst["partner"])
    # Five days is too late for the typical plan: the case is late and at risk, and its steps are due
    # counted from today (never a past day; they used to be counted back from a past begin_by).
    from pathways.web.workspace.cases import at_risk

    assert soon.verdict["late"] is True and soon.verdict["can_start"] == "no"
    assert at_risk(soon, today)
    assert soon.checklist.filter(status="todo").exists()
    assert not soon.checklist.filter(due__lt=today).exists()
    Agreement.objects.create(institution=inst["institution"], partner=inst["partner"], kind="mou", direction="inbound",
                             starts=today - timedelta(days=300), ends=today + timedelta(days=30), notes="Ending soon")
    page = _client(inst["users"]["viewer"]).get("/workspace/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Late Starter" in text, "an overdue or at-risk case is not on the dashboard"
    assert (today + timedelta(days=30)).isoformat() in text or inst["partner"].name in text, \
        "an agreement expiring in 30 days is not on the dashboard"


def test_json_fields_and_lookups(inst):
    from pathways.web.workspace.models import Case

    case = Case.objects.get(pk=inst["case"].pk)
    # the profile as given, with the case's dates as the engine reads them (cases.with_dates)
    assert case.profile == {**STUDENT, "start_date": case.starts.isoformat(),
                            "duration_weeks": round(((case.ends - case.starts).days + 1) / 7, 1)}
    assert Case.objects.filter(pk=case.pk, verdict__status="open").exists()
    assert Case.objects.filter(pk=case.pk, profile__host__dean_approved_elective=True).exists()


def test_uniqueness_holds_and_the_transaction_goes_on(inst):
    from django.db import IntegrityError, transaction

    from pathways.web.workspace.models import ChecklistItem, Partner

    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Partner.objects.create(institution=inst["institution"], name=inst["partner"].name, country="UG")
    item = inst["items"][0]
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            ChecklistItem.objects.create(case=inst["case"], step_id=item.step_id, text="again", actor="host",
                                         position=99)
    # after the rolled-back savepoints the connection still works (PostgreSQL's aborted state is left)
    assert Partner.objects.filter(institution=inst["institution"]).count() == 1


def test_an_import_with_a_bad_row_imports_nothing_unless_asked(inst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pathways.web.workspace.models import Partner

    client = _client(inst["users"]["coordinator"])
    text = ("name,country,income_group,income_group_year\n"
            "Makerere Partner,UG,L,2026\n"
            f"{inst['partner'].name},UG,L,2026\n"  # exists already
            "Makerere Partner,UG,L,2026\n"  # twice in the file
            "Moi Partner,KE,LM,2026\n")
    before = set(Partner.objects.filter(institution=inst["institution"]).values_list("name", flat=True))
    response = client.post("/workspace/import/partners/", {"file": SimpleUploadedFile("p.csv", text.encode())})
    assert response.status_code in (200, 400), response.status_code
    assert set(Partner.objects.filter(institution=inst["institution"]).values_list("name", flat=True)) == before
    response = client.post("/workspace/import/partners/", {"file": SimpleUploadedFile("p.csv", text.encode()),
                                                          "import_valid_rows": "1"})
    assert response.status_code in (200, 302), response.status_code
    after = set(Partner.objects.filter(institution=inst["institution"]).values_list("name", flat=True))
    assert after == before | {"Makerere Partner", "Moi Partner"}


def test_concurrent_writers_all_land(inst):
    """Eight threads (as `pathways serve` runs eight) add notes and tick steps at once: every
    write answered 302 is there, and none is refused for a locked database."""
    from django.db import connections

    from pathways.web.workspace.models import ChecklistItem, Note

    case, user = inst["case"], inst["users"]["coordinator"]
    items = inst["items"]
    results: list[tuple[str, int]] = []
    lock = threading.Lock()

    def worker(w: int):
        try:
            client = _client(user)
            for i in range(8):
                text = f"concurrent {w}-{i}"
                r = client.post(f"/workspace/cases/{case.pk}/notes/", {"text": text})
                status = ["todo", "done"][(w + i) % 2]
                r2 = client.post(f"/workspace/cases/{case.pk}/checklist/{items[i % len(items)].pk}/", {"status": status})
                with lock:
                    results.append((text, r.status_code))
                    results.append(("tick", r2.status_code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    bad = [r for r in results if r[1] != 302]
    assert len(results) == 8 * 8 * 2
    assert not bad, f"{len(bad)} of {len(results)} concurrent writes failed: {bad[:10]}"
    notes = set(Note.objects.filter(case=case).values_list("text", flat=True))
    assert {t for t, _ in results if t != "tick"} <= notes
    assert ChecklistItem.objects.filter(case=case).count() == len(items)


# --- the JSON API (session auth, same rules) -----------------------------------------------------------


def _json(response):
    return json.loads(response.content.decode())


def test_the_api_lists_reads_patches_and_ticks(inst):
    from pathways.web.workspace.models import Case, ChecklistItem

    client = _client(inst["users"]["coordinator"])
    case, item = inst["case"], inst["items"][0]
    listed = client.get("/api/v1/workspace/cases")
    assert listed.status_code == 200, listed.content[:300]
    data = _json(listed)
    rows = data["items"] if isinstance(data, dict) and "items" in data else data
    assert [r["id"] for r in rows] == [case.pk]
    one = client.get(f"/api/v1/workspace/cases/{case.pk}")
    assert one.status_code == 200 and _json(one)["trainee_name"] == case.trainee_name
    patched = client.patch(f"/api/v1/workspace/cases/{case.pk}", json.dumps({"trainee_name": "Renamed by API"}),
                           content_type="application/json")
    assert patched.status_code == 200, patched.content[:300]
    assert Case.objects.get(pk=case.pk).trainee_name == "Renamed by API"
    ticked = client.post(f"/api/v1/workspace/cases/{case.pk}/checklist/{item.pk}", json.dumps({"status": "done"}),
                         content_type="application/json")
    assert ticked.status_code in (200, 201), ticked.content[:300]
    assert ChecklistItem.objects.get(pk=item.pk).status == "done"


def test_the_api_creates_a_case_from_a_profile_and_pathway(inst):
    from pathways.web.workspace.models import Case

    client = _client(inst["users"]["coordinator"])
    response = client.post("/api/v1/workspace/cases", json.dumps({
        "trainee_name": "API Trainee", "home_country": "UG", "stage": "student", "pathway_id": PATHWAY,
        "profile": STUDENT, "starts": (date.today() + timedelta(days=120)).isoformat()}),
        content_type="application/json")
    assert response.status_code in (200, 201), response.content[:500]
    case = Case.objects.get(institution=inst["institution"], trainee_name="API Trainee")
    assert _json(response)["id"] == case.pk and case.checklist.exists()
