"""POST /api/v1/evaluate written fast (issue 16) and still the contract's JSON.

The answer is spliced from pathway texts kept per verdict object and written with orjson
(web/api/render.py, the engine's BatchWriter); here it is compared, as parsed JSON, with the
standard library's json.dumps of `verdict_json` (what the API answered before), for people
drawn at random, asked twice, in every state; `?detail=summary` gives contract section 4's
form; a detail that is neither is 422 naming `detail`. The other endpoints' renderer keeps
Django's way of writing dates and times.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pytest

from pathways import BatchWriter, ProfileError, verdict_json
from pathways.rules.profile import Profile

from ..profiles import DATES
from ..test_properties import _random_profile

EVALUATE = "/api/v1/evaluate"
SUMMARY_KEYS = {"id", "status", "reachable", "unmet", "unknown", "timeline", "cost_usd"}


def _engine():
    from pathways.web.engine import get_engine

    return get_engine()


def _contract(profile: Profile) -> str:
    return json.dumps(profile.to_contract())


def _post(client, body: str, query: str = ""):
    return client.post(EVALUATE + query, data=body, content_type="application/json")


def _standard_json(value) -> dict:
    """What the API answered before it used orjson: json.dumps's text, read back."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _people(count: int, seed: int):
    """`count` valid profiles drawn at random (a draw the checker refuses is drawn again), with days."""
    engine, rng, found = _engine(), np.random.default_rng(seed), []
    while len(found) < count:
        try:
            profile = engine.check(Profile(_random_profile(engine, rng)).to_contract())
        except ProfileError:
            continue
        found.append((profile, DATES[len(found) % len(DATES)]))
    return found


def test_full_detail_is_the_engines_json_for_people_at_random_each_asked_twice(client):
    engine = _engine()
    people = _people(60, 16)
    for round_ in range(2):  # the second time from the pathway texts the first one kept
        for i, (profile, day) in enumerate(people):
            state = ("ca", "oh", "tn", "all")[i % 4]
            response = _post(client, _contract(profile), f"?as_of={day}&state={state}")
            assert response.status_code == 200, response.content[:500]
            assert response["Content-Type"] == "application/json; charset=utf-8"
            expected = _standard_json(verdict_json(engine.find(profile, day, state)))
            assert response.json() == expected, (round_, i)


def test_detail_full_spelled_out_is_the_default(client):
    body = json.dumps({"citizenships": ["UG"], "stage": "student", "start_date": "2026-09-01"})
    default, full = _post(client, body, "?as_of=2026-03-01"), _post(client, body, "?as_of=2026-03-01&detail=full")
    assert default.status_code == full.status_code == 200
    assert default.content == full.content
    assert "requirements" in default.json()["pathways"][0]


def test_detail_summary_is_contract_section_4s_form(client):
    engine = _engine()
    for profile, day in _people(20, 4):
        response = _post(client, _contract(profile), f"?as_of={day}&detail=summary")
        assert response.status_code == 200, response.content[:500]
        summary = response.json()
        full = _standard_json(verdict_json(engine.find(profile, day)))
        assert summary == _standard_json(verdict_json(engine.find(profile, day), "summary"))
        assert summary["as_of"] == full["as_of"] and summary["category"] == full["category"]
        assert [p["id"] for p in summary["pathways"]] == [p["id"] for p in full["pathways"]]
        for short, whole in zip(summary["pathways"], full["pathways"]):
            assert set(short) == SUMMARY_KEYS, set(short) ^ SUMMARY_KEYS
            assert (short["status"], short["reachable"]) == (whole["status"], whole["reachable"])
            for status in ("unmet", "unknown"):
                assert short[status] == [r["id"] for r in whole["requirements"] if r["status"] == status]
            assert short["timeline"] == whole["timeline"]
            assert "items" not in short["cost_usd"]
            assert short["cost_usd"] == {k: v for k, v in whole["cost_usd"].items() if k != "items"}


@pytest.mark.parametrize("held", [None, 1])  # 1: nothing kept from one request to the next
def test_a_summary_is_written_without_the_whole_verdict_and_byte_for_byte_the_same(client, monkeypatch, held):
    """?detail=summary goes through Engine.find_summary (brief.py), never Engine.find; its bytes are
    what the writer of find's verdict gives, for people at random in every state, asked twice."""
    from pathways.engine import brief, core

    engine, writer = _engine(), BatchWriter("summary")
    people = _people(40, 23)
    expected = {i: writer.encode(engine.find(profile, day, ("ca", "oh", "tn", "all")[i % 4]))
                for i, (profile, day) in enumerate(people)}
    for name, fresh in (("_briefs", {}), ("_dated", {}), ("_answers", {}), ("_answers_held", 0)):  # nothing kept from before
        monkeypatch.setattr(engine, name, fresh)
    if held is not None:
        monkeypatch.setattr(core, "SERVER_BRIEFS_KEPT", 0)
        monkeypatch.setattr(core, "SERVER_ANSWERS_HELD", held)

    def no_verdict(*args, **kwargs):
        raise AssertionError("the summary built the whole verdict")

    monkeypatch.setattr(type(engine), "find", no_verdict)
    for round_ in range(2):
        if round_ == 1 and held is None:  # the same questions again: answered as before, not written again
            monkeypatch.setattr(brief.Briefs, "pieces", no_verdict)
        for i, (profile, day) in enumerate(people):
            state = ("ca", "oh", "tn", "all")[i % 4]
            response = _post(client, _contract(profile), f"?as_of={day}&state={state}&detail=summary")
            assert response.status_code == 200, response.content[:500]
            assert response.content == expected[i], (round_, i)
    if held is not None:  # each day's texts were let go before each answer, not kept
        longest = max(len(text) for text in expected.values())
        most = max(len(engine.rules(day).pathways) for _, day in people)  # every state's
        assert all(len(briefs.texts) <= most for briefs in engine._briefs.values())  # one answer's pathways
        assert len(engine._answers) <= 1 and engine._answers_held <= longest  # the last answer only


