"""The JSON API: `POST /api/v1/evaluate` gives exactly what `pathways find --json` prints.

Every endpoint is a thin call into the core; errors in a profile come back as 422 with
one entry per field, as the CLI prints them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError

from pathways import DETAILS, KNOWLEDGE_KINDS, ProfileError, verdict_json
from ..engine import get_engine

api = NinjaAPI(title="Exchange Pathways API", version="1",
               description="Pathways to hands-on clinical training in California: the contract of docs/contract.md in the project's repository.",
               urls_namespace="api")  # docs: ninja's own Swagger files, served locally (ninja is an app)

@api.exception_handler(ValidationError)
def _invalid_body(request: HttpRequest, error: ValidationError):
    """A body that is not even a JSON object: the same shape as a profile's problems."""
    errors = []
    for e in error.errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "profile")]
        errors.append({"field": ".".join(loc) or "(profile)", "message": e.get("msg", "invalid")})
    return api.create_response(request, {"errors": errors}, status=422)


PROFILE_EXAMPLE = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
                   "school_recognized_by_mbc": True, "current_us_status": "none", "host": {"dean_approved_elective": True}}


class FieldError(Schema):
    field: str
    message: str


class Problems(Schema):
    errors: list[FieldError]


class NextQuestionIn(Schema):
    profile: dict[str, Any] = {}
    skipped: list[str] = []


class QuestionOut(Schema):
    fact: str
    question: str
    help: str
    type: str
    values: list[str]
    labels: dict[str, str]  # value -> the words the interview page shows for it
    phase: str  # wish, eligibility or planning


class NextQuestionOut(Schema):
    question: QuestionOut | None
    asked: int
    remaining: int
    done_because: str | None


def _profile_or_422(data: Any):
    try:
        return get_engine().check(data)
    except ProfileError as error:
        return error


def _problems(error: ProfileError) -> dict:
    return {"errors": [p.as_dict() for p in error.problems]}


PROFILE_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "additionalProperties": True,
               "description": "A profile: the fields of the contract's section 1 (docs/contract.md), every one optional."},
    "example": PROFILE_EXAMPLE}}}}


def _body(request: HttpRequest):
    """The JSON body as sent (any JSON value: the profile checker names what is wrong)."""
    try:
        return json.loads(request.body or b"null"), None
    except (ValueError, UnicodeDecodeError) as error:
        return None, {"errors": [{"field": "(body)", "message": f"not valid JSON: {error}"}]}


@api.post("/evaluate", response={200: dict, 422: Problems}, summary="Evaluate a profile against every pathway",
          openapi_extra=PROFILE_BODY)
def evaluate(request: HttpRequest,
             as_of: date | None = Query(None, description="The day of the evaluation: the rules in force that day "
                                        "decide, and every plan begins that day (default: today)."),
             detail: str = Query("full", description="full, or summary (per pathway: status, reachable, unmet, "
                                 "unknown, timeline, costs without items)")):
    if detail not in DETAILS:
        return Status(422, {"errors": [{"field": "detail", "message": f"{detail!r} is not accepted; accepted: "
                                                                       f"{', '.join(DETAILS)}"}]})
    data, problem = _body(request)
    if problem:
        return Status(422, problem)
    checked = _profile_or_422(data)
    if isinstance(checked, ProfileError):
        return Status(422, _problems(checked))
    try:
        return Status(200, verdict_json(get_engine().find(checked, as_of), detail))
    except ProfileError as error:  # an as_of outside the contract's dates
        return Status(422, _problems(error))


@api.post("/next-question", response={200: NextQuestionOut, 422: Problems},
          summary="The interview's next question for a profile",
          description="The question the interview page would ask for the same answers: the person's wish "
                      "(desired_contact) first, then the eligibility question that settles the most, then the "
                      "planning questions (start_date, duration_weeks, host_city). `labels` gives the words for "
                      "each value; answers stay the contract's codes.")
def next_question(request: HttpRequest, body: NextQuestionIn, as_of: date | None = Query(None)):
    engine = get_engine()
    checked = _profile_or_422(body.profile)
    if isinstance(checked, ProfileError):
        return Status(422, _problems(checked))
    unknown = sorted(set(body.skipped) - set(engine.facts()))
    if unknown:
        return Status(422, {"errors": [{"field": "skipped", "message": f"{f!r} is not a profile fact"} for f in unknown]})
    try:
        progress = engine.next_question(checked, body.skipped, as_of)
    except ProfileError as error:  # an as_of outside the contract's dates
        return Status(422, _problems(error))
    q = progress.question
    return Status(200, {
        "question": None if q is None else {"fact": q.fact, "question": q.question, "help": q.help, "type": q.type,
                                            "values": list(q.values), "labels": dict(q.labels), "phase": q.phase},
        "asked": progress.asked, "remaining": progress.remaining, "done_because": progress.done_because,
    })


def _listing_endpoint(kind: str):
    def list_items(request: HttpRequest):
        return get_engine().knowledge(kind)

    def one_item(request: HttpRequest, item_id: str):
        found = get_engine().knowledge_item(kind, item_id)
        if found is None:
            raise HttpError(404, f"no {kind[:-1] if kind.endswith('s') else kind} with id {item_id!r}")
        return found

    api.get(f"/{kind}", response=list[dict], summary=f"Every item of {kind}", operation_id=f"list_{kind}")(list_items)
    api.get(f"/{kind}/{{item_id}}", response=dict, summary=f"One item of {kind}", operation_id=f"get_{kind}")(one_item)


for _kind in KNOWLEDGE_KINDS:
    _listing_endpoint(_kind)


@api.get("/hello", response=dict, summary="A bare endpoint, for benchmarks next to /evaluate", include_in_schema=False)
def hello(request: HttpRequest):
    return {"hello": "world"}


def _mount_workspace() -> None:
    from ..workspace.api import router

    api.add_router("/workspace/", router)


_mount_workspace()
