"""Hostile input to the public pages and the API: every query string and body is read within
bounds, and what is past them is refused with a 4xx that names it and the limit, never a
5xx. What is about the server (a flood of parameters answered at once, HEAD without a
body) is tested against a real `pathways serve` process: Django's test client parses
nothing the way waitress hands it over, and it drops HEAD bodies itself.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request

import pytest

from pathways import ProfileError
from pathways.rules import nesting, yaml12
from pathways.rules.profile_file import ProfileFileError, read_profile
from pathways.web.finder import answers

pytestmark = pytest.mark.security

PAGES = ("/interview/", "/result/", "/result.json", "/result.pdf", "/profile.yaml")
FLOOD = "&".join(f"f{i}=x" for i in range(16_000))  # the probe's: 24 s before the fix
STUDENT = "stage=student&citizenships=UG&final_year=true"


def _problems(response) -> str:
    return response.content.decode()


# --- the server: a flood of parameters, HEAD ------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`pathways serve --port P` on a data directory of its own; its base URL."""
    from ..workspace.support import Server

    running = Server(tmp_path_factory.mktemp("security-serve")).start()
    yield running.base
    running.stop()


def _get(url: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, body.decode("utf-8", "replace"), time.perf_counter() - started


@pytest.mark.parametrize("page", PAGES)
def test_the_probe_s_flood_of_16000_parameters_is_refused_by_the_server_within_a_second(server, page):
    # 133 KB of address: waitress's cap on a request's head (serve.py) may answer before the app
    status, body, seconds = _get(f"{server}{page}?{FLOOD}")
    assert status in (400, 431), body[:500]
    assert seconds < 1.0, f"{page}: {seconds:.2f} s"
    assert "accepted: at most 20,000" in body if status == 400 else "max_header" in body


@pytest.mark.parametrize("page", PAGES)
def test_a_flood_of_12000_answers_under_the_server_s_cap_is_refused_by_the_app_within_a_second(server, page):
    # 12,000 different facts in 48 KB: they reach the app, which took 13 s over them before
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    keys = [a + b + c for a in letters for b in letters for c in letters][:12_000]
    status, body, seconds = _get(f"{server}{page}?{'&'.join(keys)}")
    assert status == 400, body[:500]
    assert seconds < 1.0, f"{page}: {seconds:.2f} s"
    assert "(query string)</strong>: 47,999 characters; accepted: at most 20,000" in body


@pytest.mark.parametrize("page", PAGES)
def test_more_parameters_than_django_accepts_are_refused_by_the_server_with_its_limit(server, page):
    query = "&".join(f"f{i}" for i in range(1_001))  # short enough; one field over DATA_UPLOAD_MAX_NUMBER_FIELDS
    status, body, seconds = _get(f"{server}{page}?{query}")
    assert status == 400 and seconds < 1.0, (status, seconds)
    assert "1,001 parameters; accepted: at most 1,000" in body


def _raw(base: str, method: str, path: str) -> tuple[bytes, bytes]:
    """The response's head and whatever bytes follow it, read off the socket: http.client
    knows that HEAD has no body and would not read one that was sent."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


@pytest.mark.parametrize("path", ["/", f"/result/?{STUDENT}", "/interview/", "/knowledge/", "/no-such-page/",
                                  "/workspace/login/", "/static/finder/site.css", "/api/v1/hello"])
def test_head_is_answered_with_the_headers_of_get_and_no_body(server, path):
    get_head, get_body = _raw(server, "GET", path)
    head, body = _raw(server, "HEAD", path)
    assert get_body, f"GET {path} sent no body to compare with"
    assert body == b"", f"HEAD {path} sent {len(body)} bytes of body"
    if not path.startswith("/api/"):  # django-ninja answers HEAD with 405 (its operations are GET only)
        assert head.split(b"\r\n")[0] == get_head.split(b"\r\n")[0]  # the same status line


# --- the pages, in process ---------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query, says", [
    ("stage=" + "x" * 2_001, "stage</strong>: its value is 2,001 characters long; accepted: at most 2,000"),
    ("x" * 2_001 + "=1", "its name is 2,001 characters long; accepted: at most 2,000"),
    ("&".join(["citizenships=UG"] * 1_001), "1,001 parameters; accepted: at most 1,000"),
    ("as_of=2027-01-01&" + "a=" + "&a=".join(["x" * 1_000] * 25), "characters; accepted: at most 20,000"),
])
def test_a_query_past_a_bound_is_a_400_naming_the_bound_and_what_is_accepted(client, page, query, says):
    response = client.get(f"{page}?{query}")
    assert response.status_code == 400
    assert says in _problems(response)
    assert 'href="/interview/"' in _problems(response)  # nothing of it kept: start again


def test_answers_are_read_in_one_linear_pass(client):
    # 100,000 answers (far past the pages' bounds, read by the library directly): the
    # quadratic reading took minutes for this many, the linear one a fraction of a second.
    pairs = [(f"fact{i % 5_000}", str(i)) for i in range(100_000)] + [("skip", "fact3,other")]
    started = time.perf_counter()
    read = answers.parse(pairs)
    assert time.perf_counter() - started < 1.0
    assert len(read.items) == 5_000 and read.value("fact0") == "95000" and read.skipped == ("fact3", "other")
    started = time.perf_counter()
    assert not read.without_all({f"fact{i}" for i in range(5_000)}).items
    assert time.perf_counter() - started < 1.0


def test_the_last_answer_to_a_fact_keeps_its_place_after_a_skip():
    read = answers.parse([("stage", "student"), ("final_year", "true"), ("skip", "citizenships,stage"),
                          ("final_year", "false")])
    assert read.items == (("stage", "student"), ("final_year", "false"))
    assert read.skipped == ("citizenships", "stage") and read.skip_at == 1
    assert read.steps() == [("stage", "student"), ("citizenships", None), ("stage", None), ("final_year", "false")]
    assert answers.parse([("stage", "student"), ("skip", "stage"), ("stage", "graduate")]).skipped == ()


def test_a_query_within_the_bounds_still_reads_as_before(client):
    response = client.get(f"/result.json?{STUDENT}")
    assert response.status_code == 200 and json.loads(response.content)["pathways"]


# --- nesting: JSON and YAML ----------------------------------------------------------------


DEEP_JSON = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize("body", [DEEP_JSON, '{"citizenships": ' + DEEP_JSON + "}",
                                  '{"host": ' + "[" * 40 + "]" * 40 + "}"])
def test_a_body_nested_too_deep_is_a_422_naming_it_and_the_limit_from_evaluate(client, body):
    response = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] in ("(body)", "host") and "nested deeper than 32 levels" in error["message"]


@pytest.mark.parametrize("body", [DEEP_JSON, '{"profile": ' + DEEP_JSON + "}", '{"skipped": ' + DEEP_JSON + "}"])
def test_a_body_nested_too_deep_is_a_422_naming_it_and_the_limit_from_next_question(client, body):
    response = client.post("/api/v1/next-question", body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "(body)" and "accepted: at most 32 levels" in error["message"]


def test_next_question_names_the_body_when_it_is_not_json_as_evaluate_does(client):
    for path in ("/api/v1/next-question", "/api/v1/evaluate"):
        response = client.post(path, '{"profile": {', content_type="application/json")
        assert response.status_code == 422, path
        [error] = response.json()["errors"]
        assert error["field"] == "(body)" and error["message"].startswith("not valid JSON: "), path


def test_a_body_larger_than_django_accepts_is_a_413_naming_the_limit(client, small_bodies):
    for path in ("/api/v1/evaluate", "/api/v1/next-question"):
        response = client.post(path, json.dumps({"profile": {"stage": "x" * 2_000}}), content_type="application/json")
        assert response.status_code == 413, path
        assert response.json()["errors"] == [{"field": "(body)", "message": "larger than 1,000 bytes; "
                                                                            "accepted: at most 1,000 bytes"}]


def test_an_api_query_string_past_django_s_limit_is_a_400_naming_it(client):
    query = "&".join(f"f{i}=1" for i in range(1_001))
    response = client.post(f"/api/v1/evaluate?{query}", "{}", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "(query string)"


@pytest.fixture
def small_bodies():
    """DATA_UPLOAD_MAX_MEMORY_SIZE at 1,000 bytes for one test (10 MB in settings.py)."""
    from django.test import override_settings

    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000):
        yield


@pytest.mark.parametrize("text", [
    "[" * 10_000 + "]" * 10_000,  # libyaml's own limit (1,000) is met first: said as ours
    "citizenships: " + "[" * 33 + "]" * 33,
    "host:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)) + "  " * 40 + "x",
])
def test_yaml_nested_too_deep_is_refused_before_it_is_built_as_a_profile_error(text):
    with pytest.raises(yaml12.LimitError) as caught:
        yaml12.load_yaml(text)
    assert isinstance(caught.value, ProfileError) and isinstance(caught.value, yaml12.YAMLError)
    [problem] = caught.value.problems
    assert problem.field == "(profile)" and "nested deeper than 32 levels" in problem.message
    assert "at line " in problem.message


def test_yaml_aliases_are_counted_each_time_a_billion_laughs_is_refused():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    with pytest.raises(yaml12.LimitError, match="more than 10,000 values"):
        yaml12.load_yaml("\n".join(lines))


def test_a_long_yaml_document_is_refused_by_its_length():
    with pytest.raises(yaml12.LimitError, match="accepted: at most 100,000"):
        yaml12.load_yaml("stage: " + "x" * 100_000)


def test_the_checker_names_the_field_nested_too_deep(engine):
    deep: list = []
    for _ in range(900):  # json.loads reads this; str() of it in a message would recurse
        deep = [deep]
    for profile, field in (({"citizenships": deep}, "citizenships"), ({"host": {"x": deep}}, "host.x"),
                           ({f"k{i}": i for i in range(10_001)}, "(profile)")):
        with pytest.raises(ProfileError) as caught:
            engine.check(profile)
        assert [p.field for p in caught.value.problems] == [field]


def test_json_past_the_limits_is_a_profile_error_naming_the_field():
    with pytest.raises(ProfileError) as caught:
        nesting.loads_json(DEEP_JSON, "profile")
    assert caught.value.problems[0].field == "profile"
    with pytest.raises(ProfileError, match="at a\\[0\\]\\[0\\]"):
        nesting.loads_json('{"a": ' + "[" * 40 + "]" * 40 + "}")
    assert nesting.loads_json('{"host": {"x": [1]}}') == {"host": {"x": [1]}}


def test_a_profile_file_nested_too_deep_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("citizenships: " + "[" * 10_000 + "]" * 10_000)
    with pytest.raises(ProfileFileError, match="PROFILE: at line 1, column .*nested deeper than 32 levels"):
        read_profile(str(path))


@pytest.fixture(scope="module")
def engine():
    from pathways.web.engine import get_engine

    return get_engine()
