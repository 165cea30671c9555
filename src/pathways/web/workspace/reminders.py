"""The reminder digest (`pathways workspace remind`, for cron): for each coordinator and
administrator who has not turned it off, the steps due within the next days, the overdue
steps, the agreements expiring and the incidental-contact thresholds crossed, in their
institution's open cases. One email each, through Django's email backend; nothing is sent
to someone with nothing to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from . import reports
from .models import Case, ChecklistItem, Member, Role

DUE_WITHIN_DAYS = 14  # the horizon for "due soon"
AGREEMENTS_WITHIN_DAYS = 90  # as the dashboard's expiring agreements


@dataclass
class Digest:
    member: Member
    today: date
    due_soon: list = field(default_factory=list)  # checklist items
    overdue: list = field(default_factory=list)
    expiring: list = field(default_factory=list)  # agreements
    crossed: list = field(default_factory=list)  # reports.Crossed

    @property
    def empty(self) -> bool:
        return not (self.due_soon or self.overdue or self.expiring or self.crossed)


def _items(institution, today: date):
    todo = (ChecklistItem.objects.filter(case__institution=institution, case__status=Case.Status.OPEN,
                                         status=ChecklistItem.Status.TODO, due__isnull=False)
            .select_related("case").defer("case__profile", "case__verdict").order_by("due", "case__trainee_name", "pk"))
    overdue = list(todo.filter(due__lt=today))
    soon = list(todo.filter(due__gte=today, due__lte=today + timedelta(days=DUE_WITHIN_DAYS)))
    return overdue, soon


def digests(today: date) -> list[Digest]:
    """One digest per member who gets reminders, each institution's lists worked out once."""
    members = (Member.objects.filter(reminders=True, role__in=[Role.ADMINISTRATOR, Role.COORDINATOR],
                                     user__is_active=True).exclude(user__email="")
               .select_related("user", "institution").order_by("institution_id", "pk"))
    found, lists = [], {}
    for member in members:
        inst = member.institution
        if inst.pk not in lists:
            overdue, soon = _items(inst, today)
            lists[inst.pk] = (soon, overdue, reports.expiring(inst, today, AGREEMENTS_WITHIN_DAYS),
                              reports.crossed_thresholds(inst))
        found.append(Digest(member, today, *lists[inst.pk]))
    return found


def send_reminders(today: date, dry_run: bool = False) -> tuple[int, int]:
    """(emails sent, members with nothing to do). With dry_run, nothing is sent."""
    sent = quiet = 0
    for digest in digests(today):
        if digest.empty:
            quiet += 1
            continue
        if not dry_run:
            send_mail(f"Exchange Pathways: {_summary(digest)}",
                      render_to_string("workspace/reminders/digest.txt", {"d": digest, "days": DUE_WITHIN_DAYS,
                                                                         "site": settings.PATHWAYS_SITE_URL}),
                      None, [digest.member.user.email])
        sent += 1
    return sent, quiet


def _summary(d: Digest) -> str:
    parts = [f"{len(d.overdue)} overdue" if d.overdue else "", f"{len(d.due_soon)} due soon" if d.due_soon else "",
             f"{len(d.expiring)} agreement{'s' if len(d.expiring) != 1 else ''} expiring" if d.expiring else "",
             f"{len(d.crossed)} threshold{'s' if len(d.crossed) != 1 else ''} crossed" if d.crossed else ""]
    return ", ".join(p for p in parts if p) + f" at {d.member.institution.name}"
