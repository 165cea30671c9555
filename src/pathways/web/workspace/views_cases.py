"""Cases: the list (searched and filtered), a new case (from an evaluation), the case, its
checklist, notes and documents (its contact log: views_contact_log.py)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pathways import ProfileError
from ..engine import get_engine
from ..finder import answers as finder_answers
from . import reports, uploads
from .access import get_case, scoped, workspace_view
from .erasure import erase_case, history_of
from .cases import (acknowledge_change, at_risk, at_risk_cases, create_case, late_cases, overdue, overdue_cases,
                    set_step_status, update_case)
from .forms import (CaseEditForm, CaseFilterForm, CaseForm, ChecklistStatusForm, DocumentForm, NoteForm,
                    checked_profile, profile_text)
from .history import record, shown
from .models import Case, ChecklistItem, Document, Note, Role

NOT_ANSWERS = {"pathway", "next", finder_answers.PACKED}


def filtered_cases(cases, filters: dict, today: date):
    """`cases` narrowed by the list's filters (CaseFilterForm's cleaned values; blank: no filter)."""
    if filters.get("q"):
        cases = cases.filter(trainee_name__icontains=filters["q"].strip())
    if filters.get("status") in Case.Status.values:
        cases = cases.filter(status=filters["status"])
    if filters.get("pathway"):
        cases = cases.filter(pathway_id=filters["pathway"])
    if filters.get("partner") == "none":
        cases = cases.filter(home_institution__isnull=True)
    elif filters.get("partner"):
        cases = cases.filter(home_institution_id=int(filters["partner"]))
    if filters.get("starts_from"):
        cases = cases.filter(starts__gte=filters["starts_from"])
    if filters.get("starts_to"):
        cases = cases.filter(starts__lte=filters["starts_to"])
    risk = filters.get("risk")
    if risk == "overdue":
        cases = overdue_cases(cases, today)
    elif risk == "at-risk":
        cases = at_risk_cases(cases, today)
    elif risk == "late":
        cases = late_cases(cases)
    return cases


@workspace_view
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases, searched and filtered by the address (`?q=okafor&risk=overdue`): a GET form,
    no script needed; a bad value is shown on its field (400) and the other filters still apply."""
    data = request.GET.copy()
    data.setdefault("status", "open")
    form = CaseFilterForm(data, institution=request.member.institution)
    valid = form.is_valid()
    filters = form.cleaned_data
    cases = (scoped(request.member, Case).select_related("home_institution").defer("profile", "verdict")
             .annotate(verdict_status=F("plan_status")))  # the verdict's status, from its column
    cases = filtered_cases(cases, filters, date.today())
    kept = [(k, v) for k, v in request.GET.items() if k in form.fields and v]
    narrowed = any(k != "status" for k, _ in kept) or data.get("status") != "open"
    more = bool(form.errors) or any(k != "q" and (k, v) != ("status", "open") for k, v in kept)  # the filters unfolded
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "workspace/cases/list.html", {
        "cases": page, "page": page, "form": form, "query": urlencode(kept), "narrowed": narrowed, "more": more,
    }, status=200 if valid else 400)


def _evaluation_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The finder's answers in the query string, or in its packed form, read within the
    finder's bounds (finder/answers.read_query): a ProfileError names the bound passed."""
    max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    pairs = finder_answers.read_query(request.META.get("QUERY_STRING", ""), max_fields)
    packed = next((v for k, v in reversed(pairs) if k == finder_answers.PACKED), "")
    if packed:  # the result page's short form of the same answers
        try:
            query = finder_answers.unpack(packed)
        except ProfileError:  # not packed by a result page: no answers to fill in
            return []
        pairs = finder_answers.read_query(query, max_fields)
    return [(k, v) for k, v in pairs if k not in NOT_ANSWERS]


def _initial_from_evaluation(request: HttpRequest) -> dict:
    """The finder's answers (the query string) as a profile; `pathway` chosen."""
    pairs = _evaluation_pairs(request)
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
        try:
            initial = _initial_from_evaluation(request)
        except ProfileError as error:  # the address past a bound: say which, as the finder's pages do
            problems = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
            return HttpResponse(f"The answers in the address could not be read: {problems}", status=400,
                                content_type="text/plain; charset=utf-8")
        form = CaseForm(initial=initial, institution=institution)
        status = 200
    return render(request, "workspace/cases/form.html", {"form": form, "title": "New case"}, status=status)


def case_history(case: Case):
    return history_of(case).select_related("user")


