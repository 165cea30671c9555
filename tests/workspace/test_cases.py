"""Cases: made from an evaluation with a checklist counted back from the start date,
ticked with history, re-evaluated when the knowledge base changes."""

from __future__ import annotations

import pytest

import json
from datetime import date, timedelta

import yaml

from pathways.engine.plan import days
from pathways.web.engine import get_engine
from pathways.web.workspace.cases import create_case, reevaluate_open_cases
from pathways.web.workspace.models import Case, ChecklistItem, HistoryEntry

from .conftest import CANADIAN, STUDENT, signed_in

pytestmark = pytest.mark.usefixtures("rollback")

AS_OF = date(2026, 3, 1)
STARTS = date(2027, 6, 1)


def _new_case(client, profile=STUDENT, pathway="b1-elective", starts=STARTS, **extra):
    data = {"trainee_name": "Aisha Nakato", "trainee_email": "aisha@example.org", "home_country": "ug",
            "stage": "student", "pathway_id": pathway, "profile": yaml.safe_dump(profile),
            "evaluated_on": AS_OF.isoformat(), "starts": starts.isoformat() if starts else "", "ends": "", **extra}
    return client.post("/workspace/cases/new/", data)


def test_a_case_opened_from_an_evaluation_lays_out_its_checklist_back_from_the_start_date(client, coordinator):
    response = _new_case(client)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(institution=coordinator.institution)
    assert response["Location"] == f"/workspace/cases/{case.pk}/"
    assert case.home_country == "UG" and case.profile["start_date"] == STARTS.isoformat()
    # Each step is due on begin_by (the last day to begin for the typical plan to meet the start
    # date; as_of if that day has passed) plus the step's typical finish. (It used to be the slow
    # plan's begin_by plus the slow finish.)
    engine = get_engine()
    profile = engine.check({**STUDENT, "start_date": STARTS.isoformat()})
    verdict = engine.plan(profile, "b1-elective", AS_OF)
    t = verdict.timeline
    assert t.begin_by and t.begin_by >= AS_OF  # a start more than a year ahead: not late
    expected = {s.id: t.begin_by + days(s.finishes.typical) for s in verdict.steps}
    assert expected == {s.id: s.due for s in verdict.steps}
    items = {i.step_id: i.due for i in case.checklist.all()}
    assert items == expected and items
    assert max(items.values()) <= STARTS
    assert case.verdict["begin_by"] == t.begin_by.isoformat()
    assert case.verdict["begin_by_safe"] == t.begin_by_safe.isoformat()
    assert case.verdict["can_start"] == t.can_start and case.verdict["late"] is False
    assert case.verdict["likely_start"] == t.likely_start.isoformat()
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "Aisha Nakato" in page and "Checklist" in page
    assert all(d.isoformat() in page for d in expected.values())


def test_the_finder_s_answers_prefill_the_new_case_form(client):
    query = ("desired_contact=supervised&stage=student&enrolled_in_us_school=false&final_year=true"
             "&school_recognized_by_mbc=true&citizenships=UG&current_us_status=none"
             "&host.dean_approved_elective=true&pathway=b1-elective")
    page = client.get(f"/workspace/cases/new/?{query}").content.decode()
    assert "dean_approved_elective: true" in page
    assert '<option value="b1-elective" selected>' in page
    assert 'name="home_country" value="UG"' in page


def test_the_finder_s_result_links_each_pathway_to_a_new_case(client):
    import re
    from html import unescape

    query = ("stage=student&citizenships=UG&final_year=true&enrolled_in_us_school=false&school_recognized_by_mbc=true"
             "&current_us_status=none&host.dean_approved_elective=true")
    page = client.get(f"/result/?{query}").content.decode()
    links = dict((p, unescape(href)) for href, p in re.findall(
        r'<a href="(/workspace/cases/new/\?answers=[^"]+&amp;pathway=([^"]+))">Open a case with this pathway</a>', page))
    assert "b1-elective" in links  # the answers packed short: a result page has a link per pathway
    form = client.get(links["b1-elective"]).content.decode()
    assert "dean_approved_elective: true" in form and '<option value="b1-elective" selected>' in form


