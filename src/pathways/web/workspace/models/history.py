"""Every change to a case, agreement or log: who, when, what before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .accounts import Institution


class HistoryEntry(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="history")
    model = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10)  # created | changed | deleted
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    # The case the entry is about: the case itself, or the case of its step, week, note, document
    # or letter (history.record writes it), so that a case's history is found through an index,
    # not by reading every entry's JSON. A number, not a key: the entries outlive an erased case.
    case_ref = models.PositiveBigIntegerField(null=True, blank=True, editable=False,
                                              help_text="The case the entry is about, if any")

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"]),
                   models.Index(fields=["institution", "case_ref"], name="history_case_idx")]
        ordering = ["-at", "-id"]
