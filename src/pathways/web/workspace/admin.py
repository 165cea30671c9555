"""Django's admin for administrators: each sees and changes only their own institution's
records (administrators get `is_staff`; superusers see everything), and every choice a form
offers (a user, an institution, a partner, a case) is of their institution too: no form
shows a name from another institution, whatever its address asks (?user=1)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model

from .access import member_of
from .models import Agreement, Case, ContactLog, Exchange, HistoryEntry, Institution, Member, Partner, Role


def _admin_member(request):
    member = member_of(request.user)
    return member if member is not None and member.role == Role.ADMINISTRATOR else None


class InstitutionScoped(admin.ModelAdmin):
    """Visible and editable by the institution's administrators, for their institution only."""

    path_to_institution = "institution"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        member = _admin_member(request)
        if member is None:
            return qs.none()
        return qs.filter(**{self.path_to_institution: member.institution})

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or _admin_member(request) is not None

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            member = _admin_member(request)
            institution = member.institution if member is not None else None
            related = db_field.remote_field.model
            if related is Institution:
                kwargs["queryset"] = Institution.objects.filter(pk=getattr(institution, "pk", None))
            elif related is Partner:
                kwargs["queryset"] = Partner.objects.filter(institution=institution)
            elif related is Case:
                kwargs["queryset"] = Case.objects.filter(institution=institution)
            elif related is get_user_model():
                kwargs["queryset"] = get_user_model().objects.filter(member__institution=institution)
            else:
                kwargs["queryset"] = related._default_manager.none()
            if db_field.name in self.raw_id_fields:
                # Not the raw-id box: it shows the name of any id it is given, of any institution.
                kwargs["widget"] = forms.Select()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Member)
class MemberAdmin(InstitutionScoped):
    list_display = ("user", "role", "institution")
    list_filter = ("role",)
    raw_id_fields = ("user",)  # for superusers; administrators get their institution's users only

    def has_add_permission(self, request):
        # Every user an administrator may see is a member already: new members are made with
        # `pathways createuser` (or by a superuser here).
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_readonly_fields(request, obj)
        return ("user", "institution")


@admin.register(Partner)
class PartnerAdmin(InstitutionScoped):
    list_display = ("name", "country", "income_group", "income_group_year")
    search_fields = ("name",)


@admin.register(Agreement)
class AgreementAdmin(InstitutionScoped):
    list_display = ("partner", "kind", "direction", "starts", "ends", "places_per_year")
    list_filter = ("kind", "direction")


@admin.register(Exchange)
class ExchangeAdmin(InstitutionScoped):
    list_display = ("partner", "direction", "year", "heads", "trainee_weeks", "usd")


@admin.register(Case)
class CaseAdmin(InstitutionScoped):
    list_display = ("trainee_name", "pathway_id", "status", "starts")
    list_filter = ("status",)
    search_fields = ("trainee_name",)
    readonly_fields = ("verdict", "knowledge_key", "change")

    def has_delete_permission(self, request, obj=None):
        # a case is erased from its page (/workspace/cases/<id>/erase/), which also removes its
        # documents from disk and the personal values in its history; the admin's delete would not
        return False


@admin.register(ContactLog)
class ContactLogAdmin(InstitutionScoped):
    path_to_institution = "case__institution"
    list_display = ("case", "week_of", "patient_contact_hours")


@admin.register(HistoryEntry)
class HistoryAdmin(InstitutionScoped):
    list_display = ("at", "user", "action", "model", "object_id")
    readonly_fields = ("institution", "model", "object_id", "user", "at", "action", "before", "after")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "incidental_threshold_pct")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        member = _admin_member(request)
        return qs.filter(pk=member.institution_id) if member else qs.none()

    def has_module_permission(self, request):
        return request.user.is_superuser or _admin_member(request) is not None

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


from . import admin_letters  # noqa: E402,F401  (the letterhead, signatories and issued letters)
