"""The admin's pages for letters (admin.py imports this module): the letterhead and its
signatories, set by the institution's administrators, and the letters issued on its cases,
read-only (a letter is issued from the case's page, which keeps its file and its history)."""

from __future__ import annotations

from django.contrib import admin

from .admin import InstitutionScoped
from .models import IssuedLetter, Letterhead, Signatory


@admin.register(Letterhead)
class LetterheadAdmin(InstitutionScoped):
    list_display = ("institution", "name", "updated")


@admin.register(Signatory)
class SignatoryAdmin(InstitutionScoped):
    list_display = ("name", "title", "signs_as")
    list_filter = ("signs_as",)


@admin.register(IssuedLetter)
class IssuedLetterAdmin(InstitutionScoped):
    path_to_institution = "case__institution"
    list_display = ("created", "case", "kind", "format", "template_version", "refused", "issued_by")
    list_filter = ("kind", "format")
    readonly_fields = ("case", "kind", "name", "template_version", "knowledge_version", "format", "refused", "data",
                       "edits", "file", "issued_by", "created")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # erasing the trainee removes their letters, files and all
