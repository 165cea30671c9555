"""Partner institutions, agreements with them, and exchanges each way (reciprocity)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from ..sensitive import validate as no_identity_numbers
from .accounts import Institution


class IncomeGroup(models.TextChoices):
    LOW = "L", "Low income"
    LOWER_MIDDLE = "LM", "Lower-middle income"
    UPPER_MIDDLE = "UM", "Upper-middle income"
    HIGH = "H", "High income"
    UNCLASSIFIED = "unclassified", "Not classified"


class Partner(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200, validators=[no_identity_numbers])
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code")
    income_group = models.CharField(max_length=12, choices=IncomeGroup.choices, blank=True)
    income_group_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="World Bank fiscal year of the group")

    class Meta:
        unique_together = [("institution", "name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound (their trainees here)"
    OUTBOUND = "outbound", "Outbound (our trainees there)"
    BOTH = "both", "Both ways"


class Agreement(models.Model):
    class Kind(models.TextChoices):
        TAA = "taa", "Training affiliation agreement"
        MOU = "mou", "Memorandum of understanding"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="agreements")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    places_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[no_identity_numbers])

    class Meta:
        ordering = ["ends", "partner__name"]

    def covers(self, day, inbound: bool = True) -> bool:
        """In force that day, in the inbound (or outbound) direction."""
        wanted = Direction.INBOUND if inbound else Direction.OUTBOUND
        return self.starts <= day and (self.ends is None or day <= self.ends) and self.direction in (wanted, Direction.BOTH)


class Exchange(models.Model):
    """Trainees exchanged with a partner in a year: inbound (theirs here) or outbound (ours there)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="exchanges")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="exchanges")
    direction = models.CharField(max_length=8, choices=[(Direction.INBOUND, "Inbound"), (Direction.OUTBOUND, "Outbound")])
    year = models.PositiveSmallIntegerField()
    heads = models.PositiveIntegerField(validators=[MinValueValidator(0)])
    trainee_weeks = models.DecimalField(max_digits=8, decimal_places=1)
    usd = models.DecimalField(max_digits=12, decimal_places=2, help_text="Money spent on these trainees")
    notes = models.CharField(max_length=300, blank=True, validators=[no_identity_numbers])

    class Meta:
        ordering = ["-year", "partner__name"]


class PartnerContact(models.Model):
    """A contact person at a partner: whom to write to about an exchange (least data: a name,
    a role, how to reach them)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, validators=[no_identity_numbers])
    title = models.CharField(max_length=200, blank=True, validators=[no_identity_numbers],
                             help_text="Their role, such as Dean of the medical school or International office")
    email = models.EmailField(blank=True, validators=[no_identity_numbers])
    phone = models.CharField(max_length=40, blank=True, validators=[no_identity_numbers],
                             help_text="With the country code, such as +256 414 530020")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]


def agreement_document_path(document: "AgreementDocument", filename: str) -> str:
    return f"agreements/{document.agreement.institution_id}/{document.agreement_id}/{filename}"


class AgreementDocument(models.Model):
    """The agreement as signed (or an amendment), kept with it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=agreement_document_path, max_length=300)
    title = models.CharField(max_length=200, validators=[no_identity_numbers])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
