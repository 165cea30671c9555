"""The incidental-contact log, checked: a week is named by its Monday (so two weeks never
overlap), lies within the case's training, has begun, and its hours (none below zero) add up
to at most the 168 hours of a week. Each refusal names the field, what was wrong and what is
accepted; a week is corrected and deleted with its history; the page prints no signature
block once the threshold is crossed, and says what to do instead."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pathways.web.workspace import logs, reports
from pathways.web.workspace.cases import create_case
from pathways.web.workspace.models import ContactLog, HistoryEntry

from .conftest import CANADIAN, signed_in

pytestmark = pytest.mark.usefixtures("rollback")

TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
STARTS = MONDAY - timedelta(weeks=8) + timedelta(days=2)  # a Wednesday, eight weeks ago
ENDS = MONDAY + timedelta(weeks=20)  # training still going on
WEEK = {"patient_contact_hours": "4", "teaching_hours": "10", "research_hours": "24", "observation_hours": "2"}


@pytest.fixture
def case(coordinator):
    return create_case(coordinator.institution, coordinator.user, trainee_name="Claire Tremblay", trainee_email="",
                       home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113", as_of=TODAY,
                       starts=STARTS, ends=ENDS)


def _url(case, tail=""):
    return f"/workspace/cases/{case.pk}/contact-log/{tail}"


def _errors(response) -> str:
    """The page's error summary, as text."""
    html = response.content.decode()
    found = re.search(r'<div class="error" role="alert">(.*?)</div>', html, flags=re.S)
    assert found, "no error summary on the page"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_week_that_is_not_a_monday_is_refused_with_its_monday(client, case):
    wednesday = MONDAY - timedelta(weeks=2) + timedelta(days=2)
    response = client.post(_url(case), {"week_of": wednesday.isoformat(), **WEEK})
    assert response.status_code == 400
    text = _errors(response)
    assert f"Week of (Monday): {wednesday} is a Wednesday" in text
    assert f"give the Monday its week begins on, {wednesday - timedelta(days=2)}" in text
    assert not case.contact_logs.exists()


def test_weeks_outside_the_training_or_not_begun_are_refused_with_the_weeks_accepted(client, case):
    first = STARTS - timedelta(days=2)  # the Monday of the week the training starts in
    before = first - timedelta(weeks=1)
    response = client.post(_url(case), {"week_of": before.isoformat(), **WEEK})
    assert response.status_code == 400
    text = _errors(response)
    assert f"Week of (Monday): The week of {before} is outside the training" in text
    assert f"the training runs from {STARTS} to {ENDS}" in text and f"from the week of {first}" in text
    future = MONDAY + timedelta(weeks=1)
    response = client.post(_url(case), {"week_of": future.isoformat(), **WEEK})
    assert response.status_code == 400
    assert f"The week of {future} has not begun (today is {TODAY})" in _errors(response)
    assert f"the latest being the week of {MONDAY}" in _errors(response)
    # the week the training starts in (it began on its Wednesday) and this week are accepted
    assert client.post(_url(case), {"week_of": first.isoformat(), **WEEK}).status_code == 302
    assert client.post(_url(case), {"week_of": MONDAY.isoformat(), **WEEK}).status_code == 302
    assert sorted(case.contact_logs.values_list("week_of", flat=True)) == [first, MONDAY]


def test_a_week_after_the_training_ended_is_refused(client, coordinator):
    ended = create_case(coordinator.institution, coordinator.user, trainee_name="Done Trainee", trainee_email="",
                        home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113", as_of=TODAY,
                        starts=MONDAY - timedelta(weeks=10), ends=MONDAY - timedelta(weeks=6, days=3))
    late = MONDAY - timedelta(weeks=6)
    response = client.post(_url(ended), {"week_of": late.isoformat(), **WEEK})
    assert response.status_code == 400
    assert f"The week of {late} is outside the training" in _errors(response)
    assert f"to the week of {MONDAY - timedelta(weeks=7)}" in _errors(response)
    # the last week of the training, which ends on its Thursday, is accepted
    assert client.post(_url(ended), {"week_of": (MONDAY - timedelta(weeks=7)).isoformat(), **WEEK}).status_code == 302


def test_hours_are_checked_field_by_field_and_in_all(client, case):
    week = (MONDAY - timedelta(weeks=3)).isoformat()
    response = client.post(_url(case), {"week_of": week, **WEEK, "patient_contact_hours": "60",
                                        "research_hours": "150"})
    assert response.status_code == 400
    text = _errors(response)
    assert "Total hours: patient contact, teaching, research and observation add up to 222 hours" in text
    assert "a week has 168, so give at most 168 in all" in text
    response = client.post(_url(case), {"week_of": week, **WEEK, "teaching_hours": "-3"})
    assert response.status_code == 400 and "Teaching (hours): -3 hours is below zero; give the hours spent, 0 or more" \
        in _errors(response)
    response = client.post(_url(case), {"week_of": week, **WEEK, "research_hours": "lots"})
    assert response.status_code == 400 and "Research (hours): Give a number of hours, such as 4 or 4.5" in _errors(response)
    response = client.post(_url(case), {"week_of": week, **WEEK, "research_hours": "4.25"})
    assert response.status_code == 400 and "one decimal place at most" in _errors(response)
    response = client.post(_url(case), {"week_of": "2026-02-30", **WEEK})
    assert response.status_code == 400 and "Week of (Monday): Give a date as YYYY-MM-DD" in _errors(response)
    assert not case.contact_logs.exists()
    # 168 hours in all is a full week: accepted; blank hours count as none
    full = {"week_of": week, "patient_contact_hours": "20", "teaching_hours": "48", "research_hours": "100",
            "observation_hours": ""}
    assert client.post(_url(case), full).status_code == 302
    logged = case.contact_logs.get()
    assert logged.total_hours == 168 and logged.observation_hours == 0


