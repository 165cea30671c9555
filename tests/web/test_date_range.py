"""Dates outside the contract's range (1900-01-01 to 2200-12-31) are invalid input, named
with the field, never a server error (docs/contract.md, section 1)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.parametrize("day, valid", [("1899-12-31", False), ("1900-01-01", True), ("2200-12-31", True),
                                        ("2201-01-01", False), ("9999-12-31", False)])
def test_a_start_date_outside_the_contracts_range_is_refused_by_name(engine, day, valid):
    from pathways import ProfileError

    if valid:
        assert engine.check({"start_date": day}).get("start_date").isoformat() == day
    else:
        with pytest.raises(ProfileError) as error:
            engine.check({"start_date": day})
        assert [p.field for p in error.value.problems] == ["start_date"]


def test_the_api_refuses_an_as_of_outside_the_range_with_422(client):
    response = client.post("/api/v1/evaluate?as_of=9999-12-31", "{}", content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "as_of"


@pytest.mark.parametrize("query", ["as_of=9999-12-31", "as_of=1800-01-01", "start_date=2201-01-01"])
def test_the_pages_refuse_a_date_outside_the_range_with_400(client, query):
    for page in ("/result/", "/result.json", "/interview/"):
        assert client.get(f"{page}?{query}").status_code == 400, (page, query)


def test_the_cli_refuses_an_as_of_outside_the_range_with_exit_2():
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "find", "-", "--as-of", "2201-01-01"],
                         input=json.dumps({}), capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--as-of" in run.stderr and "Traceback" not in run.stderr


def test_the_next_question_refuses_an_as_of_outside_the_range_with_422(client):
    response = client.post("/api/v1/next-question?as_of=0444-01-01", "{}", content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "as_of"
