"""`POST /api/v1/simulate`: the simulator over a bounded population, the JSON of
`pathways simulate --json` (docs/contract.md section 6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status

from pathways import PopulationError, ProfileError, ReformError

from ..engine import get_engine
from .views import Problems, api

MAX_SYNTHETIC = 20_000  # people drawn per request: about a second of one worker
MAX_PROFILES = 300  # profiles sent in the body (the body's own limit of 10,000 values comes first)


class SimulateIn(Schema):
    profiles: list[dict[str, Any]] | None = None  # the population itself, or:
    synthetic: int | None = None  # this many people drawn from the shipped marginals
    seed: int = 0
    reforms: list[str] = []  # ids of shipped reforms (pathways list reforms)
    parameters: dict[str, dict[str, str]] = {}  # reform id (or "" for all) -> parameter -> value
    as_of: date | None = None
    compare_as_of: date | None = None
    state: str | None = None


def _refused(field: str, message: str):
    return Status(422, {"errors": [{"field": field, "message": message}]})


@api.post("/simulate", response={200: dict, 422: Problems}, summary="Count who gains under reforms",
          description="Baseline and reform (or the baseline on compare_as_of) over `profiles` (at most "
                      f"{MAX_PROFILES}) or a synthetic population of `synthetic` people (at most {MAX_SYNTHETIC:,}); "
                      "the same JSON as `pathways simulate --json`.")
def simulate(request: HttpRequest, body: SimulateIn):
    engine = get_engine()
    if (body.profiles is None) == (body.synthetic is None):
        return _refused("(body)", "give `profiles` (a list of profiles) or `synthetic` (a number of people), one of them")
    if body.synthetic is not None and not 1 <= body.synthetic <= MAX_SYNTHETIC:
        return _refused("synthetic", f"{body.synthetic}; accepted: 1 to {MAX_SYNTHETIC:,}")
    if body.profiles is not None and not 1 <= len(body.profiles) <= MAX_PROFILES:
        return _refused("profiles", f"{len(body.profiles)} profiles; accepted: 1 to {MAX_PROFILES}")
    if body.compare_as_of is not None and body.reforms:
        return _refused("compare_as_of", "compares two dates of the baseline: give it without reforms")
    if any("/" in r or r.endswith((".yaml", ".yml")) for r in body.reforms):
        return _refused("reforms", "ids of the shipped reforms only (GET /api/v1/reforms lists them)")
    try:
        reforms = engine.read_reforms(body.reforms, body.parameters)
        chunks = (engine.synthetic_population(body.synthetic, body.seed) if body.synthetic is not None
                  else [_checked(engine, body.profiles)])
        return Status(200, engine.simulate(chunks, reforms, body.as_of, body.compare_as_of, body.state,
                                           income_groups=engine.income_groups()))
    except ReformError as error:
        return Status(422, {"errors": [{"field": "reforms", "message": str(p)} for p in error.problems]})
    except PopulationError as error:
        return Status(422, {"errors": [{"field": "profiles", "message": line} for line in error.lines]})
    except ProfileError as error:
        return Status(422, {"errors": [p.as_dict() for p in error.problems]})


def _checked(engine, profiles):
    facts = []
    for i, data in enumerate(profiles):
        try:
            facts.append(engine.check(data).facts)
        except ProfileError as error:
            raise ProfileError([type(p)(f"profiles[{i}].{p.field}", p.message) for p in error.problems]) from None
    return engine.people_chunk(facts)


@api.get("/reforms", response=list[dict], summary="The reforms the project ships (the article's recommendations)")
def reforms(request: HttpRequest):
    return get_engine().reforms()
