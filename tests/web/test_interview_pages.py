"""The interview page and the API ask one interview: the engine's. Nationalities are typed
by name on the page and kept as ISO codes in the address and the API."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from django.utils.html import escape

from ..test_interview import DAY, PLANNING, PLANS
from .test_browser import PERSONAS

AS_OF = DAY.isoformat()


def fact_of(html: str) -> str:
    return re.search(r'<input type="hidden" name="fact" value="([^"]+)"', html).group(1)


def _api(client, profile: dict, skipped: list[str]) -> dict:
    response = client.post(f"/api/v1/next-question?as_of={AS_OF}", data=json.dumps({"profile": profile, "skipped": skipped}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _contract(value):
    return sorted(value) if isinstance(value, frozenset) else value.isoformat() if hasattr(value, "isoformat") else value


def _form_answers(fact: str, value, engine) -> list[str]:
    """What a person puts in the form for the persona's value: names for nationalities."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, frozenset):
        if engine.facts()[fact].type == "codes":
            names = engine.country_names()
            return [", ".join(names[c] for c in sorted(value))]
        return sorted(value)
    if isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return [value.isoformat() if hasattr(value, "isoformat") else str(value)]


def _walk(client, engine, persona: dict) -> tuple[list[str], list[str]]:
    """The facts the page asks and those the API asks, for the same answers, side by side."""
    full = engine.check(persona).facts
    url = f"/interview/?as_of={AS_OF}"
    profile: dict = {}
    skipped: list[str] = []
    page_asked: list[str] = []
    api_asked: list[str] = []
    for _ in range(40):
        api = _api(client, profile, skipped)["question"]
        page = client.get(url)
        if page.status_code == 302:
            assert page["Location"].startswith("/result/"), page["Location"]
            assert api is None, f"the page is done, the API asks {api['fact']}"
            return page_asked, api_asked
        fact = fact_of(page.content.decode())
        page_asked.append(fact)
        api_asked.append(api["fact"])
        assert fact == api["fact"], (page_asked, api_asked)
        assert escape(api["question"]) in page.content.decode()  # in the same words
        if fact in full:
            form = [("fact", fact)] + [("answer", a) for a in _form_answers(fact, full[fact], engine)]
            if fact.startswith("host."):
                profile.setdefault("host", {})[fact[5:]] = _contract(full[fact])
            else:
                profile[fact] = _contract(full[fact])
        else:
            form = [("fact", fact), ("answer", "__unknown__")]
            skipped.append(fact)
        answered = client.get(url + "&" + urlencode(form))
        assert answered.status_code == 302, (fact, answered.content.decode()[:2000])
        url = answered["Location"]
    raise AssertionError(f"the interview did not end: {page_asked}")


@pytest.mark.parametrize("with_plans", [False, True], ids=["plans-unknown", "plans-given"])
@pytest.mark.parametrize("name", list(PERSONAS))
def test_the_page_and_the_api_ask_the_same_facts_in_the_same_order(client, engine, name, with_plans):
    persona = PERSONAS[name][0] | (PLANS if with_plans else {})
    page_asked, api_asked = _walk(client, engine, persona)
    assert page_asked == api_asked
    assert page_asked[0] == "desired_contact" and page_asked[-3:] == PLANNING, page_asked


def test_the_api_names_the_phase_and_the_words_of_each_value(client):
    first = _api(client, {}, [])
    assert first["question"]["fact"] == "desired_contact" and first["question"]["phase"] == "wish"
    assert first["question"]["values"] == ["none", "incidental", "supervised", "independent"]
    assert first["question"]["labels"]["none"] == "None: observe only"
    stage = _api(client, {"desired_contact": "none", "citizenships": ["UG"]}, [])["question"]
    assert stage["fact"] == "stage" and stage["phase"] == "eligibility"
    assert stage["labels"] == {"student": "A medical student", "graduate": "A graduate: I hold a medical degree"}


