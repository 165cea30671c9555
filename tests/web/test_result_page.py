"""The result page as a person reads it: what is open first, then what is within reach with
where to apply, then what needs information, then what is closed, folded, with one reason."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

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
    assert "<details" in closed[:200] and " open" not in closed[:closed.index("<summary>")]  # folded, open on a click
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


# The result, short first; sending it to a host; the PDF whole -----------------------------

KAMPALA_EXAMPLE = ("desired_contact=supervised&stage=student&enrolled_in_us_school=false&final_year=true"
                   "&school_recognized_by_mbc=true&citizenships=UG&current_us_status=none"
                   "&host.dean_approved_elective=true&duration_weeks=8&as_of=2026-12-01")
LAGOS_EXAMPLE = ("desired_contact=supervised&stage=graduate&postgraduate_years=4&practice_years=2&home_license=true"
                 "&school_recognized_by_mbc=true&ecfmg_certified=false&usmle_passed=&citizenships=NG"
                 "&current_us_status=none&as_of=2026-12-01")


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}"')
    return page[start:page.index("</section>", start)]


def test_the_page_opens_with_the_best_route_when_to_start_and_the_cost(client):
    page = _page(client, KAMPALA_EXAMPLE)
    assert page.index('<section id="summary"') < page.index('<section id="open"')
    summary = _section(page, "summary")
    assert "Your best route now" in summary and 'href="#pathway-b1-elective"' in summary
    assert "When you could start" in summary and "likely first day" in summary
    assert "About how much it costs" in summary and "$" in summary


def test_with_nothing_open_the_page_opens_with_the_engines_nearest_route_and_what_it_would_take(client):
    from pathways import verdict_json
    from pathways.web.engine import get_engine

    page = _page(client, LAGOS_EXAMPLE)
    nearest = json.loads(client.get("/result.json?" + LAGOS_EXAMPLE).content)["nearest"][0]["id"]
    summary = _section(page, "summary")
    assert "Nothing is open to you yet" in summary and f'href="#pathway-{nearest}"' in summary
    assert "What it would take" in summary and "Answers that would settle it" in summary
    engine = get_engine()
    assert nearest == verdict_json(engine.find(engine.check({
        "desired_contact": "supervised", "stage": "graduate", "postgraduate_years": 4, "practice_years": 2,
        "home_license": True, "school_recognized_by_mbc": True, "ecfmg_certified": False, "usmle_passed": [],
        "citizenships": ["NG"], "current_us_status": "none"}), date(2026, 12, 1)))["nearest"][0]["id"]


def test_pathways_for_other_people_are_folded_under_one_line_with_no_advice_to_change(client):
    page = _page(client, LAGOS_EXAMPLE)
    closed = _section(page, "closed")
    never = closed[closed.index('<details id="never">'):]
    never = never[:never.index("</details>") + len("</details>")]
    assert never.count("<summary>") == 1 and "Not for you" in never[:never.index("</summary>")]
    for pid in ("e3-2113", "tn-2113", "us-person-license", "b1-observership"):  # nationality, entry restrictions
        assert f'<li id="pathway-{pid}">' in never, pid
    assert 'id="pathway-h1b-ptl"' in closed and 'id="pathway-h1b-ptl"' not in never  # exams can be passed
    assert "Change:" not in page and "Change: " not in page
    for group in ("open", "reachable", "needs-info"):
        if f'<section id="{group}"' in page:
            assert 'id="pathway-e3-2113"' not in _section(page, group)


def test_an_anonymous_visitor_is_offered_to_send_the_result_to_the_host_not_to_open_a_case(client):
    page = _page(client, KAMPALA_EXAMPLE)
    share = _section(page, "share")
    assert "Send this to your host" in share
    link = re.search(r'<input id="share-link" type="text" readonly value="([^"]+)"', share).group(1)
    assert link == "http://testserver/result/?" + KAMPALA_EXAMPLE.replace("&", "&amp;")
    mailto = re.search(r'href="(mailto:[^"]+)"', share).group(1)
    body = unquote(parse_qs(urlsplit(mailto.replace("&amp;", "&")).query)["body"][0])
    assert "http://testserver/result/?" + KAMPALA_EXAMPLE in body
    assert 'href="/result.pdf?' in share
    assert "Open a case" not in page and "/workspace/" not in page


def test_the_pdf_says_every_text_whole_and_never_points_to_itself(client):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    from pathways.web.engine import get_engine

    response = client.get("/result.pdf?" + LAGOS_EXAMPLE)
    assert response.status_code == 200
    text = " ".join(" ".join((p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(response.content)).pages).split())
    assert "…" not in text and "in the PDF" not in text and "JSON" not in text
    assert "This result online: http://testserver/result/?" in text
    verdict = get_engine().find(get_engine().check({"stage": "graduate", "citizenships": ["NG"]}), date(2026, 12, 1))
    deciding = next(s.text for p in verdict.pathways if p.id == "h1b-renown-license" for s in p.steps
                    if s.id == p.timeline.deciding_step)
    assert " ".join(deciding.split()[-6:]) in text  # the deciding step's last words: said whole