def test_the_same_person_asked_about_each_state_and_day_gets_each_ones_summary(client):
    engine, writer = _engine(), BatchWriter("summary")
    profile, _ = _people(1, 5)[0]
    asked = [(day, state) for day in DATES[-2:] for state in ("ca", "oh", "tn", "all")] * 2
    answers = [_post(client, _contract(profile), f"?as_of={day}&state={state}&detail=summary").content
               for day, state in asked]
    assert answers == [writer.encode(engine.find(profile, day, state)) for day, state in asked]
    assert len(set(answers)) == 8  # none answered with another's


def test_a_summary_is_smaller_than_the_full_answer(client):
    body = json.dumps({"citizenships": ["UG"], "stage": "student", "final_year": True, "start_date": "2026-09-01"})
    full, summary = _post(client, body, "?as_of=2026-03-01"), _post(client, body, "?as_of=2026-03-01&detail=summary")
    assert len(summary.content) * 4 < len(full.content), (len(summary.content), len(full.content))


@pytest.mark.parametrize("detail", ["short", "FULL", "", "summary,full"])
def test_a_detail_that_is_neither_full_nor_summary_is_422_naming_detail(client, detail):
    response = _post(client, json.dumps({"stage": "student"}), f"?detail={detail}")
    assert response.status_code == 422, response.content[:300]
    assert response.json() == {"errors": [{"field": "detail", "message": f"{detail!r} is not accepted; accepted: "
                                                                         "full, summary"}]}


def test_the_kept_pathway_texts_are_bounded_and_never_another_verdicts(engine):
    """A writer keeping at most three texts gives the dict builder's object for every person."""
    writer, rng = BatchWriter(max_cached=3), np.random.default_rng(7)
    for i in range(80):
        verdict = engine.find(Profile(_random_profile(engine, rng)), DATES[i % len(DATES)])
        assert json.loads(writer.encode(verdict)) == _standard_json(verdict_json(verdict))
        assert len(writer._texts) <= 3


def test_the_renderer_writes_dates_times_and_decimals_as_django_does():
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.translation import gettext_lazy

    from pathways.web.api.render import OrjsonRenderer

    data = {"at": datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc), "on": date(2026, 3, 1),
            "fee": Decimal("12.50"), "label": gettext_lazy("Cases"), "later": timedelta(days=2),
            "names": ["Zoë", "محمد"], "count": 3, "share": 0.25, "none": None}
    written = OrjsonRenderer().render(None, data, response_status=200)
    assert json.loads(written) == json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    assert b'"2026-03-01T09:30:15.123Z"' in written and "Zoë".encode() in written


@pytest.mark.parametrize("query, field", [("state=zz", "state"), ("as_of=1800-01-01", "as_of")])
def test_a_summary_with_a_bad_state_or_day_is_422_naming_it(client, query, field):
    body = json.dumps({"citizenships": ["UG"], "stage": "student"})
    response = _post(client, body, f"?detail=summary&{query}")
    assert response.status_code == 422, response.content[:300]
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("detail", ["full", "summary"])
@pytest.mark.parametrize("day", ["abc", "2026-13-01", "2026-02-30", "2026-03-01T00:00", "1800-01-01", "2026-3-1"])
def test_a_day_that_is_not_an_iso_date_in_range_is_422_naming_as_of_and_what_is_accepted(client, detail, day):
    body = json.dumps({"citizenships": ["UG"], "stage": "student", "start_date": "2027-01-10"})
    response = _post(client, body, f"?detail={detail}&as_of={day}")
    assert response.status_code == 422, response.content[:300]
    [error] = response.json()["errors"]
    assert error["field"] == "as_of" and repr(day) in error["message"] and "such as 2027-09-01" in error["message"]


@pytest.mark.parametrize("written", ["20260301", "2026-W09-7"])
def test_the_api_reads_as_of_as_the_pages_and_the_profile_read_dates(client, written):
    body = json.dumps({"citizenships": ["UG"], "stage": "student", "start_date": "2027-01-10"})
    assert _post(client, body, f"?as_of={written}").content == _post(client, body, "?as_of=2026-03-01").content
    assert _post(client, body, "?as_of=").json()["as_of"] == date.today().isoformat()  # empty: not given


def test_the_query_is_read_as_django_reads_it_and_documented_as_before(client):
    body = json.dumps({"citizenships": ["UG"], "stage": "student", "start_date": "2027-01-10"})
    twice = _post(client, body, "?as_of=2026-01-01&as_of=2026-02-02&detail=full&detail=summary&state=zz&state=oh")
    assert twice.status_code == 200 and twice.json()["as_of"] == "2026-02-02"  # the last of each
    assert twice.content == _post(client, body, "?as_of=2026-02-02&detail=summary&state=oh").content
    assert twice.content != _post(client, body, "?as_of=2026-02-02&detail=summary").content  # Ohio's, not California's
    schema = client.get("/api/v1/openapi.json").json()
    evaluate = next(op for path, ops in schema["paths"].items() if path.endswith("/evaluate") for op in ops.values())
    listed = {p["name"]: p["in"] for p in evaluate["parameters"]}
    assert listed == {"as_of": "query", "detail": "query", "state": "query"}
    assert evaluate["requestBody"]["required"] is True
