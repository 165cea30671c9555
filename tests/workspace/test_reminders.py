"""Reminders and the calendar feed (issue 14 point 5): a digest email per coordinator and
administrator of what is due within 14 days, overdue, expiring or crossed, which each can turn
off; an iCalendar feed at a secret, revocable address, read back with the icalendar library."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail

from pathways.web.workspace.models import ContactLog, Member
from pathways.web.workspace.reminders import send_reminders

from .conftest import signed_in
from .support import seed

pytestmark = pytest.mark.usefixtures("rollback")


@pytest.fixture
def world():
    records = seed("rem")
    for user in records["users"].values():
        user.email = f"{user.username}@example.org"
        user.save()
    return records


def _dues(records) -> list[date]:
    return sorted(i.due for i in records["case"].checklist.all() if i.due)


def test_each_writer_gets_one_digest_of_what_is_overdue_and_due_soon(world):
    dues = _dues(world)
    today = dues[0] + timedelta(days=1)  # the first step overdue; later ones perhaps due soon
    mail.outbox.clear()
    sent, quiet = send_reminders(today)
    assert sent == 2 and quiet == 0  # the administrator and the coordinator; never the viewer
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        world["users"][r].email for r in ("administrator", "coordinator"))
    body = mail.outbox[0].body
    first = next(i for i in world["case"].checklist.all() if i.due == dues[0])
    assert "Overdue steps (" in body and world["case"].trainee_name in body
    assert f"/workspace/cases/{world['case'].pk}/" in body and "/workspace/me/" in body
    soon = [d for d in dues if today <= d <= today + timedelta(days=14)]
    assert ("Due within 14 days" in body) == bool(soon)
    assert first.due.strftime("%-d %b %Y") in body


def test_expiring_agreements_and_crossed_thresholds_are_in_the_digest(world):
    agreement = world["agreement"]
    today = agreement.ends - timedelta(days=30)
    world["case"].checklist.update(status="done")
    ContactLog.objects.filter(case=world["case"]).update(patient_contact_hours=30, teaching_hours=5, research_hours=5,
                                                         observation_hours=0)
    mail.outbox.clear()
    sent, _ = send_reminders(today)
    body = mail.outbox[0].body
    assert sent == 2 and "Agreements expiring (1)" in body and world["partner"].name in body
    assert "thresholds crossed (1)" in body and "75.0%" in body
    assert "Overdue" not in body


def test_a_member_who_turned_reminders_off_gets_none_and_nothing_due_sends_nothing(world):
    admin = world["users"]["administrator"].member
    page = signed_in(admin).post("/workspace/me/", {"action": "reminders"})  # the box unticked
    assert page.status_code == 200
    admin.refresh_from_db()
    assert admin.reminders is False
    mail.outbox.clear()
    sent, _ = send_reminders(_dues(world)[-1] + timedelta(days=1))
    assert sent == 1 and mail.outbox[0].to == [world["users"]["coordinator"].email]
    world["case"].checklist.update(status="done")
    world["agreement"].delete()
    ContactLog.objects.all().delete()
    mail.outbox.clear()
    assert send_reminders(date(2026, 1, 5)) == (0, 1) and not mail.outbox


def _feed_url(client) -> str:
    page = client.post("/workspace/me/", {"action": "calendar-new"}).content.decode()
    return re.search(r"http://testserver(/workspace/calendar/[^<\s]+\.ics)", page).group(1)


def test_the_calendar_feed_parses_and_holds_every_due_date_and_the_training_period(world):
    from django.test import Client
    from icalendar import Calendar

    other = seed("cal-other")
    url = _feed_url(signed_in(world["users"]["viewer"].member))
    response = Client().get(url)  # a calendar program signs in to nothing
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    case = world["case"]
    training = events[f"case-{case.pk}-training@exchange-pathways"]
    assert training.decoded("dtstart") == case.starts and training.decoded("dtend") == case.ends + timedelta(days=1)
    dues = sorted(e.decoded("dtstart") for uid, e in events.items() if uid.startswith("step-"))
    assert dues == _dues(world)
    assert f"agreement-{world['agreement'].pk}-ends@exchange-pathways" in events
    assert other["case"].trainee_name.encode() not in response.content


def test_a_calendar_address_is_revoked_or_replaced(world):
    from django.test import Client

    member = world["users"]["coordinator"].member
    client = signed_in(member)
    first = _feed_url(client)
    second = _feed_url(client)
    assert Client().get(first).status_code == 404 and Client().get(second).status_code == 200
    member.refresh_from_db()
    assert member.calendar_key and member.calendar_key not in second  # only its hash is kept
    client.post("/workspace/me/", {"action": "calendar-revoke"})
    assert Client().get(second).status_code == 404
    assert Client().get("/workspace/calendar/guess.ics").status_code == 404
    assert client.post("/workspace/me/", {"action": "dance"}).status_code == 400
    assert Member.objects.get(pk=member.pk).calendar_key == ""


def test_the_remind_command_runs_on_a_fresh_database(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    env.pop("PATHWAYS_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "pathways.cli", "workspace", "remind", "--dry-run", "--as-of",
                           "2027-01-04"], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0 digests to send, 0 members with nothing due"
    bad = subprocess.run([sys.executable, "-m", "pathways.cli", "workspace", "remind", "--as-of", "soon"],
                         capture_output=True, text=True, timeout=300, env=env)
    assert bad.returncode == 2 and bad.stderr.startswith("--as-of")