def test_weeks_never_overlap_a_week_is_one_row(client, case):
    week = MONDAY - timedelta(weeks=4)
    assert client.post(_url(case), {"week_of": week.isoformat(), **WEEK}).status_code == 302
    again = client.post(_url(case), {"week_of": week.isoformat(), **WEEK, "patient_contact_hours": "30"})
    assert again.status_code == 400
    assert f"The week of {week} is logged already; correct that week" in _errors(again)
    for n in (3, 2, 1):  # more weeks: Mondays only, so any two are a week apart at least
        assert client.post(_url(case), {"week_of": (MONDAY - timedelta(weeks=n)).isoformat(), **WEEK}).status_code == 302
    days = sorted(case.contact_logs.values_list("week_of", flat=True))
    assert all(d.weekday() == 0 for d in days)
    assert all(b - a >= timedelta(days=7) for a, b in zip(days, days[1:]))
    assert case.contact_logs.get(week_of=week).patient_contact_hours == 4  # not replaced


def test_a_week_is_corrected_and_deleted_with_its_history(client, case):
    week = MONDAY - timedelta(weeks=2)
    client.post(_url(case), {"week_of": week.isoformat(), **WEEK, "patient_contact_hours": "16"})
    client.post(_url(case), {"week_of": (week - timedelta(weeks=1)).isoformat(), **WEEK})
    entry = case.contact_logs.get(week_of=week)
    page = client.get(_url(case)).content.decode()
    assert f'href="/workspace/cases/{case.pk}/contact-log/{entry.pk}/"' in page  # its Correct link
    form = client.get(_url(case, f"{entry.pk}/"))
    assert form.status_code == 200 and 'value="16.0"' in form.content.decode()
    # a correction is checked like a new week: not a Wednesday, not onto a week already logged
    bad = client.post(_url(case, f"{entry.pk}/"), {"week_of": (week + timedelta(days=2)).isoformat(), **WEEK})
    assert bad.status_code == 400 and "is a Wednesday" in _errors(bad)
    clash = client.post(_url(case, f"{entry.pk}/"), {"week_of": (week - timedelta(weeks=1)).isoformat(), **WEEK})
    assert clash.status_code == 400 and "is logged already" in _errors(clash)
    assert ContactLog.objects.get(pk=entry.pk).patient_contact_hours == 16
    moved = week + timedelta(weeks=1)
    done = client.post(_url(case, f"{entry.pk}/"), {"week_of": moved.isoformat(), **WEEK})
    assert done.status_code == 302 and done["Location"].startswith(_url(case))
    entry.refresh_from_db()
    assert entry.week_of == moved and entry.patient_contact_hours == 4
    changed = HistoryEntry.objects.get(model="ContactLog", object_id=entry.pk, action="changed")
    assert changed.before["week_of"] == week.isoformat() and changed.after["week_of"] == moved.isoformat()
    assert changed.before["patient_contact_hours"] == "16.0" and changed.after["patient_contact_hours"] == "4.0"
    # deleted: POST only; gone from the log, kept in the history (and shown on the case's page)
    assert client.get(_url(case, f"{entry.pk}/delete/")).status_code == 405
    assert client.post(_url(case, f"{entry.pk}/delete/")).status_code == 302
    assert not ContactLog.objects.filter(pk=entry.pk).exists()
    deleted = HistoryEntry.objects.get(model="ContactLog", object_id=entry.pk, action="deleted")
    assert deleted.before["week_of"] == moved.isoformat() and deleted.after is None
    case_page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert f"deleted the week of {moved} from the contact log" in case_page
    assert f"moved the logged week of {week} to the week of {moved}" in case_page
    assert f"logged the week of {week - timedelta(weeks=1)}" in case_page
    assert client.post(_url(case, f"{entry.pk}/delete/")).status_code == 404  # already gone


def test_a_viewer_cannot_correct_or_delete_a_week(case, make_member, client):
    client.post(_url(case), {"week_of": (MONDAY - timedelta(weeks=1)).isoformat(), **WEEK})
    entry = case.contact_logs.get()
    viewer = signed_in(make_member("viewer", role="viewer"))
    assert viewer.get(_url(case, f"{entry.pk}/")).status_code == 403
    assert viewer.post(_url(case, f"{entry.pk}/delete/")).status_code == 403
    assert "Correct" not in viewer.get(_url(case)).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert ContactLog.objects.filter(pk=entry.pk).exists()