def _questions(engine, case: Case) -> list:
    """The questions whose answers would settle what is still unknown on the case's pathway."""
    found = []
    for fact in case.verdict.get("unknown_facts", []):
        try:
            q = engine.question(fact)
        except KeyError:  # a fact the knowledge base no longer has: the next re-evaluation drops it
            continue
        values = ("true", "false") if q.type == "bool" else q.values
        choices = [(v, q.labels.get(v, v)) for v in values] if q.type in ("bool", "enum", "set") else []
        found.append({"fact": q.fact, "question": q.question, "help": q.help, "type": q.type, "choices": choices})
    return found


@workspace_view
@require_POST
def case_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer one unknown fact of the case's profile in place: re-evaluated, kept in the history."""
    case = get_case(request.member, pk)
    engine = get_engine()
    fact, text = request.POST.get("fact", ""), request.POST.get("answer", "").strip()
    facts = engine.facts()
    if fact not in facts:
        return _detail(request, case, status=400, answer_error=(fact, "not a fact of the profile"))
    if not text:
        return _detail(request, case, status=400, answer_error=(fact, "choose or write an answer"))
    if facts[fact].type == "set":
        text = ",".join(request.POST.getlist("answer"))
    elif facts[fact].type == "codes":  # codes or names, as the interview takes them: "UG, Kenya"
        codes, unknown = engine.country_codes(text)
        if unknown:
            return _detail(request, case, status=400, answer_error=(fact, f"not a country: {', '.join(unknown)}; "
                                                                          "write a name or a two-letter code, such as UG"))
        text = ",".join(codes)
    profile = dict(case.profile)
    value = finder_answers.typed(facts[fact], text)
    if fact.startswith("host."):
        profile["host"] = {**profile.get("host", {}), fact[5:]: value}
    else:
        profile[fact] = value
    try:
        checked = checked_profile(profile)
    except ValidationError as error:
        return _detail(request, case, status=400, answer_error=(fact, " ".join(error.messages)))
    update_case(case, request.user, {"profile": checked})
    return redirect(f"/workspace/cases/{case.pk}/#questions")


def _detail(request: HttpRequest, case: Case, status: int = 200, note_form=None, document_form=None,
            answer_error=None) -> HttpResponse:
    """The case's page; with a bound note or document form, that form's errors shown (400)."""
    today = date.today()
    prefetch_related_objects([case], "checklist")  # read once: the list, its overdue steps, the risk
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
        "can_erase": request.member.role == Role.ADMINISTRATOR,
        "note_form": note_form or NoteForm(), "document_form": document_form or DocumentForm(),
        "questions": _questions(engine, case), "answer_error": answer_error,
    }, status=status)


@workspace_view
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_case(request.member, pk))


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
            values = {k: form.cleaned_data[k] for k in [*form.Meta.fields, "profile"]}
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
        return _detail(request, case, status=400, note_form=form)
    note = Note.objects.create(case=case, author=request.user, text=form.cleaned_data["text"])
    record(request.user, note, "created", None)
    return redirect(f"/workspace/cases/{case.pk}/#notes")


@workspace_view
@require_POST
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.member, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, case, status=400, document_form=form)
    document = Document.objects.create(case=case, title=form.cleaned_data["title"], file=form.cleaned_data["file"],
                                       uploaded_by=request.user)
    record(request.user, document, "created", None)
    return redirect(f"/workspace/cases/{case.pk}/#documents")


@workspace_view
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    case = get_case(request.member, pk)
    return uploads.attachment(get_object_or_404(Document, pk=doc, case=case).file)


@workspace_view(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def case_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a trainee (administrators): GET asks to confirm, POST (with the case's number
    typed as `confirm`) erases the case, its documents and files, notes, contact log and the
    personal values of its history (erasure.py); one entry says who erased it and when."""
    case = get_case(request.member, pk)  # another institution's case: 404, whoever asks
    if request.member.role != Role.ADMINISTRATOR:
        raise PermissionDenied("only the institution's administrators erase a trainee")
    error, status = "", 200
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() == str(case.pk):
            erase_case(case, request.user)
            return redirect(f"/workspace/cases/?erased={case.pk}", permanent=False)
        error, status = f"Type the case's number, {case.pk}, to confirm.", 400
    return render(request, "workspace/cases/erase.html", {
        "case": case, "error": error, "counts": {
            "documents": case.documents.count(), "notes": case.notes.count(),
            "contact_log_weeks": case.contact_logs.count(), "history": case_history(case).count()},
    }, status=status)
