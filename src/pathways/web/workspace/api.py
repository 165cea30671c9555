"""The workspace's JSON API, under /api/v1/workspace/: session auth (with CSRF on writes),
the same rules as the pages (access.py): a member's own institution only (else 404),
viewers read, coordinators and administrators write (a viewer's write: 403)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import Field

from pathways import EARLIEST, LATEST, ProfileError
from ..engine import get_engine
from . import sensitive
from .access import get_case, member_of, require_write, scoped
from .cases import create_case, set_step_status, update_case
from .models import Case, ChecklistItem, Partner

router = Router(auth=SessionAuth(), tags=["workspace"])


class FieldError(Schema):
    field: str
    message: str


class Problems(Schema):
    errors: list[FieldError]


class Message(Schema):
    detail: str


class CaseIn(Schema):
    trainee_name: str = Field(min_length=1, max_length=200)
    trainee_email: str = Field("", max_length=254)
    home_country: str = Field(min_length=2, max_length=2)
    stage: Literal["student", "graduate"]
    profile: dict[str, Any]
    pathway_id: str = Field(max_length=80)
    evaluated_on: Optional[date] = None
    starts: Optional[date] = None
    ends: Optional[date] = None
    home_institution_id: Optional[int] = None


class CasePatch(Schema):
    profile: Optional[dict[str, Any]] = None  # the whole profile (the contract's fields): re-evaluates the case
    trainee_name: Optional[str] = Field(None, min_length=1, max_length=200)
    trainee_email: Optional[str] = Field(None, max_length=254)
    home_country: Optional[str] = Field(None, min_length=2, max_length=2)
    stage: Optional[Literal["student", "graduate"]] = None
    pathway_id: Optional[str] = Field(None, max_length=80)
    starts: Optional[date] = None
    ends: Optional[date] = None
    status: Optional[Literal["open", "closed"]] = None


class StepIn(Schema):
    status: Literal["todo", "done", "n/a"]


ERRORS = {401: Message, 403: Message, 404: Message, 422: Problems}


def _member(request: HttpRequest, write: bool = False):
    member = member_of(request.user)
    if member is None:
        raise HttpError(404, "you are not a member of an institution")
    if write:
        try:
            require_write(member)
        except PermissionDenied as error:
            raise HttpError(403, str(error)) from None
    return member


def _case_or_404(member, pk: int) -> Case:
    try:
        return get_case(member, pk)
    except Http404:
        raise HttpError(404, f"no case {pk}") from None


def case_json(case: Case, full: bool = False) -> dict:
    data = {
        "id": case.pk, "trainee_name": case.trainee_name, "trainee_email": case.trainee_email,
        "home_country": case.home_country, "stage": case.stage, "home_institution_id": case.home_institution_id,
        "pathway_id": case.pathway_id, "evaluated_on": case.evaluated_on.isoformat(),
        "starts": case.starts.isoformat() if case.starts else None, "ends": case.ends.isoformat() if case.ends else None,
        "status": case.status, "verdict_status": case.verdict.get("status"), "change": case.change,
    }
    if full:
        data["profile"] = case.profile
        data["verdict"] = case.verdict
        data["checklist"] = [{"id": i.pk, "step_id": i.step_id, "text": i.text, "actor": i.actor,
                              "due": i.due.isoformat() if i.due else None, "status": i.status}
                             for i in case.checklist.all()]
    return data


@router.get("/cases", response={200: list[dict], **ERRORS}, summary="The institution's cases")
def list_cases(request: HttpRequest, status: Optional[Literal["open", "closed"]] = None):
    member = _member(request)
    cases = scoped(member, Case)
    if status:
        cases = cases.filter(status=status)
    return [case_json(c) for c in cases]


def _out_of_range(days: dict) -> list[dict]:
    """The contract's range of dates: outside it a date is invalid input, not a server error."""
    return [{"field": name, "message": f"expected a date from {EARLIEST} to {LATEST}, got {day}"}
            for name, day in days.items() if day is not None and not (EARLIEST <= day <= LATEST)]


def _identity_numbers(values: dict) -> list[dict]:
    """An SSN, ITIN or passport number in any text of a write (sensitive.py): 422, one per field."""
    return [{"field": where, "message": message} for where, message in sensitive.problems_in(values)]