def test_a_week_of_another_case_is_not_found_through_this_one(client, case, coordinator):
    other = create_case(coordinator.institution, coordinator.user, trainee_name="Other Trainee", trainee_email="",
                        home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113", as_of=TODAY)
    client.post(_url(other), {"week_of": (MONDAY - timedelta(weeks=1)).isoformat(), **WEEK})
    entry = other.contact_logs.get()
    assert client.get(_url(case, f"{entry.pk}/")).status_code == 404
    assert client.post(_url(case, f"{entry.pk}/delete/")).status_code == 404
    assert ContactLog.objects.filter(pk=entry.pk).exists()


def test_the_library_refuses_what_the_form_refuses(case, coordinator):
    wednesday = MONDAY - timedelta(days=5)
    with pytest.raises(ValidationError) as refused:
        logs.log_week(case, coordinator.user, wednesday, {"patient_contact_hours": Decimal(4)})
    assert "week_of" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        logs.log_week(case, coordinator.user, MONDAY, {"teaching_hours": Decimal(169)})
    assert "168" in refused.value.message_dict["__all__"][0]
    assert not case.contact_logs.exists()


def test_no_signature_block_once_the_threshold_is_crossed(client, case):
    within = client.post(_url(case), {"week_of": (MONDAY - timedelta(weeks=2)).isoformat(), **WEEK})
    assert within.status_code == 302
    page = client.get(_url(case)).content.decode()
    assert "Dean's signature" in page and "Within the threshold" in page
    client.post(_url(case), {"week_of": (MONDAY - timedelta(weeks=1)).isoformat(), **WEEK,
                             "patient_contact_hours": "30"})
    assert reports.contact_report(case).crossed
    page = client.get(_url(case)).content.decode()
    assert "Dean's signature" not in page and "I certify" not in page
    assert "Threshold crossed: contact is no longer incidental." in page
    what = page.split('id="crossed-title"')[1].split("</section>")[0]
    assert "Stop the trainee's patient contact now." in what
    assert "an authorization that allows supervised patient care" in what and "GME office" in what
    assert "Print this page for the dean to sign" not in page


def test_the_history_reads_in_words(client, case, coordinator):
    from pathways.web.workspace.history import record, snapshot

    step = case.checklist.order_by("position").first()
    client.post(f"/workspace/cases/{case.pk}/checklist/{step.pk}/", {"status": "done"})
    client.post(f"/workspace/cases/{case.pk}/checklist/{step.pk}/", {"status": "n/a"})
    client.post(_url(case), {"week_of": (MONDAY - timedelta(weeks=1)).isoformat(), **WEEK})
    before = snapshot(case)
    case.profile = {**case.profile, "practice_years": 10}
    case.save()
    record(coordinator.user, case, "changed", before)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    history = page.split('<ol class="history">')[1].split("</ol>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", history).split())
    text = text.replace("&#x27;", "'")
    shown = step.text if len(step.text) <= 80 else step.text[:79] + "…"  # a long step is cut
    assert f"coord ticked '{shown}'" in text and f"coord marked '{shown}' as not needed" in text
    assert f"coord logged the week of {MONDAY - timedelta(weeks=1)}" in text
    assert "coord changed the profile" in text and "profile: practice_years: 9 → 10" in text
    assert "coord opened the case" in text
    assert "ChecklistItem" not in text and "ContactLog" not in text and not re.search(r"changed \w+ \d+", text)


def test_erasing_the_trainee_blanks_the_history_of_deleted_weeks_too(client, case, coordinator):
    from pathways.web.workspace.erasure import erase_case

    client.post(_url(case), {"week_of": (MONDAY - timedelta(weeks=1)).isoformat(), **WEEK})
    entry = case.contact_logs.get()
    client.post(_url(case, f"{entry.pk}/delete/"))
    about_week = HistoryEntry.objects.filter(model="ContactLog", object_id=entry.pk)
    assert about_week.count() == 2 and about_week.filter(before__isnull=False).exists()
    erase_case(case, coordinator.user)
    assert about_week.count() == 2  # who did what, and when, is kept
    assert not about_week.filter(before__isnull=False).exists() and not about_week.filter(after__isnull=False).exists()


def test_steps_laid_out_again_keep_their_history_on_the_case(client, case, coordinator):
    from pathways.web.workspace.cases import update_case

    step = case.checklist.order_by("position").first()
    client.post(f"/workspace/cases/{case.pk}/checklist/{step.pk}/", {"status": "done"})
    update_case(case, coordinator.user, {"starts": STARTS + timedelta(days=7)})  # a new start: steps laid out again
    assert not case.checklist.filter(pk=step.pk).exists()
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode().replace("&#x27;", "'")
    assert "coord ticked '" + step.text[:40] in page
    assert "changed the profile and the case's training starts" in page