def test_the_page_shows_the_words_of_the_knowledge(client, engine):
    html = client.get("/interview/").content.decode()
    for value, words in engine.labels("desired_contact").items():
        assert f'value="{value}"' in html and words in html
    html = client.get("/interview/?desired_contact=none&citizenships=UG").content.decode()
    assert "A graduate: I hold a medical degree" in html
    html = client.get("/interview/?desired_contact=none&stage=graduate&fact=current_us_status").content.decode()
    assert "None: I am outside the United States" in html and engine.kb.visas["h-1b"].name in html


def test_the_page_reads_no_engine_or_rules_module():
    from pathlib import Path

    import pathways.web.finder.views_interview as view

    source = Path(view.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+(\.\.\.|pathways\.)(engine|rules)\b", source, re.M)


# Nationality by name -------------------------------------------------------------------------

BEFORE = "/interview/?desired_contact=supervised&stage=graduate&fact=citizenships&"


@pytest.mark.parametrize("typed, codes", [
    (["Uganda"], "UG"), (["uganda"], "UG"), (["ivory coast"], "CI"), (["Côte d'Ivoire"], "CI"),
    (["Cote d'Ivoire"], "CI"), (["Tanzania"], "TZ"), (["DR Congo"], "CD"), (["Democratic Republic of the Congo"], "CD"),
    (["South Korea"], "KR"), (["Viet Nam"], "VN"), (["Vietnam"], "VN"), (["Türkiye"], "TR"), (["Turkey"], "TR"),
    (["UG"], "UG"), (["Uganda, Kenya"], "UG,KE"), (["Uganda", "Kenya"], "UG,KE"), (["Uganda", ""], "UG"),
    (["Korea, Republic of", "ivory coast"], "KR,CI"),
])
def test_a_nationality_is_typed_by_name_and_kept_as_a_code(client, typed, codes):
    page = client.get(BEFORE + urlencode([("answer", t) for t in typed]))
    assert page.status_code == 302, page.content.decode()[:1500]
    assert page["Location"] == f"/interview/?desired_contact=supervised&stage=graduate&citizenships={codes}"


def test_the_page_shows_the_names_of_the_nationalities_given(client):
    html = client.get("/interview/?desired_contact=supervised&stage=graduate&citizenships=CI,UG").content.decode()
    assert "<dd>Côte d&#x27;Ivoire, Uganda " in html


@pytest.mark.parametrize("typed", [["Narnia"], ["Uganda, Narnia"], ["Uganda", "Narnia"]])
def test_an_unknown_country_is_a_clear_error_never_a_guess(client, typed):
    page = client.get(BEFORE + urlencode([("answer", t) for t in typed]))
    html = page.content.decode()
    assert page.status_code == 200 and fact_of(html) == "citizenships"
    assert 'role="alert"' in html and "“Narnia” is not a country name or code of the list" in html
    assert "Accepted: a country&#x27;s name from the list" in html and "two-letter code" in html
    assert 'value="Narnia"' in html or 'value="Uganda, Narnia"' in html  # what was typed is kept to correct


def test_an_unknown_code_in_the_address_is_a_400(client):
    page = client.get("/interview/?desired_contact=supervised&citizenships=Narnia")
    assert page.status_code == 400 and "citizenships" in page.content.decode()
    assert client.get("/interview/?citizenships=Uganda").status_code == 400  # the address keeps codes


def test_the_nationality_question_offers_every_name_without_javascript(client, engine):
    html = client.get("/interview/?desired_contact=supervised&stage=graduate&postgraduate_years=4").content.decode()
    if fact_of(html) != "citizenships":
        html = client.get(BEFORE + "answer=").content.decode()
    assert fact_of(html) == "citizenships"
    datalist = re.search(r'<datalist id="countries">(.*?)</datalist>', html, re.S).group(1)
    values = re.findall(r'<option value="([^"]+)"', datalist)
    import html as html_lib

    values = [html_lib.unescape(v) for v in values]
    assert set(engine.country_names().values()) <= set(values)
    assert "Ivory Coast" in values and "South Korea" in values
    assert values.index("Åland Islands") < values.index("Albania")  # alphabetical as read
    inputs = re.findall(r'<input type="text" name="answer" id="([^"]+)"[^>]*list="countries"', html)
    assert inputs == ["answer", "answer-2"]
    for input_id in inputs:
        assert f'for="{input_id}"' in html
