"""The knowledge browser's states page: each state's authorizations side by side."""

from __future__ import annotations


def test_the_states_page_compares_every_states_authorizations(client):
    html = client.get("/knowledge/states/").content.decode()
    for code in ("ca", "oh", "tn"):
        assert f'id="state-{code}"' in html
    for auth in ("oh-vcpd", "tn-visitor-clinical-training", "ptl", "oh-none"):
        assert f'id="authorization-{auth}"' in html
    assert "How long" in html and "Who qualifies" in html and "Fees" in html
    assert client.get("/knowledge/authorizations/oh-none/").status_code == 200
    listing = client.get("/knowledge/authorizations/").content.decode()
    assert "(Ohio)" in listing and "(Tennessee)" in listing


def test_the_api_evaluates_a_state_or_every_state(client):
    import json

    body = json.dumps({"citizenships": ["IN"], "stage": "graduate", "home_license": True})
    for state, expected in (("oh", {"oh"}), ("all", {"ca", "oh", "tn"}), (None, {"ca"})):
        url = "/api/v1/evaluate?as_of=2026-12-01" + (f"&state={state}" if state else "")
        data = client.post(url, data=body, content_type="application/json").json()
        assert {p["jurisdiction"] for p in data["pathways"]} == expected
    refused = client.post("/api/v1/evaluate?state=zz", data=body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "state"
