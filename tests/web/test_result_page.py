"""The result page as a person reads it: what is open first, then what is within reach with
where to apply, then what needs information, then what is closed, folded, with one reason."""

from __future__ import annotations

import re

import pytest

KAMPALA_NO = ("desired_contact=supervised&stage=student&enrolled_in_us_school=false&final_year=true"
              "&school_recognized_by_mbc=true&citizenships=UG&current_us_status=none"
              "&host.dean_approved_elective=false&start_date=2027-07-05&duration_weeks=6&host_city=palo-alto"
              "&as_of=2026-12-01")
LAGOS = ("stage=graduate&citizenships=NG&postgraduate_years=4&practice_years=2&current_us_status=none"
         "&host.research_appointment=true&host.visiting_fellow_appointment=true&as_of=2026-12-01")
EMPTY = "as_of=2026-03-01"


def _page(client, query: str) -> str:
    response = client.get(f"/result/?{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", [KAMPALA_NO, LAGOS, EMPTY], ids=["kampala-no", "lagos", "empty"])
def test_every_link_back_to_a_text_said_above_lands_on_it(client, query):
    page = _page(client, query)
    anchors = set(re.findall(r'id="(t\d+)"', page))
    assert set(re.findall(r'href="#(t\d+)"', page)) <= anchors


@pytest.mark.parametrize("query", [KAMPALA_NO, LAGOS, EMPTY], ids=["kampala-no", "lagos", "empty"])
def test_the_groups_come_in_the_order_a_person_acts_on_them(client, query):
    page = _page(client, query)
    shown = re.findall(r'<section id="(open|reachable|needs-info|closed)"', page)
    order = ["open", "reachable", "needs-info", "closed"]
    assert shown and shown == sorted(shown, key=order.index)


def test_a_student_who_has_not_applied_is_shown_where_to_apply_and_the_closed_ones_folded(client):
    page = _page(client, KAMPALA_NO)
    reachable = page[page.index('<section id="reachable"'):page.index('<section id="closed"')]
    assert 'id="pathway-b1-elective"' in reachable and "Where you could apply" in reachable
    assert "Stanford International Visiting Student Program" in reachable
    assert "Blocked: to arrange" in reachable and "To arrange" in reachable
    closed = page[page.index('<section id="closed"'):]
    assert "<details>" in closed[:200]  # folded, open on a click
    assert 'id="pathway-vwp-business-elective"' in closed and "Visa Waiver Program" in closed


def test_a_past_day_is_never_shown_as_something_to_do(client):
    late = KAMPALA_NO.replace("start_date=2027-07-05", "start_date=2027-01-05").replace(
        "host.dean_approved_elective=false", "host.dean_approved_elective=true")
    page = _page(client, late)
    article = page[page.index('id="pathway-b1-elective"'):]
    article = article[:article.index("</article>")]
    assert "Late: begin now." in article and "Begin by" not in article


def test_a_trainee_is_not_sent_to_the_staff_login(client):
    assert "Open a case with this pathway" not in _page(client, KAMPALA_NO)


def test_needs_information_pathways_show_their_questions_not_every_text(client):
    page = _page(client, EMPTY)
    needs = page[page.index('<section id="needs-info"'):]
    assert "Answers that would settle" in needs and 'class="reqs"' not in needs
    assert len(page.encode()) < 80 * 1024
