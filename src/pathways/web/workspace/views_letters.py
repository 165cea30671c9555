"""Letters on a case: the preview of a kind (its form, the letter as it would be issued, the
problems the engine names next to their fields), issuing it as PDF or DOCX (kept on the case,
shown in its history), an issued letter downloaded again; and the institution's letterhead
and signatories, set by its administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from ..engine import get_engine
from . import letter_render
from .access import get_case, workspace_view
from .history import record, snapshot
from .letters import FIXED_WHERE, FORMATS, issue, issued_name, kind_for, letterhead_of, prepare
from .models import Institution, IssuedLetter, Role, Signatory

def _file_headers(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@workspace_view
@require_http_methods(["GET", "HEAD", "POST"])
def letter_preview(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """GET: the form and the preview; POST `action=preview` shows it again with what was typed,
    `action=pdf` or `docx` issues the letter and returns its file (viewers cannot POST)."""
    case = get_case(request.member, pk)
    found = kind_for(case, kind)
    if found is None:
        raise Http404("this case's pathway needs no letter of that kind")
    posted = request.POST if request.method == "POST" else None
    prepared = prepare(case, found, posted)
    action = request.POST.get("action", "preview") if posted is not None else "preview"
    status, error = 200, ""
    if posted is not None and action in FORMATS:
        if prepared.letter is None or prepared.form.errors:
            status = 400
        else:
            try:
                _, content, name = issue(case, request.user, prepared, action)
            except ValidationError as refused:  # an identity number the engine let through: never kept
                status, error = 400, "; ".join(refused.messages)
            else:
                response = HttpResponse(content, content_type=letter_render.CONTENT_TYPES[action])
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return _file_headers(response)
    elif posted is not None and (prepared.problems or prepared.form.errors):
        status = 400
    shown_problems = prepared.problems if posted is not None else []
    needed = [p for p in prepared.problems] if posted is None else []
    return render(request, "workspace/letters/preview.html", {
        "case": case, "kind": found, "form": prepared.form, "letter": prepared.letter,
        "clauses_ready": prepared.clauses_ready, "posted": posted is not None,
        "pathway_name": next((p["name"] for p in get_engine().pathways() if p["id"] == case.pathway_id), ""),
        "preview": mark_safe(letter_render.fragment(prepared.letter)) if prepared.letter else "",  # escaped by the renderer
        "problems": shown_problems, "needed": needed,
        "fixed": [p for p in prepared.problems if p.source in FIXED_WHERE],
        "error": error, "can_write": request.member.can_write,
        "is_admin": request.member.role == Role.ADMINISTRATOR,
        "issued": IssuedLetter.objects.filter(case=case, kind=found["kind"]).select_related("issued_by"),
        "letterhead": letterhead_of(case.institution),
    }, status=status)


@workspace_view
def issued_letter(request: HttpRequest, pk: int, letter: int) -> HttpResponse:
    """An issued letter's file, as it was issued."""
    case = get_case(request.member, pk)
    found = get_object_or_404(IssuedLetter, pk=letter, case=case)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("the letter's file is gone (erased, or not copied with a backup)") from None
    response = FileResponse(handle, as_attachment=True, filename=issued_name(found),
                            content_type=letter_render.CONTENT_TYPES.get(found.format, "application/octet-stream"))
    return _file_headers(response)


@workspace_view
def letter_css(request: HttpRequest) -> HttpResponse:
    """The letter's own stylesheet, for the preview (the PDF is printed with the same)."""
    return HttpResponse(letter_render.stylesheet(), content_type="text/css; charset=utf-8")


# --- the letterhead ---------------------------------------------------------------------------

class _SignatoryForms(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this signatory"


SignatoryFormSet = inlineformset_factory(
    Institution, Signatory, formset=_SignatoryForms, fields=("name", "title", "signs_as"), extra=1, can_delete=True,
    labels={"name": "Name", "title": "Title", "signs_as": "Signs as"})


def _letterhead_form(data, instance):
    from django import forms

    class LetterheadForm(forms.ModelForm):
        class Meta:
            model = type(instance)
            fields = ["name", "address"]
            labels = {"name": "Name on the letterhead", "address": "Postal address"}
            widgets = {"address": forms.Textarea(attrs={"rows": 4})}

    return LetterheadForm(data, instance=instance)


@workspace_view
@require_http_methods(["GET", "HEAD", "POST"])
def letterhead(request: HttpRequest) -> HttpResponse:
    """The institution's letterhead and signatories: everyone sees them, administrators change them."""
    institution = request.member.institution
    is_admin = request.member.role == Role.ADMINISTRATOR
    head = letterhead_of(institution)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("only the institution's administrators set its letterhead")
        form = _letterhead_form(request.POST, head)
        formset = SignatoryFormSet(request.POST, instance=institution, prefix="signatories")
        if form.is_valid() and formset.is_valid():
            _save_letterhead(request.user, head, form, formset)
            return redirect("/workspace/letterhead/?saved=1")
        status = 400
    else:
        form = _letterhead_form(None, head)
        formset = SignatoryFormSet(instance=institution, prefix="signatories")
        status = 200
    return render(request, "workspace/letters/letterhead.html", {
        "form": form, "formset": formset, "is_admin": is_admin, "letterhead": head,
        "signatories": Signatory.objects.filter(institution=institution), "saved": request.GET.get("saved"),
        "nav": "letterhead",
    }, status=status)


@transaction.atomic
def _save_letterhead(user, head, form, formset) -> None:
    created = head.pk is None
    before = None if created else snapshot(type(head).objects.get(pk=head.pk))
    saved = form.save()
    if created or snapshot(saved) != before:
        record(user, saved, "created" if created else "changed", before)
    befores = {s.pk: snapshot(s) for s in Signatory.objects.filter(institution=head.institution)}
    instances = formset.save(commit=False)  # changed and new rows; the deleted in formset.deleted_objects
    for obj in formset.deleted_objects:
        record(user, obj, "deleted", befores.get(obj.pk))
        obj.delete()
    for obj in instances:
        new = obj.pk is None
        obj.save()
        record(user, obj, "created" if new else "changed", None if new else befores.get(obj.pk))
