"""Agreements with partners (TAAs and MOUs): list with expiry alerts, new, the agreement, edit."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import reports, uploads
from .access import get_scoped, scoped, workspace_view
from .forms import AgreementForm, DocumentForm
from .history import entries_for, record, shown, snapshot
from .models import Agreement, AgreementDocument


@workspace_view
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = date.today()
    expiring = {a.pk for a in reports.expiring(request.member.institution, today)}
    agreements = scoped(request.member, Agreement).select_related("partner")
    return render(request, "workspace/agreements/list.html", {
        "agreements": agreements, "expiring": expiring, "today": today, "can_write": request.member.can_write})


@workspace_view
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, get_scoped(request.member, Agreement, pk))


def _agreement_page(request, agreement: Agreement, document_form=None, status: int = 200) -> HttpResponse:
    today = date.today()
    return render(request, "workspace/agreements/detail.html", {
        "agreement": agreement, "history": shown(entries_for(agreement).select_related("user")), "today": today,
        "in_force": agreement.starts <= today and (agreement.ends is None or today <= agreement.ends),
        "expiring": agreement in reports.expiring(request.member.institution, today),
        "documents": agreement.documents.select_related("uploaded_by"),
        "document_form": document_form or DocumentForm(), "can_write": request.member.can_write}, status=status)


@require_POST
@workspace_view
def agreement_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the signed agreement (or an amendment) with it: the case documents' rules apply."""
    agreement = get_scoped(request.member, Agreement, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _agreement_page(request, agreement, document_form=form, status=400)
    document = AgreementDocument.objects.create(agreement=agreement, title=form.cleaned_data["title"],
                                                file=form.cleaned_data["file"], uploaded_by=request.user)
    record(request.user, document, "created", None)
    return redirect(f"/workspace/agreements/{agreement.pk}/#documents")


@workspace_view
def agreement_document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    agreement = get_scoped(request.member, Agreement, pk)
    return uploads.attachment(get_object_or_404(AgreementDocument, pk=doc, agreement=agreement).file)


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    institution = request.member.institution
    agreement = get_scoped(request.member, Agreement, pk) if pk else None
    if request.method == "POST":
        before = snapshot(Agreement.objects.get(pk=pk)) if pk else None
        form = AgreementForm(request.POST, instance=agreement, institution=institution)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.institution = institution
            saved.save()
            record(request.user, saved, "changed" if pk else "created", before)
            return redirect(f"/workspace/agreements/{saved.pk}/")
        status = 400
    else:
        initial = {"partner": request.GET.get("partner")} if request.GET.get("partner") else None
        form, status = AgreementForm(instance=agreement, institution=institution, initial=initial), 200
    title = "Edit the agreement" if agreement else "New agreement"
    return render(request, "workspace/form.html", {"form": form, "title": title, "back": "/workspace/agreements/"},
                  status=status)
