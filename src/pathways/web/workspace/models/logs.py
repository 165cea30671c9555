"""Incidental patient contact, logged weekly by activity, for pathways where contact must
stay incidental (J-1 research scholar with Five Points, 2111, 2113, TN)."""

from __future__ import annotations

from django.db import models

from .cases import Case


class ContactLog(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_logs")
    week_of = models.DateField(help_text="The Monday of the week")
    patient_contact_hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    teaching_hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    research_hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    observation_hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)

    class Meta:
        unique_together = [("case", "week_of")]
        ordering = ["week_of"]

    @property
    def total_hours(self):
        return self.patient_contact_hours + self.teaching_hours + self.research_hours + self.observation_hours

    @property
    def patient_share_pct(self):
        total = self.total_hours
        return float(self.patient_contact_hours / total * 100) if total else 0.0
