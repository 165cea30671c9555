"""A visiting trainee's case: the profile (as the contract defines it), the chosen pathway,
its checklist, notes and documents. No field holds an SSN, ITIN or passport number: the
profile only says whether an SSN or ITIN exists (`has_ssn_or_itin`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from ..sensitive import validate as no_identity_numbers
from .accounts import Institution
from .partners import Partner


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="cases")
    trainee_name = models.CharField(max_length=200, validators=[no_identity_numbers])
    trainee_email = models.EmailField(blank=True, validators=[no_identity_numbers])
    home_institution = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    home_country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code")
    stage = models.CharField(max_length=10, choices=[("student", "Student"), ("graduate", "Graduate")])
    profile = models.JSONField(default=dict, help_text="The contract's profile (docs/contract.md, section 1)")
    pathway_id = models.CharField(max_length=80)
    evaluated_on = models.DateField()
    knowledge_key = models.CharField(max_length=32, help_text="The knowledge base the verdict was made with")
    verdict = models.JSONField(default=dict, help_text="Status, timeline and costs at the last evaluation")
    change = models.TextField(blank=True, help_text="What moved at the last re-evaluation, if anything")
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # What the dashboard and the case list filter and show of the verdict, copied out of it by
    # set_verdict (the one way a verdict is written) so that their queries read indexed columns
    # instead of parsing every case's JSON. Not editable: derived, so out of the forms and of
    # the history's snapshots (the verdict itself is there).
    plan_status = models.CharField(max_length=20, blank=True, editable=False, help_text="The verdict's status")
    plan_can_start = models.CharField(
        max_length=16, blank=True, editable=False,
        help_text="The verdict's can_start: yes, likely, only-if-fast, no; blank without a start date")
    plan_begin_by = models.DateField(null=True, blank=True, editable=False,
                                     help_text="The verdict's begin_by: the typical plan's last day to begin")

    PLAN_FIELDS = ("plan_status", "plan_can_start", "plan_begin_by")

    class Meta:
        indexes = [
            models.Index(fields=["institution", "status", "starts"]),
            # The dashboard's lists and the case list's risk filters: an institution's open cases
            # by their plan (can_start = 'no'; a past begin-by date), read from the index alone
            # (starts and id for the lists' order), never from the rows with their JSON.
            models.Index(fields=["institution", "status", "plan_can_start", "plan_begin_by", "starts", "id"],
                         name="case_plan_idx"),
            # the case list's search by name (a part of it, any case: read from the index, not the rows)
            models.Index(fields=["institution", "status", "trainee_name"], name="case_name_idx"),
            # the cases whose verdict moved at the last re-evaluation (few, and counted on the dashboard)
            models.Index(fields=["institution", "status"], condition=~models.Q(change=""), name="case_moved_idx"),
        ]
        ordering = ["starts", "trainee_name"]

    def __str__(self) -> str:
        return f"{self.trainee_name} ({self.pathway_id})"

    def set_verdict(self, verdict: dict) -> None:
        """The verdict, and the columns copied out of it (plan_columns), set together."""
        self.verdict = verdict
        for name, value in plan_columns(verdict).items():
            setattr(self, name, value)


def plan_columns(verdict: dict) -> dict:
    """Case.PLAN_FIELDS's values for a verdict (workspace/cases.py's verdict_of): blank or None
    where the verdict has no such key, or a begin-by date that does not read as one."""
    begin_by = verdict.get("begin_by")
    try:
        day = date.fromisoformat(begin_by) if isinstance(begin_by, str) else None
    except ValueError:
        day = None
    return {"plan_status": str(verdict.get("status") or "")[:20],
            "plan_can_start": str(verdict.get("can_start") or "")[:16], "plan_begin_by": day}


class ChecklistItem(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        DONE = "done", "Done"
        NOT_NEEDED = "n/a", "Not needed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist")
    step_id = models.CharField(max_length=80)
    text = models.TextField()
    actor = models.CharField(max_length=10)
    due = models.DateField(null=True, blank=True, help_text="Counted back from the start date")
    status = models.CharField(max_length=4, choices=Status.choices, default=Status.TODO)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        unique_together = [("case", "step_id")]
        indexes = [
            models.Index(fields=["status", "due"]),  # the dashboard's overdue and due-soon steps
            # a case's first step to do (the dashboard's and the risk filters' subqueries, one
            # index look-up a case)
            models.Index(fields=["case", "status", "due"], name="checklist_case_status_due"),
        ]


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(validators=[no_identity_numbers])
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]


def document_path(document: "Document", filename: str) -> str:
    return f"cases/{document.case.institution_id}/{document.case_id}/{filename}"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path)
    title = models.CharField(max_length=200, validators=[no_identity_numbers])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
