"""Schemathesis against the API's own OpenAPI schema: no 5xx in at least 1,000 requests.

PATHWAYS_FUZZ_SCALE multiplies the number of examples (CI runs 1; the full run reported in
issue 10's note runs 10, over 10,000 requests). Every operation is fuzzed twice: anonymously
and signed in as a coordinator of an institution (the workspace API's session), so the
workspace's own operations are reached past their authentication.

The schema is read from the WSGI application itself (`/api/v1/openapi.json`), and every
operation in it gets requests generated from it, both valid ones (positive) and ones that
break the schema (negative), sent in-process through the WSGI app. Every request is
counted; a 5xx answer is recorded with the request that caused it, and the test names
each one.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

import schemathesis
from schemathesis import GenerationMode

from pathways.web.wsgi import application

SCALE = max(1, int(os.environ.get("PATHWAYS_FUZZ_SCALE", "1")))
AT_LEAST = 1000 * SCALE
PER_OPERATION = 30 * SCALE  # per generation mode and per caller; evaluate and next-question get more
BUSY = {"/api/v1/evaluate": 150 * SCALE, "/api/v1/next-question": 100 * SCALE,
        "/api/v1/simulate": 8 * SCALE}  # a simulation draws up to 20,000 people: fewer examples


def _describe(case, response) -> str:
    body = case.body if case.body is not None else ""
    try:
        body = json.dumps(body)[:1500]
    except (TypeError, ValueError):
        body = repr(body)[:1500]
    return (f"{case.method} {case.formatted_path} query={case.query!r} headers={case.headers!r} body={body}\n"
            f"  -> {response.status_code}: {response.text[:800]}")


def _run(operation, mode: GenerationMode, examples: int, seen: Counter, errors: list[str],
         headers: dict | None = None, who: str = "anonymous") -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def test(case):
        if headers:  # the session and CSRF cookies go in the case's own cookies (werkzeug's client drops a Cookie header)
            case.cookies = {**(case.cookies or {}), **headers["cookies"]}
        response = case.call(headers=headers and headers["headers"])
        seen[(operation.method.upper(), operation.path, mode.value, who)] += 1
        seen["total"] += 1
        seen[("answers", who, "workspace" if "/workspace/" in operation.path else "public", f"{response.status_code // 100}xx")] += 1
        if response.status_code >= 500:
            errors.append(_describe(case, response))

    try:
        test()
    except Unsatisfiable:  # negative mode can have nothing to break (an operation without inputs)
        pass


def test_no_5xx_in_at_least_a_thousand_generated_requests():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, [f"{o.method} {o.path}" for o in operations]
    paths = {o.path for o in operations}
    assert {"/api/v1/evaluate", "/api/v1/next-question"} <= paths, paths

    seen: Counter = Counter()
    errors: list[str] = []
    callers = {"anonymous": None, "coordinator": _signed_in_headers()}
    for operation in operations:
        examples = BUSY.get(operation.path, PER_OPERATION)
        for who, headers in callers.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _run(operation, mode, examples, seen, errors, headers, who)

    report = "\n".join(f"  {k}: {v}" for k, v in sorted(seen.items(), key=str) if k != "total")
    print(f"\nschemathesis: {seen['total']} requests\n{report}")
    assert not errors, f"{len(errors)} answers of 5xx in {seen['total']} requests:\n" + "\n".join(errors[:20])
    assert seen["total"] >= AT_LEAST, f"only {seen['total']} requests generated:\n{report}"
    # the signed-in pass reaches the workspace's operations past their authentication
    assert seen[("answers", "coordinator", "workspace", "2xx")] > 0, report
    assert seen[("answers", "anonymous", "workspace", "2xx")] == 0, report


def _signed_in_headers() -> dict:
    """A coordinator's session cookie and CSRF token, as a browser would send them."""
    from django.test import Client

    from pathways.web.workspace.members import create_member

    member, _ = create_member("fuzz-coordinator", "Fuzzing University Hospital", "coordinator",
                              "a long passphrase for fuzzing only")
    client = Client()
    client.force_login(member.user)
    client.get("/workspace/")  # sets the CSRF cookie
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return {"cookies": cookies, "headers": {"X-CSRFToken": cookies.get("csrftoken", "")}}