@router.post("/cases", response={201: dict, **ERRORS}, summary="Open a case from a profile and a pathway")
def post_case(request: HttpRequest, body: CaseIn):
    member = _member(request, write=True)
    engine = get_engine()
    problems = _identity_numbers({"trainee_name": body.trainee_name, "trainee_email": body.trainee_email,
                                  "profile": body.profile})
    try:
        profile = engine.check(body.profile).to_contract()
    except ProfileError as error:
        problems += [{"field": f"profile.{p.field}", "message": p.message} for p in error.problems]
    if body.pathway_id not in engine.pathway_ids():
        problems.append({"field": "pathway_id", "message": f"{body.pathway_id!r} is not a pathway"})
    partner = None
    if body.home_institution_id is not None:
        partner = scoped(member, Partner).filter(pk=body.home_institution_id).first()
        if partner is None:
            problems.append({"field": "home_institution_id", "message": "no such partner"})
    if body.starts and body.ends and body.ends < body.starts:
        problems.append({"field": "ends", "message": "training cannot end before it starts"})
    problems += _out_of_range({"evaluated_on": body.evaluated_on, "starts": body.starts, "ends": body.ends})
    if problems:
        return Status(422, {"errors": problems})
    if body.starts and not profile.get("start_date"):
        profile["start_date"] = body.starts.isoformat()
    case = create_case(member.institution, request.user, trainee_name=body.trainee_name,
                       trainee_email=body.trainee_email, home_country=body.home_country.upper(), stage=body.stage,
                       profile=profile, pathway_id=body.pathway_id, as_of=body.evaluated_on or date.today(),
                       starts=body.starts, ends=body.ends, home_institution=partner)
    return Status(201, case_json(case, full=True))


@router.get("/cases/{case_id}", response={200: dict, **ERRORS}, summary="One case, with its checklist")
def get_one(request: HttpRequest, case_id: int):
    return case_json(_case_or_404(_member(request), case_id), full=True)


@router.patch("/cases/{case_id}", response={200: dict, **ERRORS}, summary="Change a case's trainee fields, dates, status or profile (re-evaluated)")
def patch_case(request: HttpRequest, case_id: int, body: CasePatch):
    member = _member(request, write=True)
    case = _case_or_404(member, case_id)
    values = body.dict(exclude_unset=True)
    values = {k: v for k, v in values.items() if v is not None or k in ("starts", "ends")}
    wrong = _identity_numbers({k: v for k, v in values.items() if isinstance(v, (str, dict))})
    if wrong:
        return Status(422, {"errors": wrong})
    if "profile" in values:
        try:
            values["profile"] = get_engine().check(values["profile"]).to_contract()
        except ProfileError as error:
            return Status(422, {"errors": [{"field": f"profile.{p.field}", "message": p.message} for p in error.problems]})
    if "pathway_id" in values and values["pathway_id"] not in get_engine().pathway_ids():
        return Status(422, {"errors": [{"field": "pathway_id", "message": f"{values['pathway_id']!r} is not a pathway"}]})
    if "home_country" in values:
        values["home_country"] = values["home_country"].upper()
    starts, ends = values.get("starts", case.starts), values.get("ends", case.ends)
    if starts and ends and ends < starts:
        return Status(422, {"errors": [{"field": "ends", "message": "training cannot end before it starts"}]})
    wrong = _out_of_range({"starts": values.get("starts"), "ends": values.get("ends")})
    if wrong:
        return Status(422, {"errors": wrong})
    return case_json(update_case(case, request.user, values), full=True)


@router.post("/cases/{case_id}/checklist/{item_id}", response={200: dict, **ERRORS}, summary="Set a checklist step's status")
def post_step(request: HttpRequest, case_id: int, item_id: int, body: StepIn):
    member = _member(request, write=True)
    case = _case_or_404(member, case_id)
    item = ChecklistItem.objects.filter(pk=item_id, case=case).first()
    if item is None:
        raise HttpError(404, f"no step {item_id} in case {case_id}")
    set_step_status(item, body.status, request.user)
    return {"id": item.pk, "step_id": item.step_id, "status": item.status}
