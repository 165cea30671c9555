"""Schemathesis against the API's own OpenAPI schema: no 5xx in at least 1,000 requests.

The schema is read from the WSGI application itself (`/api/v1/openapi.json`), and every
operation in it gets requests generated from it, both valid ones (positive) and ones that
break the schema (negative), sent in-process through the WSGI app. Every request is
counted; a 5xx answer is recorded with the request that caused it, and the test names
each one.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

import schemathesis
from schemathesis import GenerationMode

from pathways.web.wsgi import application

AT_LEAST = 1000
PER_OPERATION = 60  # per generation mode; the evaluate and next-question operations get more
BUSY = {"/api/v1/evaluate": 300, "/api/v1/next-question": 200}


def _describe(case, response) -> str:
    body = case.body if case.body is not None else ""
    try:
        body = json.dumps(body)[:1500]
    except (TypeError, ValueError):
        body = repr(body)[:1500]
    return (f"{case.method} {case.formatted_path} query={case.query!r} headers={case.headers!r} body={body}\n"
            f"  -> {response.status_code}: {response.text[:800]}")


def _run(operation, mode: GenerationMode, examples: int, seen: Counter, errors: list[str]) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def test(case):
        response = case.call()
        seen[(operation.method.upper(), operation.path, mode.value)] += 1
        seen["total"] += 1
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
    for operation in operations:
        examples = BUSY.get(operation.path, PER_OPERATION)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, examples, seen, errors)

    report = "\n".join(f"  {k}: {v}" for k, v in sorted(seen.items(), key=str) if k != "total")
    print(f"\nschemathesis: {seen['total']} requests\n{report}")
    assert not errors, f"{len(errors)} answers of 5xx in {seen['total']} requests:\n" + "\n".join(errors[:20])
    assert seen["total"] >= AT_LEAST, f"only {seen['total']} requests generated:\n{report}"
