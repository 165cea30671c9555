"""A case's profile after creation (issue 14 point 3): edited in the form and the API and
re-evaluated, the change in the history; the training dates and host city feed the plan and
its costs; unknown facts shown as the questions they are, each answerable in place."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import yaml

from pathways.web.workspace.cases import create_case
from pathways.web.workspace.models import Case, HistoryEntry

from .conftest import STUDENT

pytestmark = pytest.mark.usefixtures("rollback")
STARTS = date.today() + timedelta(days=300)


def _case(member, profile=None, **extra) -> Case:
    values = {"trainee_name": "Aisha Nakato", "trainee_email": "", "home_country": "UG", "stage": "student",
              "profile": profile if profile is not None else dict(STUDENT), "pathway_id": "b1-elective",
              "as_of": date.today(), "starts": STARTS, "ends": STARTS + timedelta(days=41)} | extra
    return create_case(member.institution, member.user, **values)


def _edit(client, case, profile: dict):
    return client.post(f"/workspace/cases/{case.pk}/edit/", {
        "trainee_name": case.trainee_name, "trainee_email": "", "home_country": case.home_country,
        "stage": case.stage, "pathway_id": case.pathway_id, "starts": case.starts.isoformat(),
        "ends": case.ends.isoformat(), "status": "open", "profile": yaml.safe_dump(profile)})


def test_the_training_dates_and_host_city_feed_the_plan_and_its_costs(coordinator):
    no_stay = {k: v for k, v in STUDENT.items() if k != "duration_weeks"}
    undated = _case(coordinator, profile=no_stay, ends=None)  # no length of stay: the fees alone
    anywhere = _case(coordinator)  # six weeks, city unknown: a range over the cities
    city = _case(coordinator, profile={**STUDENT, "host_city": "san-francisco"})
    assert city.profile["duration_weeks"] == 6  # the case's dates, not the profile's 8 weeks
    assert city.profile["start_date"] == STARTS.isoformat()
    assert "duration_weeks" not in undated.profile
    # six weeks of San Francisco's per diem: far more than the fees alone, and a narrower range
    assert city.verdict["cost_min"] > undated.verdict["cost_max"] + 6 * 7 * 100
    assert (city.verdict["cost_max"] - city.verdict["cost_min"]) < (anywhere.verdict["cost_max"] - anywhere.verdict["cost_min"])


def test_the_profile_is_edited_in_the_form_re_evaluated_and_kept_in_the_history(client, coordinator):
    case = _case(coordinator)
    assert case.verdict["status"] == "open"
    page = client.get(f"/workspace/cases/{case.pk}/edit/").content.decode()
    assert "dean_approved_elective: true" in page  # the profile, as YAML, in the form
    response = _edit(client, case, {**STUDENT, "school_recognized_by_mbc": False})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.verdict["status"] == "blocked" and "school-recognized-by-mbc" in case.verdict["unmet"]
    entry = HistoryEntry.objects.filter(model="Case", object_id=case.pk, action="changed").latest("id")
    assert entry.before["profile"]["school_recognized_by_mbc"] is True
    assert entry.after["profile"]["school_recognized_by_mbc"] is False
    bad = _edit(client, case, {**STUDENT, "stage": "resident"})
    assert bad.status_code == 400 and "stage" in bad.content.decode()


def test_unknown_facts_are_questions_answered_in_place(client, coordinator):
    profile = {k: v for k, v in STUDENT.items() if k != "school_recognized_by_mbc"}
    case = _case(coordinator, profile=profile)
    assert case.verdict["status"] == "needs-info" and "school_recognized_by_mbc" in case.verdict["unknown_facts"]
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert 'id="question-school_recognized_by_mbc"' in page and "school-recognized-by-mbc" not in page.split(
        'id="questions"')[1].split("</section>")[0]  # a question in words, not a requirement's id
    wrong = client.post(f"/workspace/cases/{case.pk}/answer/", {"fact": "school_recognized_by_mbc", "answer": "maybe"})
    assert wrong.status_code == 400 and "school_recognized_by_mbc" in wrong.content.decode()
    assert client.post(f"/workspace/cases/{case.pk}/answer/", {"fact": "nonsense", "answer": "x"}).status_code == 400
    done = client.post(f"/workspace/cases/{case.pk}/answer/", {"fact": "school_recognized_by_mbc", "answer": "true"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.verdict["status"] == "open" and case.profile["school_recognized_by_mbc"] is True
    assert 'id="questions"' not in client.get(f"/workspace/cases/{case.pk}/").content.decode()


def test_a_host_offer_is_answered_in_place_too(client, coordinator):
    profile = {**STUDENT, "host": {}}
    case = _case(coordinator, profile=profile)
    assert "host.dean_approved_elective" in case.verdict["unknown_facts"]
    client.post(f"/workspace/cases/{case.pk}/answer/", {"fact": "host.dean_approved_elective", "answer": "true"})
    case.refresh_from_db()
    assert case.profile["host"] == {"dean_approved_elective": True} and case.verdict["status"] == "open"


def test_the_api_patches_the_profile_and_refuses_a_bad_one_by_field(client, coordinator):
    case = _case(coordinator)
    url = f"/api/v1/workspace/cases/{case.pk}"
    response = client.patch(url, json.dumps({"profile": {**STUDENT, "school_recognized_by_mbc": False}}),
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["verdict"]["status"] == "blocked"
    bad = client.patch(url, json.dumps({"profile": {**STUDENT, "citizenships": ["ZZ"]}}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "profile.citizenships"
    ssn = client.patch(url, json.dumps({"profile": {**STUDENT, "host_city": "123-45-6789"}}),
                       content_type="application/json")
    assert ssn.status_code == 422
