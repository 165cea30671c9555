"""A member's calendar feed (iCalendar, RFC 5545, written with the `icalendar` library): every
due date of the open cases' checklists, every training period and every agreement's end, in
their institution. The feed's address carries a secret of the member's own; only its SHA-256
is stored, so a new secret replaces the old one (which stops working) and revoking empties it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta, timezone

from django.conf import settings

from .models import Agreement, Case, ChecklistItem, Member

PRODID = "-//Exchange Pathways//workspace calendar//EN"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(member: Member) -> str:
    """A fresh secret for the member's feed (the old one stops working); shown once."""
    token = secrets.token_urlsafe(32)
    member.calendar_key = _digest(token)
    member.save(update_fields=["calendar_key"])
    return token


def revoke(member: Member) -> None:
    member.calendar_key = ""
    member.save(update_fields=["calendar_key"])


def member_for(token: str) -> Member | None:
    if not token or len(token) > 100:
        return None
    member = Member.objects.select_related("institution", "user").filter(calendar_key=_digest(token)).first()
    return member if member is not None and member.user.is_active else None


def feed_path(token: str) -> str:
    return f"/workspace/calendar/{token}.ics"


def _day_event(uid: str, summary: str, start: date, end: date | None = None, description: str = "", url: str = ""):
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@exchange-pathways")
    event.add("dtstamp", datetime.now(timezone.utc))
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", (end or start) + timedelta(days=1))  # all-day events end the day after (exclusive)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def feed(member: Member, site: str | None = None) -> bytes:
    """The feed; `site` (the address the calendar program used) begins each event's link."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{member.institution.name}: visiting trainees")
    site = (site or settings.PATHWAYS_SITE_URL).rstrip("/")
    cases = Case.objects.filter(institution=member.institution, status=Case.Status.OPEN).defer("profile", "verdict")
    for case in cases.filter(starts__isnull=False):
        cal.add_component(_day_event(f"case-{case.pk}-training", f"{case.trainee_name}: training ({case.pathway_id})",
                                     case.starts, case.ends, url=f"{site}/workspace/cases/{case.pk}/"))
    items = (ChecklistItem.objects.filter(case__in=cases, status=ChecklistItem.Status.TODO, due__isnull=False)
             .select_related("case").defer("case__profile", "case__verdict"))
    for item in items:
        cal.add_component(_day_event(f"step-{item.pk}", f"Due: {item.case.trainee_name}: {item.text[:80]}", item.due,
                                     description=item.text, url=f"{site}/workspace/cases/{item.case_id}/"))
    for agreement in Agreement.objects.filter(institution=member.institution, ends__isnull=False).select_related("partner"):
        cal.add_component(_day_event(f"agreement-{agreement.pk}-ends",
                                     f"Agreement ends: {agreement.partner.name} ({agreement.get_kind_display()})",
                                     agreement.ends, url=f"{site}/workspace/agreements/{agreement.pk}/"))
    return cal.to_ical()
