"""Partner institutions: list, new, the partner, edit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .access import get_scoped, scoped, workspace_view
from .forms import PartnerContactForm, PartnerForm
from .history import record, snapshot
from .models import Partner, PartnerContact


@workspace_view
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = scoped(request.member, Partner).prefetch_related("agreements")
    return render(request, "workspace/partners/list.html", {"partners": partners, "can_write": request.member.can_write})


@workspace_view
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _partner_page(request, get_scoped(request.member, Partner, pk))


def _partner_page(request, partner: Partner, contact_form=None, status: int = 200) -> HttpResponse:
    return render(request, "workspace/partners/detail.html", {
        "partner": partner, "agreements": partner.agreements.all(), "exchanges": partner.exchanges.all(),
        "cases": partner.cases.all(), "contacts": partner.contacts.all(),
        "contact_form": contact_form or PartnerContactForm(), "can_write": request.member.can_write}, status=status)


@require_POST
@workspace_view
def partner_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a contact person at the partner."""
    partner = get_scoped(request.member, Partner, pk)
    form = PartnerContactForm(request.POST)
    if not form.is_valid():
        return _partner_page(request, partner, contact_form=form, status=400)
    contact = form.save(commit=False)
    contact.partner = partner
    contact.save()
    record(request.user, contact, "created", None)
    return redirect(f"/workspace/partners/{partner.pk}/#contacts")


@require_POST
@workspace_view
def partner_contact_delete(request: HttpRequest, pk: int, contact: int) -> HttpResponse:
    partner = get_scoped(request.member, Partner, pk)
    found = get_object_or_404(PartnerContact, pk=contact, partner=partner)
    record(request.user, found, "deleted", snapshot(found))  # the history keeps who it was
    found.delete()
    return redirect(f"/workspace/partners/{partner.pk}/#contacts")


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def partner_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    institution = request.member.institution
    partner = get_scoped(request.member, Partner, pk) if pk else None
    if request.method == "POST":
        form = PartnerForm(request.POST, instance=partner, institution=institution)
        before = snapshot(Partner.objects.get(pk=pk)) if pk else None
        if form.is_valid():
            saved = form.save(commit=False)
            saved.institution = institution
            saved.save()
            record(request.user, saved, "changed" if pk else "created", before)
            return redirect(f"/workspace/partners/{saved.pk}/")
        status = 400
    else:
        form, status = PartnerForm(instance=partner, institution=institution), 200
    title = f"Edit {partner.name}" if partner else "New partner"
    return render(request, "workspace/form.html", {"form": form, "title": title, "back": "/workspace/partners/"},
                  status=status)
