"""Search and filters on the case list: name (any case, any part), status, pathway, partner,
start dates and risk, read from the address by a plain GET form (no script), kept in the
page links; a bad value is an error on its field, never a 500. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

import pytest

from .support import STUDENT, backend, seed  # noqa: F401  (backend: a fixture)

TODAY = date.today()


@pytest.fixture()
def world(backend):
    from pathways.web.workspace.cases import create_case
    from pathways.web.workspace.models import Case, ChecklistItem, Partner

    inst = seed(secrets.token_hex(4))
    other_partner = Partner.objects.create(institution=inst["institution"], name=f"Other partner {inst['tag']}",
                                           country="KE")

    def make(name, starts_in, partner=inst["partner"], pathway="b1-elective"):
        starts = TODAY + timedelta(days=starts_in)
        return create_case(inst["institution"], inst["users"]["coordinator"], trainee_name=name, trainee_email="",
                           home_country="UG", stage="student", profile={**STUDENT, "start_date": starts.isoformat()},
                           pathway_id=pathway, as_of=TODAY, starts=starts, home_institution=partner)

    cases = {
        "okafor": make("Chinedu OKAFOR", 400),
        "okello": make("Grace Okello", 500, partner=other_partner),
        "nakato": make("Aisha Nakato", 5, partner=None),  # too soon: late (cannot start even if fast)
        "closed": make("Closed Okoro", 450),
    }
    Case.objects.filter(pk=cases["closed"].pk).update(status="closed")
    step = cases["okello"].checklist.order_by("position").first()
    ChecklistItem.objects.filter(pk=step.pk).update(due=TODAY - timedelta(days=3))  # overdue
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(inst["users"]["viewer"])
    return {"inst": inst, "cases": cases, "client": client, "other_partner": other_partner}


def _names(response) -> list[str]:
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return sorted(re.findall(r'<a href="/workspace/cases/\d+/">([^<]+)</a>', body))


def test_the_name_search_ignores_case_and_matches_any_part(world):
    client, seeded = world["client"], world["inst"]["case"].trainee_name  # "Trainee-<tag> Okello"
    assert _names(client.get("/workspace/cases/?q=oka")) == ["Chinedu OKAFOR"]
    assert _names(client.get("/workspace/cases/?q=+OKEL+")) == sorted(["Grace Okello", seeded])
    assert _names(client.get("/workspace/cases/?q=oK")) == sorted(["Chinedu OKAFOR", "Grace Okello", seeded])
    assert _names(client.get("/workspace/cases/?q=oK&status=all")) == sorted(["Chinedu OKAFOR", "Closed Okoro",
                                                                             "Grace Okello", seeded])
    assert _names(client.get("/workspace/cases/?q=%25")) == []  # a LIKE wildcard is a character here
    page = client.get("/workspace/cases/?q=grace").content.decode()
    assert 'value="grace"' in page and "1 case matches" in page and "Clear the search and filters" in page
    assert "Clear the search and filters" not in client.get("/workspace/cases/").content.decode()


def test_filters_by_status_pathway_partner_and_start_dates(world):
    client, inst, cases = world["client"], world["inst"], world["cases"]
    assert _names(client.get("/workspace/cases/?status=closed")) == ["Closed Okoro"]
    assert _names(client.get(f"/workspace/cases/?partner={world['other_partner'].pk}")) == ["Grace Okello"]
    assert _names(client.get("/workspace/cases/?partner=none")) == ["Aisha Nakato"]
    assert _names(client.get("/workspace/cases/?pathway=tn-2113")) == []
    both = _names(client.get(f"/workspace/cases/?pathway=b1-elective&partner={inst['partner'].pk}"))
    assert both == sorted(["Chinedu OKAFOR", inst["case"].trainee_name])
    start, end = (TODAY + timedelta(days=450)).isoformat(), (TODAY + timedelta(days=600)).isoformat()
    assert _names(client.get(f"/workspace/cases/?starts_from={start}&starts_to={end}")) == ["Grace Okello"]
    assert _names(client.get(f"/workspace/cases/?starts_from={start}&starts_to={end}&status=all")) == \
        ["Closed Okoro", "Grace Okello"]
    assert _names(client.get(f"/workspace/cases/?starts_to={(TODAY + timedelta(days=10)).isoformat()}")) == \
        sorted(["Aisha Nakato", inst["case"].trainee_name])


def test_filters_by_risk(world):
    client, inst = world["client"], world["inst"]
    seeded = inst["case"].trainee_name  # its steps were due before a start in 2026-09: overdue
    assert _names(client.get("/workspace/cases/?risk=overdue")) == sorted(["Grace Okello", seeded])
    late = client.get("/workspace/cases/?risk=late")
    assert _names(late) == ["Aisha Nakato"]
    assert '<details class="more-filters" open>' in late.content.decode()  # a filter set: the filters shown
    assert '<details class="more-filters">' in client.get("/workspace/cases/?q=aisha").content.decode()
    at_risk = _names(client.get("/workspace/cases/?risk=at-risk"))
    assert "Aisha Nakato" in at_risk and "Grace Okello" in at_risk and "Chinedu OKAFOR" not in at_risk
    # the case page's own test agrees with the filter, case by case
    from pathways.web.workspace.cases import at_risk as page_says
    from pathways.web.workspace.models import Case

    for case in Case.objects.filter(institution=inst["institution"], status="open"):
        assert page_says(case, TODAY) == (case.trainee_name in at_risk), case.trainee_name


def test_the_filters_stay_in_the_page_links(world):
    from pathways.web.workspace.cases import create_case

    inst = world["inst"]
    for n in range(51):  # a second page
        create_case(inst["institution"], inst["users"]["coordinator"], trainee_name=f"Paged Trainee {n:02d}",
                    trainee_email="", home_country="UG", stage="student", profile=STUDENT, pathway_id="b1-elective",
                    as_of=TODAY)
    page = world["client"].get("/workspace/cases/?q=paged&risk=&status=open").content.decode()
    assert "51 cases match" in page and "Page 1 of 2" in page
    link = re.search(r'href="\?([^"]*page=2)"', page).group(1).replace("&amp;", "&")
    assert "q=paged" in link and "status=open" in link and "risk" not in link
    second = world["client"].get(f"/workspace/cases/?{link}")
    assert _names(second) == ["Paged Trainee 50"]


@pytest.mark.parametrize("query, field, message", [
    ("starts_from=2027-02-30", "Starts on or after", "Give a date as YYYY-MM-DD"),
    ("starts_from=2027-06-01&starts_to=2027-01-01", "Starts on or before", "2027-01-01 is before 2027-06-01"),
    ("starts_to=0999-01-01", "Starts on or before", "Give a date from 1900-01-01 to 2200-12-31"),
    ("risk=doomed", "Risk", "doomed is not one of the choices"),
    ("status=maybe", "Status", "maybe is not one of the choices"),
    ("partner=999999999", "Home institution (partner)", "999999999 is not one of the choices"),
    ("pathway=no-such-pathway", "Pathway", "no-such-pathway is not one of the choices"),
    ("q=" + "x" * 201, "Name contains", "at most 200 characters"),
])
def test_a_bad_filter_is_an_error_on_its_field_not_a_500(world, query, field, message):
    response = world["client"].get(f"/workspace/cases/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.sub(r"<[^>]+>", "", html.split('role="alert"')[1].split("</div>")[0])
    assert f"{field}: " in summary and message in summary, summary
    assert "<table" in html  # the list is still there


def test_another_institution_s_partner_is_not_a_choice(world):
    other = seed(secrets.token_hex(4))
    response = world["client"].get(f"/workspace/cases/?partner={other['partner'].pk}")
    assert response.status_code == 400 and other["case"].trainee_name not in response.content.decode()
