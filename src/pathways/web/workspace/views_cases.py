"""Cases: the list, a new case (from an evaluation), the case, its checklist, notes,
documents and contact log."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

from django.db.models import Q
from django.core.paginator import Paginator
from django.db.models.fields.json import KT
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pathways import ProfileError
from ..engine import get_engine
from ..finder import answers as finder_answers
from . import reports
from .access import get_case, scoped, workspace_view
from .cases import acknowledge_change, at_risk, create_case, overdue, set_step_status, update_case
from .forms import CaseEditForm, CaseForm, ChecklistStatusForm, ContactLogForm, DocumentForm, NoteForm, profile_text
from .history import record, shown
from .logs import log_week
from .models import Case, ChecklistItem, Document, HistoryEntry, Note

NOT_ANSWERS = {"pathway", "next", finder_answers.PACKED}


@workspace_view
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    cases = (scoped(request.member, Case).select_related("home_institution").defer("profile", "verdict")
             .annotate(verdict_status=KT("verdict__status")))
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    else:
        status = "all"
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "workspace/cases/list.html", {"cases": page, "page": page, "status": status,
                                                          "statuses": [("open", "Open"), ("closed", "Closed"), ("all", "All")]})


def _initial_from_evaluation(request: HttpRequest) -> dict:
    """The finder's answers (the query string) as a profile; `pathway` chosen."""
    query = request.META.get("QUERY_STRING", "")
    if request.GET.get(finder_answers.PACKED):  # the result page's short form of the same answers
        try:
            query = finder_answers.unpack(request.GET[finder_answers.PACKED])
        except ProfileError:
            query = ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in NOT_ANSWERS]
    initial: dict = {"evaluated_on": date.today()}
    if request.GET.get("pathway"):
        initial["pathway_id"] = request.GET["pathway"]
    if not pairs:
        return initial
    try:
        answers = finder_answers.parse(pairs)
        profile = finder_answers.profile(answers, get_engine()).to_contract()
        if answers.as_of_date():
            initial["evaluated_on"] = answers.as_of_date()
    except ProfileError:
        profile = finder_answers.data(finder_answers.parse([(k, v) for k, v in pairs if k != "as_of"]),
                                      get_engine().facts())
    initial["profile"] = profile_text(profile)
    if profile.get("stage") in ("student", "graduate"):
        initial["stage"] = profile["stage"]
    if profile.get("citizenships"):
        initial["home_country"] = profile["citizenships"][0]
    if profile.get("start_date"):
        initial["starts"] = profile["start_date"]
    return initial


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    institution = request.member.institution
    if request.method == "POST":
        form = CaseForm(request.POST, institution=institution)
        if form.is_valid():
            d = form.cleaned_data
            case = create_case(institution, request.user, trainee_name=d["trainee_name"],
                               trainee_email=d["trainee_email"], home_country=d["home_country"], stage=d["stage"],
                               profile=d["profile"], pathway_id=d["pathway_id"], as_of=d["evaluated_on"],
                               starts=d["starts"], ends=d["ends"], home_institution=d["home_institution"])
            return redirect(f"/workspace/cases/{case.pk}/")
        status = 400
    else:
        form = CaseForm(initial=_initial_from_evaluation(request), institution=institution)
        status = 200
    return render(request, "workspace/cases/form.html", {"form": form, "title": "New case"}, status=status)


def case_history(case: Case):
    items = list(case.checklist.values_list("id", flat=True))
    logs = list(case.contact_logs.values_list("id", flat=True))
    notes = list(case.notes.values_list("id", flat=True))
    docs = list(case.documents.values_list("id", flat=True))
    return (HistoryEntry.objects.filter(institution=case.institution)
            .filter(Q(model="Case", object_id=case.pk) | Q(model="ChecklistItem", object_id__in=items)
                    | Q(model="ContactLog", object_id__in=logs) | Q(model="Note", object_id__in=notes)
                    | Q(model="Document", object_id__in=docs))
            .select_related("user"))


@workspace_view
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    today = date.today()
    engine = get_engine()
    pathway = next((p for p in engine.pathways() if p["id"] == case.pathway_id), None)
    history = shown(case_history(case))
    return render(request, "workspace/cases/detail.html", {
        "case": case, "pathway": pathway, "checklist": case.checklist.all(), "notes": case.notes.select_related("author"),
        "documents": case.documents.all(), "overdue": {i.pk for i in overdue(case, today)},
        "at_risk": at_risk(case, today), "today": today, "profile": profile_text(case.profile),
        "incidental": case.pathway_id in reports.pathways_with_incidental_contact(engine),
        "needs_agreement": case.pathway_id in reports.pathways_needing_agreement(engine),
        "history": history, "statuses": ChecklistItem.Status.choices, "can_write": request.member.can_write,
        "note_form": NoteForm(), "document_form": DocumentForm(),
    })


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    institution = request.member.institution
    if request.method == "POST":
        if request.POST.get("acknowledge"):
            acknowledge_change(case, request.user)
            return redirect(f"/workspace/cases/{case.pk}/")
        original = Case.objects.get(pk=case.pk)
        form = CaseEditForm(request.POST, instance=case, institution=institution)
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in form.Meta.fields}
            update_case(original, request.user, values)
            return redirect(f"/workspace/cases/{case.pk}/")
        status = 400
    else:
        form = CaseEditForm(instance=case, institution=institution)
        status = 200
    return render(request, "workspace/cases/form.html", {"form": form, "title": f"Edit the case of {case.trainee_name}",
                                                          "case": case}, status=status)


@workspace_view
@require_POST
def checklist_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    case = get_case(request.member, pk)
    entry = get_object_or_404(ChecklistItem, pk=item, case=case)
    form = ChecklistStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse("status: expected todo, done or n/a", status=400, content_type="text/plain")
    set_step_status(entry, form.cleaned_data["status"], request.user)
    return redirect(f"/workspace/cases/{case.pk}/#step-{entry.pk}")


@workspace_view
@require_POST
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse("text: a note cannot be empty", status=400, content_type="text/plain")
    note = Note.objects.create(case=case, author=request.user, text=form.cleaned_data["text"])
    record(request.user, note, "created", None)
    return redirect(f"/workspace/cases/{case.pk}/#notes")


@workspace_view
@require_POST
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = "; ".join(f"{f}: {' '.join(m)}" for f, m in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain")
    document = Document.objects.create(case=case, title=form.cleaned_data["title"], file=form.cleaned_data["file"],
                                       uploaded_by=request.user)
    record(request.user, document, "created", None)
    return redirect(f"/workspace/cases/{case.pk}/#documents")


@workspace_view
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    case = get_case(request.member, pk)
    found = get_object_or_404(Document, pk=doc, case=case)
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name)


@workspace_view
@require_http_methods(["GET", "HEAD", "POST"])
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    status = 200
    if request.method == "POST":
        form = ContactLogForm(request.POST)
        if form.is_valid():
            hours = {k: v for k, v in form.cleaned_data.items() if k != "week_of"}
            log_week(case, request.user, form.cleaned_data["week_of"], hours)
            return redirect(f"/workspace/cases/{case.pk}/contact-log/")
        status = 400
    else:
        form = ContactLogForm()
    report = reports.contact_report(case)
    return render(request, "workspace/cases/contact_log.html", {
        "case": case, "report": report, "form": form, "can_write": request.member.can_write,
        "over": {w.pk for w in report.weeks_over}, "today": date.today(),
        "incidental": case.pathway_id in reports.pathways_with_incidental_contact(get_engine()),
    }, status=status)
