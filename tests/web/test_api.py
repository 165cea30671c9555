"""The JSON API gives exactly what the CLI gives, for every scenario, shared and our own.

The shared scenarios (tests/shared-scenarios) are compared with `pathways find FILE --json
--as-of DATE` run as a real process, as outside checks run it; our own (tests/scenarios)
with the same library call the command makes (`verdict_json(engine.find(...))`).
An invalid profile is 422 with one `{"field", "message"}` per problem, naming the same
fields, one for one, as the lines the CLI writes to standard error.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from pathways import verdict_json
from pathways.engine.knowledge_items import KINDS, item, listing
from pathways.rules.profile_file import read_profile

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
SHARED = TESTS / "shared-scenarios"
OWN = TESTS / "scenarios"
EVALUATE = "/api/v1/evaluate"


def _scenarios(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def _plain(value):
    """YAML's dates as the ISO strings a JSON client sends."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _post(client, profile, as_of=None, state=None):
    url = EVALUATE if as_of is None else f"{EVALUATE}?as_of={as_of}"
    if state is not None:
        url += ("&" if "?" in url else "?") + f"state={state}"
    return client.post(url, data=json.dumps(_plain(profile)), content_type="application/json")


def _cli(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pathways.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def _stderr_fields(stderr: str) -> list[str]:
    """The field each line of the CLI's standard error names ("field: message")."""
    return [line.split(":", 1)[0].strip() for line in stderr.splitlines() if ":" in line]


def _api_fields(body: dict) -> list[str]:
    return [e["field"] for e in body["errors"]]


def _assert_problems_shape(body: dict):
    assert set(body) == {"errors"}, body
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"field", "message"}, error
        assert isinstance(error["field"], str) and error["field"]
        assert isinstance(error["message"], str) and error["message"]


def _compare_invalid(response, run: subprocess.CompletedProcess, name: str):
    assert run.returncode == 2, f"{name}: the CLI exited {run.returncode}\n{run.stderr}"
    assert response.status_code == 422, f"{name}: {response.status_code} {response.content[:500]!r}"
    body = response.json()
    _assert_problems_shape(body)
    assert sorted(_api_fields(body)) == sorted(_stderr_fields(run.stderr)), f"{name}\nAPI: {body}\nCLI: {run.stderr}"
    for error in body["errors"]:  # the same words, too
        assert error["message"] in run.stderr, f"{name}: {error} not in the CLI's\n{run.stderr}"


# --- every scenario ------------------------------------------------------------------------


def test_there_are_scenarios_to_compare():
    assert len(_scenarios(SHARED)) >= 10, f"expected the shared scenarios in {SHARED}"
    assert len(_scenarios(OWN)) >= 10


@pytest.mark.parametrize("path", _scenarios(SHARED), ids=lambda p: p.stem)
def test_the_api_gives_the_clis_json_for_a_shared_scenario(client, path):
    scenario = yaml.safe_load(path.read_text())
    as_of = str(scenario["as_of"])
    profile, _ = read_profile(str(path))
    run = _cli(["find", str(path), "--json", "--as-of", as_of])
    response = _post(client, profile, as_of)
    if scenario.get("expect", {}).get("exit_code", 0) == 2 or run.returncode == 2:
        _compare_invalid(response, run, path.stem)
        return
    assert run.returncode == 0, run.stderr
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == json.loads(run.stdout)


@pytest.mark.parametrize("path", _scenarios(OWN), ids=lambda p: p.stem)
def test_the_api_gives_the_clis_json_for_our_own_scenario(client, path):
    from pathways.web.engine import get_engine

    engine = get_engine()  # the API's own engine: the same knowledge, its verdicts built once
    scenario = yaml.safe_load(path.read_text())
    as_of = date.fromisoformat(str(scenario["as_of"]))
    state = scenario.get("state")
    profile, _ = read_profile(str(path))
    response = _post(client, profile, as_of.isoformat(), state)
    if scenario.get("expect", {}).get("exit_code", 0) == 2:
        assert response.status_code == 422
        _assert_problems_shape(response.json())
        return
    assert response.status_code == 200, response.content[:2000]
    # what `pathways find FILE --json --as-of DATE` prints, through JSON as the CLI writes it
    expected = json.loads(json.dumps(verdict_json(engine.find(profile, as_of, state)), ensure_ascii=False))
    assert response.json() == expected
    if state:
        assert {p["jurisdiction"] for p in expected["pathways"]} == {state}