def test_a_profile_with_a_field_outside_the_contract_is_refused(client, coordinator):
    response = _new_case(client, profile={**STUDENT, "passport_number": "A1234567"})
    assert response.status_code == 400
    assert "passport_number: unknown field" in response.content.decode()
    assert not Case.objects.filter(institution=coordinator.institution).exists()


def test_ticking_a_step_is_recorded_with_who_and_before_and_after(client, coordinator):
    _new_case(client)
    case = Case.objects.get(institution=coordinator.institution)
    item = case.checklist.first()
    response = client.post(f"/workspace/cases/{case.pk}/checklist/{item.pk}/", {"status": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.DONE
    entry = HistoryEntry.objects.get(model="ChecklistItem", object_id=item.pk)
    assert entry.user == coordinator.user and entry.action == "changed"
    assert entry.before["status"] == "todo" and entry.after["status"] == "done"
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode().replace("&#x27;", "'")
    shown = item.text if len(item.text) <= 80 else item.text[:79] + "…"
    assert f"coord ticked '{shown}'" in page  # the history in words
    assert client.post(f"/workspace/cases/{case.pk}/checklist/{item.pk}/", {"status": "maybe"}).status_code == 400


def test_editing_a_case_records_the_change_and_a_new_start_date_moves_the_due_dates(client, coordinator):
    starts = date.today() + timedelta(days=400)  # far enough ahead of the edit's day not to be late
    _new_case(client, starts=starts)
    case = Case.objects.get(institution=coordinator.institution)
    first = case.checklist.first()
    client.post(f"/workspace/cases/{case.pk}/checklist/{first.pk}/", {"status": "done"})
    old_due = {i.step_id: i.due for i in case.checklist.all()}
    later = starts + timedelta(days=28)
    response = client.post(f"/workspace/cases/{case.pk}/edit/", {
        "trainee_name": "Aisha N. Nakato", "trainee_email": "aisha@example.org", "home_country": "UG",
        "stage": "student", "pathway_id": "b1-elective", "starts": later.isoformat(), "ends": "", "status": "open"})
    assert response.status_code == 302, response.content.decode()[:1500]
    case.refresh_from_db()
    assert case.trainee_name == "Aisha N. Nakato" and case.profile["start_date"] == later.isoformat()
    # A new start date re-evaluates the case today (the edit's day), so the plan is today's: each
    # step is due 28 days after it would be for the old start date evaluated today.
    assert case.evaluated_on == date.today()
    engine = get_engine()
    moved = engine.plan({**STUDENT, "start_date": later.isoformat()}, "b1-elective", case.evaluated_on)
    unmoved = engine.plan({**STUDENT, "start_date": starts.isoformat()}, "b1-elective", case.evaluated_on)
    assert unmoved.timeline.begin_by >= case.evaluated_on  # else the dates would be clamped to the day
    new_due = {i.step_id: i.due for i in case.checklist.all()}
    assert set(new_due) == set(old_due)
    assert new_due == {s.id: s.due for s in moved.steps}
    assert new_due == {s.id: s.due + timedelta(days=28) for s in unmoved.steps}
    assert case.verdict["begin_by"] == moved.timeline.begin_by.isoformat()
    assert case.checklist.get(step_id=first.step_id).status == "done"  # ticked steps keep their status
    entry = HistoryEntry.objects.filter(model="Case", object_id=case.pk, action="changed").first()
    assert entry.before["trainee_name"] == "Aisha Nakato" and entry.after["trainee_name"] == "Aisha N. Nakato"


def test_a_case_whose_verdict_moved_with_the_knowledge_base_is_flagged(coordinator):
    case = create_case(coordinator.institution, coordinator.user, trainee_name="Claire Tremblay", trainee_email="",
                       home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113", as_of=AS_OF)
    untouched = create_case(coordinator.institution, coordinator.user, trainee_name="Other", trainee_email="",
                            home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113", as_of=AS_OF)
    # As if made with an older knowledge base under which the verdict was different.
    Case.objects.filter(pk=case.pk).update(knowledge_key="an-older-kb",
                                           verdict={**case.verdict, "status": "blocked", "cost_max": 1.0})
    flagged = reevaluate_open_cases()
    assert [c.pk for c in flagged] == [case.pk]
    case.refresh_from_db()
    assert "status: blocked -> open" in case.change and "maximum cost" in case.change
    assert case.knowledge_key == get_engine()._key
    assert not Case.objects.get(pk=untouched.pk).change
    entry = HistoryEntry.objects.get(model="Case", object_id=case.pk, action="changed")
    assert entry.before["verdict"]["status"] == "blocked"
    client = signed_in(coordinator)
    dashboard = client.get("/workspace/").content.decode()
    assert "Claire Tremblay" in dashboard and "status: blocked -&gt; open" in dashboard
    client.post(f"/workspace/cases/{case.pk}/edit/", {"acknowledge": "1"})
    case.refresh_from_db()
    assert case.change == ""


def test_notes_and_documents_are_kept_on_the_case_and_served_only_to_its_institution(client, coordinator, make_member,
                                                                                     tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _new_case(client)
    case = Case.objects.get(institution=coordinator.institution)
    assert client.post(f"/workspace/cases/{case.pk}/notes/", {"text": "Dean's letter requested."}).status_code == 302
    upload = SimpleUploadedFile("letter.txt", b"To whom it may concern", content_type="text/plain")
    assert client.post(f"/workspace/cases/{case.pk}/documents/", {"title": "Host letter", "file": upload}).status_code == 302
    doc = case.documents.get()
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "Dean&#x27;s letter requested." in page and "Host letter" in page
    download = client.get(f"/workspace/cases/{case.pk}/documents/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"To whom it may concern"
    stranger = signed_in(make_member("stranger", institution="Another Hospital"))
    assert stranger.get(f"/workspace/cases/{case.pk}/documents/{doc.pk}/").status_code == 404
    assert stranger.get(f"/workspace/cases/{case.pk}/").status_code == 404


def test_a_viewer_reads_but_cannot_write(coordinator, make_member, client):
    _new_case(client)
    case = Case.objects.get(institution=coordinator.institution)
    viewer = signed_in(make_member("viewer", role="viewer"))
    assert viewer.get(f"/workspace/cases/{case.pk}/").status_code == 200
    assert viewer.post(f"/workspace/cases/{case.pk}/notes/", {"text": "x"}).status_code == 403
    assert viewer.get("/workspace/cases/new/").status_code == 403
    assert viewer.post("/workspace/cases/new/", {}).status_code == 403


def test_the_api_opens_changes_and_ticks_a_case(client, coordinator):
    body = {"trainee_name": "Claire Tremblay", "home_country": "CA", "stage": "graduate", "profile": CANADIAN,
            "pathway_id": "tn-2113", "starts": "2027-09-01", "evaluated_on": AS_OF.isoformat()}
    response = client.post("/api/v1/workspace/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["checklist"] and data["profile"]["start_date"] == "2027-09-01"
    listed = client.get("/api/v1/workspace/cases").json()
    assert [c["id"] for c in listed] == [data["id"]]
    patched = client.patch(f"/api/v1/workspace/cases/{data['id']}", json.dumps({"status": "closed"}),
                           content_type="application/json")
    assert patched.status_code == 200 and patched.json()["status"] == "closed"
    item = data["checklist"][0]["id"]
    ticked = client.post(f"/api/v1/workspace/cases/{data['id']}/checklist/{item}", json.dumps({"status": "n/a"}),
                         content_type="application/json")
    assert ticked.status_code == 200 and ticked.json()["status"] == "n/a"
    bad = client.post("/api/v1/workspace/cases", json.dumps({**body, "profile": {**CANADIAN, "ssn": "1"}}),
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "profile.ssn"
    from django.test import Client

    assert Client().get("/api/v1/workspace/cases").status_code == 401


NORWEGIAN_PROFILE = """\
citizenships: [NO]
stage: student
enrolled_in_us_school: false
final_year: true
school_recognized_by_mbc: true
current_us_status: none
desired_contact: supervised
host: {dean_approved_elective: true}
"""


def test_a_case_profile_reads_citizenships_no_as_norway_not_false(client, coordinator):
    # YAML 1.2 (rules/yaml12.py): in YAML 1.1 an unquoted NO is the boolean false
    response = client.post("/workspace/cases/new/", {
        "trainee_name": "Ingrid Hansen", "trainee_email": "", "home_country": "no", "stage": "student",
        "pathway_id": "b1-elective", "profile": NORWEGIAN_PROFILE, "evaluated_on": AS_OF.isoformat(),
        "starts": STARTS.isoformat(), "ends": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(institution=coordinator.institution, trainee_name="Ingrid Hansen")
    assert case.home_country == "NO" and case.profile["citizenships"] == ["NO"]


def test_a_case_is_at_risk_when_the_typical_plan_misses_the_start_or_a_step_is_due_within_a_week(coordinator):
    from pathways.web.workspace.cases import at_risk

    today = date.today()
    starts = today + timedelta(days=500)  # the typical plan, begun by begin_by, meets it
    case = create_case(coordinator.institution, coordinator.user, trainee_name="On Time", trainee_email="",
                       home_country="UG", stage="student", profile={**STUDENT, "start_date": starts.isoformat()},
                       pathway_id="b1-elective", as_of=today, starts=starts)
    assert case.verdict["late"] is False and case.verdict["can_start"] in ("yes", "likely")
    items = list(case.checklist.all())
    assert items and min(i.due for i in items) > today + timedelta(days=7)
    assert not at_risk(case, today)
    first = items[0]
    ChecklistItem.objects.filter(pk=first.pk).update(due=today + timedelta(days=7))  # due within a week
    assert at_risk(case, today)
    ChecklistItem.objects.filter(pk=first.pk).update(status="done")  # done: no longer a worry
    assert not at_risk(case, today)
    late = create_case(coordinator.institution, coordinator.user, trainee_name="Too Soon", trainee_email="",
                       home_country="UG", stage="student",
                       profile={**STUDENT, "start_date": (today + timedelta(days=30)).isoformat()},
                       pathway_id="b1-elective", as_of=today, starts=today + timedelta(days=30))
    assert late.verdict["late"] is True and late.verdict["can_start"] in ("only-if-fast", "no")
    assert min(i.due for i in late.checklist.all()) >= today  # never a past day to do something by
    assert at_risk(late, today)


@pytest.mark.parametrize("days_ahead", [None, 20, 200, 800])
def test_no_new_case_is_overdue_on_the_day_it_is_made(coordinator, days_ahead):
    """Whatever the pathway and however near the start date, a case's checklist counts back with
    typical durations from the start and never before the day it is made."""
    from pathways.web.workspace.cases import overdue

    today = date.today()
    starts = today + timedelta(days=days_ahead) if days_ahead else None
    profiles = {"student": STUDENT, "graduate": CANADIAN}
    made = 0
    for pathway in get_engine().pathways():
        stage = "student" if "student" in pathway["categories"] else "graduate"
        profile = {**profiles[stage], **({"start_date": starts.isoformat()} if starts else {})}
        case = create_case(coordinator.institution, coordinator.user, trainee_name=f"Trainee {pathway['id']}",
                           trainee_email="", home_country="UG", stage=stage, profile=profile,
                           pathway_id=pathway["id"], as_of=today, starts=starts)
        items = list(case.checklist.all())
        assert items, pathway["id"]
        assert overdue(case, today) == [], pathway["id"]
        assert min(i.due for i in items) >= today, pathway["id"]
        made += 1
    assert made == len(get_engine().pathway_ids())


def test_dates_outside_the_contracts_range_are_refused_by_name_not_a_server_error(client, coordinator):
    body = {"trainee_name": "Claire Tremblay", "home_country": "CA", "stage": "graduate", "profile": CANADIAN,
            "pathway_id": "tn-2113", "evaluated_on": "0444-01-01"}
    response = client.post("/api/v1/workspace/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "evaluated_on"
    form = _new_case(client, evaluated_on="9999-12-31")
    assert form.status_code == 400 and "Give a date from 1900-01-01 to 2200-12-31" in form.content.decode()
    assert not Case.objects.filter(institution=coordinator.institution).exists()
