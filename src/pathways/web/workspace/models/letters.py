"""Letters: the institution's letterhead and signatories (set once by an administrator), and
each letter issued on a case, kept with the data and edits it was made from and its file.

No identity number is kept: the text fields carry the workspace's validator (sensitive.py's
`pre_save` guard reads it), and an issued letter's JSON is read whole before it is written."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ..sensitive import CODE, problems_in
from ..sensitive import validate as no_identity_numbers
from .accounts import Institution
from .cases import Case


class Letterhead(models.Model):
    """What every letter of the institution says at its head and signs with."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="letterhead")
    name = models.CharField(max_length=200, blank=True, validators=[no_identity_numbers],
                            help_text="The institution's name as its letters give it (blank: the workspace's name)")
    address = models.TextField(blank=True, validators=[no_identity_numbers],
                               help_text="The postal address, one line per line, as on the letterhead")
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Letterhead of {self.institution}"

    @property
    def shown_name(self) -> str:
        return self.name.strip() or self.institution.name


class Signatory(models.Model):
    """Someone who signs the institution's letters, and what they sign as."""

    class SignsAs(models.TextChoices):
        DEAN = "dean", "Dean"
        DEANS_DESIGNEE = "deans-designee", "Dean's designee"
        CHAIR = "chair", "Department chair"
        REGISTRAR = "registrar", "Registrar"
        PROGRAMME_DIRECTOR = "programme-director", "Programme director"
        OTHER = "other", "Other"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=200, validators=[no_identity_numbers])
    title = models.CharField(max_length=200, validators=[no_identity_numbers],
                             help_text="As it is printed under the signature, e.g. Dean, School of Medicine")
    signs_as = models.CharField(max_length=20, choices=SignsAs.choices, default=SignsAs.OTHER)

    class Meta:
        ordering = ["signs_as", "name"]
        verbose_name_plural = "signatories"

    def __str__(self) -> str:
        return f"{self.name}, {self.title} ({self.get_signs_as_display()})"


def letter_path(letter: "IssuedLetter", filename: str) -> str:
    """Beside the case's documents (erasing the trainee removes the folder)."""
    return f"cases/{letter.case.institution_id}/{letter.case_id}/{filename}"


class IssuedLetter(models.Model):
    """A letter issued on a case: its kind, the template and knowledge base it was made with,
    the data and edits used, and the file as it was downloaded."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=80, validators=[no_identity_numbers])
    name = models.CharField(max_length=300, validators=[no_identity_numbers],
                            help_text="The kind's name when it was issued")
    template_version = models.PositiveIntegerField()
    knowledge_version = models.CharField(max_length=40, validators=[no_identity_numbers])
    format = models.CharField(max_length=4, choices=Format.choices)
    refused = models.BooleanField(default=False, help_text="The letter refused to attest (its refusal was issued)")
    data = models.JSONField(default=dict, help_text="The letter's data (docs/contract.md section 7), without its edits")
    edits = models.JSONField(default=dict, help_text="Editable clauses rewritten: clause id to its text")
    file = models.FileField(upload_to=letter_path, max_length=300)  # named by the case: cases/<inst>/<case>/...
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.format}) for case {self.case_id}"

    def clean(self) -> None:
        problems = {}
        for name in ("data", "edits"):
            found = problems_in(getattr(self, name))
            if found:
                where, message = found[0]
                problems[name] = [ValidationError(f"{where}: {message}", code=CODE)]
        if problems:
            raise ValidationError(problems)

    def save(self, *args, **kwargs):
        self.clean()  # whatever path the write takes: never an identity number in the JSON
        super().save(*args, **kwargs)
