"""Institutions and their members. A member has one role in one institution."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ..sensitive import validate as no_identity_numbers


class Institution(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[no_identity_numbers])
    slug = models.SlugField(max_length=60, unique=True, validators=[no_identity_numbers])
    # Share of program time above which patient contact stops being "incidental"; UCLA,
    # UC Irvine and Stanford have used 20% (the article); each institution sets its own.
    incidental_threshold_pct = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(1), MaxValueValidator(100)])
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    COORDINATOR = "coordinator", "Coordinator"
    VIEWER = "viewer", "Viewer"


class Member(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    # the reminder digest (`pathways workspace remind`), which each member may turn off
    reminders = models.BooleanField(default=True, help_text="Email me a digest of what is due, overdue or expiring")
    # the calendar feed's secret, kept only as its SHA-256 (the link is shown once, when made)
    calendar_key = models.CharField(max_length=64, blank=True, default="", db_index=True)

    @property
    def can_write(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.COORDINATOR)

    def __str__(self) -> str:
        return f"{self.user} ({self.role}, {self.institution})"
