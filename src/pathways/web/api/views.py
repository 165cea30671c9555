"""The JSON API: `POST /api/v1/evaluate` gives exactly what `pathways find --json` prints.

Every endpoint is a thin call into the core; errors in a profile come back as 422 with
one entry per field, as the CLI prints them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from pathways import DETAILS, KNOWLEDGE_KINDS, ProfileError
from pathways import loads_json
from ..engine import get_engine
from ..finder.answers import as_of_text
from .render import OrjsonRenderer, json_answer


class BoundedParser(Parser):
    """Every JSON body of the API read within rules/nesting.py's limits: ninja's own parser is
    json.loads, which recurses once per level of nesting (RecursionError past a thousand)."""

    def parse_body(self, request: HttpRequest):
        return loads_json(request.body)


api = NinjaAPI(title="Exchange Pathways API", version="1",
               description="Pathways to hands-on clinical training in California: the contract of docs/contract.md in the project's repository.",
               urls_namespace="api", parser=BoundedParser(),
               renderer=OrjsonRenderer())  # docs: ninja's own Swagger files, served locally


def _body_problem(error: Exception) -> dict:
    """A body that is not JSON, or past a limit, in the shape of a profile's problems."""
    if isinstance(error, ProfileError):
        return {"errors": [p.as_dict() for p in error.problems]}
    return {"errors": [{"field": "(body)", "message": f"not valid JSON: {error}"}]}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError):
    """ninja answers a body its parser refused with a bare "Cannot parse request body" (400),
    the parser's error kept as the cause: name the body and what was wrong, as /evaluate does."""
    if error.status_code == 400 and isinstance(error.__cause__, ValueError):
        return api.create_response(request, _body_problem(error.__cause__), status=422)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(RequestDataTooBig)
def _body_too_big(request: HttpRequest, error: RequestDataTooBig):
    """Django's own limit on a body (DATA_UPLOAD_MAX_MEMORY_SIZE), said with its number."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(request, {"errors": [{"field": "(body)", "message": f"larger than {limit:,} bytes; "
                                                     f"accepted: at most {limit:,} bytes"}]}, status=413)


@api.exception_handler(TooManyFieldsSent)
def _too_many_parameters(request: HttpRequest, error: TooManyFieldsSent):
    """Django's own limit on parameters (DATA_UPLOAD_MAX_NUMBER_FIELDS), said with its number."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return api.create_response(request, {"errors": [{"field": "(query string)", "message": f"more than {limit:,} "
                                                     f"parameters; accepted: at most {limit:,}"}]}, status=400)


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
    """The JSON body as sent (any JSON value: the profile checker names what is wrong), within
    rules/nesting.py's limits."""
    try:
        return loads_json(request.body or b"null"), None
    except ValueError as error:  # not JSON (UnicodeDecodeError included), or a ProfileError: past a limit
        return None, _body_problem(error)


STATE_DESCRIPTION = ("The jurisdiction: ca (California, the default), oh (Ohio), tn (Tennessee), or all "
                     "(every state in one answer; each pathway says its jurisdiction).")


# The evaluation's query parameters, read by `_evaluate_query` (ninja's Query parameters cost a
# pydantic pass per request: some 30 us of a new person's ~550), documented here as ninja would.
EVALUATE_QUERY = [
    {"in": "query", "name": "as_of", "required": False, "schema": {"type": "string", "format": "date"},
     "description": "The day of the evaluation (an ISO date, such as 2027-09-01): the rules in force that day "
                    "decide, and every plan begins that day (default: today)."},
    {"in": "query", "name": "detail", "required": False,
     "schema": {"type": "string", "enum": list(DETAILS), "default": "full"},
     "description": "full (the default: the contract's section 3), or summary (section 4's form: per pathway id, "
                    "status, reachable, unmet, unknown, timeline, costs without items)"},
    {"in": "query", "name": "state", "required": False, "schema": {"type": "string"},
     "description": STATE_DESCRIPTION},
]


def _evaluate_query(request: HttpRequest) -> tuple[date | None, str, str | None, dict | None]:
    """as_of, detail and state from the query string (the last of each, as Django reads them), or
    the problem with one of them; as_of read as the pages read it (an ISO date in the contract's range)."""
    query = request.GET
    detail, state = query.get("detail", "full"), query.get("state")
    if detail not in DETAILS:
        return None, detail, state, {"errors": [{"field": "detail", "message": f"{detail!r} is not accepted; "
                                                                               f"accepted: {', '.join(DETAILS)}"}]}
    try:
        day = as_of_text(query.get("as_of", ""))
    except ProfileError as error:
        return None, detail, state, _problems(error)
    return (date.fromisoformat(day) if day else None), detail, state, None


@api.post("/evaluate", response={200: dict, 422: Problems}, summary="Evaluate a profile against every pathway",
          openapi_extra={**PROFILE_BODY, "parameters": EVALUATE_QUERY})
def evaluate(request: HttpRequest):
    as_of, detail, state, problem = _evaluate_query(request)
    if problem:
        return Status(422, problem)
    data, problem = _body(request)
    if problem:
        return Status(422, problem)
    checked = _profile_or_422(data)
    if isinstance(checked, ProfileError):
        return Status(422, _problems(checked))
    try:
        # written by the engine without building the whole verdict, and sent as it is (not validated again)
        engine = get_engine()
        if detail == "summary":
            return json_answer(engine.find_summary(checked, as_of, state))
        return json_answer(engine.find_full(checked, as_of, state))
    except ProfileError as error:  # an as_of outside the contract's dates, an unknown state
        return Status(422, _problems(error))


@api.post("/next-question", response={200: NextQuestionOut, 422: Problems},
          summary="The interview's next question for a profile",
          description="The question the interview page would ask for the same answers: the person's wish "
                      "(desired_contact) first, then the eligibility question that settles the most, then the "
                      "planning questions (start_date, duration_weeks, host_city). `labels` gives the words for "
                      "each value; answers stay the contract's codes.")
def next_question(request: HttpRequest, body: NextQuestionIn, as_of: date | None = Query(None),
                  state: str | None = Query(None, description=STATE_DESCRIPTION)):
    engine = get_engine()
    checked = _profile_or_422(body.profile)
    if isinstance(checked, ProfileError):
        return Status(422, _problems(checked))
    unknown = sorted(set(body.skipped) - set(engine.facts()))
    if unknown:
        return Status(422, {"errors": [{"field": "skipped", "message": f"{f!r} is not a profile fact"} for f in unknown]})
    try:
        progress = engine.next_question(checked, body.skipped, as_of, state)
    except ProfileError as error:  # an as_of outside the contract's dates, an unknown state
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
