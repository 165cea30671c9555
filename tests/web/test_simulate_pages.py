"""Every shipped reform runs from the API and the advocates' page; the CSV and the policy brief
(a real PDF, read back) carry the same counts as the engine."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from pathways.rules.loader import KNOWLEDGE_ROOT
from pathways.rules.reform import shipped_reforms

SHIPPED = [p.stem for p in shipped_reforms(KNOWLEDGE_ROOT)]
DAY = "2026-12-01"


@pytest.mark.parametrize("reform", SHIPPED)
def test_each_shipped_reform_runs_from_the_api_and_the_page(client, reform):
    body = json.dumps({"synthetic": 1500, "seed": 5, "reforms": [reform], "as_of": DAY, "state": "all"})
    answer = client.post("/api/v1/simulate", data=body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["population"] == 1500 and reform in data["reform"]["ids"]
    page = client.get(f"/simulate/?reform={reform}&people=1500&seed=5&as_of={DAY}&run=1")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="results"' in html and html.count('<figure class="chart">') == 3


def test_the_api_and_the_page_count_what_the_engine_counts(client):
    from pathways.web.engine import get_engine

    engine = get_engine()
    expected = engine.simulate(engine.synthetic_population(3000, 8), engine.read_reforms(["ca-short-term-clinical-permit"]),
                               date(2026, 12, 1))
    body = json.dumps({"synthetic": 3000, "seed": 8, "reforms": ["ca-short-term-clinical-permit"], "as_of": DAY})
    data = client.post("/api/v1/simulate", data=body, content_type="application/json").json()
    assert data["by_pathway"] == expected["by_pathway"] and data["gained"] == expected["gained"] > 0
    rows = list(csv.reader(io.StringIO(client.get(
        f"/simulate.csv?reform=ca-short-term-clinical-permit&people=3000&seed=8&as_of={DAY}&run=1").content.decode())))
    assert rows[0] == ["what", "key", "baseline", "reform"]
    assert ["gained", "", "", str(expected["gained"])] in rows


def test_the_policy_brief_is_a_pdf_with_the_reform_its_sources_and_the_counts(client):
    from pypdf import PdfReader

    response = client.get(f"/simulate.pdf?reform=ca-short-term-clinical-permit&people=2000&seed=3&as_of={DAY}&run=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "What would a reform change?" in text and "of 2000 people gain" in text
    assert "Sources" in text and "checked 2026-12-01" in text
    assert "short-term" in text.lower()


def test_bad_choices_are_refused_by_name(client):
    assert client.get("/simulate/?reform=no-such-reform&run=1").status_code == 400
    refused = client.get("/simulate/?people=999999999&run=1")
    assert refused.status_code == 400 and "people" in refused.content.decode()
    answer = client.post("/api/v1/simulate", data=json.dumps({"synthetic": 10**9}), content_type="application/json")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "synthetic"
    answer = client.post("/api/v1/simulate", data=json.dumps({"synthetic": 10, "reforms": ["../etc/passwd.yaml"]}),
                         content_type="application/json")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "reforms"
    answer = client.post("/api/v1/simulate", data=json.dumps({"profiles": [{"stage": "nobody"}]}),
                         content_type="application/json")
    assert answer.status_code == 422 and "profiles[0].stage" in answer.content.decode()


def test_the_page_ranks_each_reform_alone_as_the_engine_does(client):
    from pathways.web.engine import get_engine

    engine = get_engine()
    ids = ["ca-short-term-clinical-permit", "bpc-2113-three-years"]
    expected = engine.rank_reforms(lambda: engine.synthetic_population(2000, 6), ids, date(2026, 12, 1))
    html = client.get(f"/simulate/?reform={ids[0]}&reform={ids[1]}&people=2000&seed=6&as_of={DAY}&rank=1").content.decode()
    assert 'id="ranking"' in html
    table = html[html.index('id="ranking"'):]
    names = [r["name"] for r in expected]
    assert table.index(names[0]) < table.index(names[1])  # in the engine's order
    assert f'<td class="n">{expected[0]["gained_hands_on"]:,}</td>' in table and expected[0]["gained_hands_on"] > 0