def test_without_as_of_the_api_evaluates_on_today_as_the_cli_does(client):
    # The contract changed: without as_of the evaluation is made today (it used to be the profile's
    # start date); the plan begins today and the start date is its target.
    profile = {"citizenships": ["KE"], "stage": "graduate", "postgraduate_years": 4, "start_date": "2027-09-01"}
    before = date.today()
    run = _cli(["find", "-", "--json"], stdin=json.dumps(profile))
    assert run.returncode == 0, run.stderr
    response = _post(client, profile)
    assert response.status_code == 200
    if date.today() != before:  # midnight passed between the two: they cannot agree on the day
        pytest.skip("the day changed during the test")
    assert response.json() == json.loads(run.stdout)
    assert response.json()["as_of"] == before.isoformat() != "2027-09-01"
    for item in response.json()["pathways"]:
        assert item["timeline"]["start_date"] == "2027-09-01"
        assert item["timeline"]["earliest_start"] >= before.isoformat()


# --- invalid profiles ----------------------------------------------------------------------

INVALID = {
    "an unknown country": {"citizenships": ["ZZ"]},
    "a lower-case country": {"citizenships": ["ke"]},
    "an unknown field": {"favourite_colour": "blue"},
    "a number as a string": {"postgraduate_years": "3"},
    "a negative number": {"practice_years": -1},
    "an unknown stage": {"stage": "resident"},
    "an unknown usmle step": {"usmle_passed": ["step4"]},
    "an unknown visa": {"current_us_status": "h-2b"},
    "an unknown host key": {"host": {"castle": True}},
    "a host that is not a mapping": {"host": True},
    "a bool as a string": {"final_year": "yes"},
    "a bad date": {"start_date": "next spring"},
    "an unknown contact level": {"desired_contact": "some"},
    "several problems at once": {"citizenships": ["ZZ"], "stage": "nurse", "duration_weeks": "six", "shoe": 42},
    "not a mapping": ["KE"],
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_an_invalid_profile_is_422_naming_the_fields_the_cli_names(client, name):
    profile = INVALID[name]
    run = _cli(["find", "-", "--json", "--as-of", "2026-03-01"], stdin=json.dumps(profile))
    response = _post(client, profile, "2026-03-01")
    _compare_invalid(response, run, name)


def test_a_body_that_is_not_json_is_a_client_error_not_a_crash(client):
    response = client.post(EVALUATE, data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_a_bad_as_of_is_a_client_error(client):
    response = _post(client, {}, "yesterday")
    assert 400 <= response.status_code < 500


# --- the schema and its docs ---------------------------------------------------------------


def test_the_openapi_schema_is_json_listing_evaluate_and_next_question(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/evaluate" in schema["paths"] and "post" in schema["paths"]["/api/v1/evaluate"]
    assert "/api/v1/next-question" in schema["paths"] and "post" in schema["paths"]["/api/v1/next-question"]
    for kind in list(KINDS) + ["sources"]:
        assert f"/api/v1/{kind}" in schema["paths"]


def test_the_docs_load_with_every_asset_from_this_server(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html, re.I), "an asset from another host"
    assert not re.search(r"""["']https?://[^"']*\.(js|css)""", html, re.I), "an asset from another host"
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+\.(?:js|css))""", html)
    assert assets, "the docs page names no script or style"
    for asset in assets:
        assert asset.startswith("/"), asset
        got = client.get(asset)
        assert got.status_code == 200, asset
        b"".join(got.streaming_content) if got.streaming else got.content


# --- the interview -------------------------------------------------------------------------


def _next(client, body, as_of="2026-03-01"):
    return client.post(f"/api/v1/next-question?as_of={as_of}", data=json.dumps(body), content_type="application/json")


def test_the_interview_asks_the_least_contact_first_then_nationality_then_the_stage(client):
    response = _next(client, {"profile": {}, "skipped": []})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["question"]["fact"] == "desired_contact" and data["question"]["phase"] == "wish"
    data = _next(client, {"profile": {"desired_contact": "supervised"}, "skipped": []}).json()
    assert data["question"]["fact"] == "citizenships" and data["question"]["phase"] == "eligibility"
    data = _next(client, {"profile": {"desired_contact": "supervised", "citizenships": ["UG"]}, "skipped": []}).json()
    assert data["question"]["fact"] == "stage" and data["question"]["phase"] == "eligibility"
    assert set(data["question"]["values"]) >= {"student", "graduate"}
    assert data["question"]["question"] and data["question"]["labels"]["student"]


def test_next_question_is_the_engines(client, engine):
    from ..test_interview import DAY, STUDENT

    known: dict = {}
    skipped: list[str] = []
    full = engine.check(STUDENT).facts
    for _ in range(40):
        expected = engine.next_question(engine.check(known), skipped, DAY).question
        got = _next(client, {"profile": known, "skipped": skipped}, DAY.isoformat()).json()["question"]
        if expected is None:
            assert got is None
            break
        assert got["fact"] == expected.fact and got["phase"] == expected.phase
        fact = expected.fact
        if fact not in full:
            skipped.append(fact)
            continue
        value = full[fact]
        if fact.startswith("host."):
            known.setdefault("host", {})[fact.split(".", 1)[1]] = value
        else:
            known[fact] = sorted(value) if isinstance(value, frozenset) else value
    else:
        raise AssertionError("the interview did not end")
    assert skipped == ["start_date", "duration_weeks", "host_city"]  # the plan, last


def test_a_skipped_fact_is_not_asked_again(client):
    data = _next(client, {"profile": {}, "skipped": ["stage"]}).json()
    assert data["question"] is None or data["question"]["fact"] != "stage"


def test_next_question_refuses_an_invalid_profile_or_an_unknown_skipped_fact(client):
    bad = _next(client, {"profile": {"citizenships": ["ZZ"]}, "skipped": []})
    assert bad.status_code == 422 and _api_fields(bad.json()) == ["citizenships"]
    bad = _next(client, {"profile": {}, "skipped": ["shoe_size"]})
    assert bad.status_code == 422 and _api_fields(bad.json()) == ["skipped"]


# --- listings ------------------------------------------------------------------------------


def _id(kind: str, entry: dict) -> str:
    return entry.get("id") or entry.get("code")


@pytest.mark.parametrize("kind", list(KINDS) + ["sources"])
def test_a_listing_and_each_of_its_items(client, kb, kind):
    response = client.get(f"/api/v1/{kind}")
    assert response.status_code == 200
    entries = response.json()
    assert entries == json.loads(json.dumps(listing(kb, kind)))
    assert entries, kind
    for entry in entries:
        key = _id(kind, entry)
        assert key, entry
        one = client.get(f"/api/v1/{kind}/{key}")
        assert one.status_code == 200, (kind, key)
        assert one.json() == json.loads(json.dumps(item(kb, kind, key)))
    assert client.get(f"/api/v1/{kind}/no-such-thing").status_code == 404


def test_the_cli_lists_what_the_api_lists(client):
    for kind in ("visas", "authorizations", "pathways"):
        run = _cli(["list", kind, "--json"])
        assert run.returncode == 0, run.stderr
        assert client.get(f"/api/v1/{kind}").json() == json.loads(run.stdout)
