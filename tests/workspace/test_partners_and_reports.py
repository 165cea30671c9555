"""Partners, agreements (coverage and expiry), reciprocity, the incidental-contact report,
CSV import and JSON export."""

from __future__ import annotations

import pytest

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.web.engine import get_engine
from pathways.web.workspace import reports
from pathways.web.workspace.cases import create_case
from pathways.web.workspace.models import Agreement, Case, Exchange, HistoryEntry, Partner

from .conftest import CANADIAN, STUDENT, signed_in

pytestmark = pytest.mark.usefixtures("rollback")

TODAY = date.today()


def _partner(member, name="Makerere University", country="UG"):
    return Partner.objects.create(institution=member.institution, name=name, country=country, income_group="L",
                                  income_group_year=2025)


def _student_case(member, partner, starts):
    return create_case(member.institution, member.user, trainee_name="Aisha Nakato", trainee_email="",
                       home_country="UG", stage="student", profile={**STUDENT, "start_date": starts.isoformat()},
                       pathway_id="b1-elective", as_of=TODAY, starts=starts, home_institution=partner)


def test_a_case_on_an_agreement_pathway_is_covered_only_by_an_inbound_agreement_in_force_on_its_start(client, coordinator):
    partner = _partner(coordinator)
    starts = TODAY + timedelta(days=200)
    case = _student_case(coordinator, partner, starts)
    needs = reports.pathways_needing_agreement(get_engine())
    assert "b1-elective" in needs
    assert list(reports.uncovered_cases(coordinator.institution, needs)) == [case]
    Agreement.objects.create(institution=coordinator.institution, partner=partner, kind="taa", direction="outbound",
                             starts=TODAY, ends=TODAY + timedelta(days=400))
    assert list(reports.uncovered_cases(coordinator.institution, needs)) == [case]  # the wrong way round
    expired = Agreement.objects.create(institution=coordinator.institution, partner=partner, kind="mou",
                                       direction="both", starts=TODAY - timedelta(days=500), ends=starts - timedelta(days=1))
    assert list(reports.uncovered_cases(coordinator.institution, needs)) == [case]  # ends the day before
    assert "Aisha Nakato" in client.get("/workspace/").content.decode().split("not covered")[1]
    expired.ends = starts
    expired.save()
    assert list(reports.uncovered_cases(coordinator.institution, needs)) == []


def test_an_agreement_expiring_within_90_days_is_alerted_and_its_changes_kept(client, coordinator):
    partner = _partner(coordinator)
    response = client.post("/workspace/agreements/new/", {
        "partner": partner.pk, "kind": "taa", "direction": "both", "starts": "2024-01-01",
        "ends": (TODAY + timedelta(days=30)).isoformat(), "places_per_year": "4", "notes": ""})
    assert response.status_code == 302, response.content.decode()[:1500]
    agreement = Agreement.objects.get(partner=partner)
    far = Agreement.objects.create(institution=coordinator.institution, partner=partner, kind="mou", direction="both",
                                   starts=TODAY, ends=TODAY + timedelta(days=91))
    assert reports.expiring(coordinator.institution, TODAY) == [agreement]
    assert far not in reports.expiring(coordinator.institution, TODAY)
    assert "expires within 90 days" in client.get("/workspace/agreements/").content.decode()
    dashboard = client.get("/workspace/").content.decode().split("Agreements expiring within 90 days")[1]
    assert "Makerere University" in dashboard.split("</section>")[0]
    client.post(f"/workspace/agreements/{agreement.pk}/edit/", {
        "partner": partner.pk, "kind": "taa", "direction": "both", "starts": "2024-01-01",
        "ends": (TODAY + timedelta(days=730)).isoformat(), "places_per_year": "6", "notes": "renewed"})
    entry = HistoryEntry.objects.get(model="Agreement", object_id=agreement.pk, action="changed")
    assert entry.before["places_per_year"] == 4 and entry.after["places_per_year"] == 6
    page = client.get(f"/workspace/agreements/{agreement.pk}/").content.decode()
    assert "changed the agreement" in page and "places a year: 4 → 6" in page  # the history in words


def test_reciprocity_sums_heads_weeks_and_dollars_each_way_with_the_funding_ratio(client, coordinator):
    mak, lag = _partner(coordinator), _partner(coordinator, "University of Lagos", "NG")
    for partner, direction, year, heads, weeks, usd in (
            (mak, "inbound", 2025, 2, "16", "12000"), (mak, "inbound", 2025, 1, "8", "6000"),
            (mak, "outbound", 2025, 4, "32", "36000"), (lag, "inbound", 2024, 2, "12", "9000")):
        Exchange.objects.create(institution=coordinator.institution, partner=partner, direction=direction, year=year,
                                heads=heads, trainee_weeks=Decimal(weeks), usd=Decimal(usd))
    rows = {(r.partner, r.year): r for r in reports.reciprocity(coordinator.institution)}
    mak25 = rows[("Makerere University", 2025)]
    assert (mak25.inbound_heads, mak25.outbound_heads, mak25.inbound_weeks, mak25.outbound_weeks) == (3, 4, 24, 32)
    assert (mak25.inbound_usd, mak25.outbound_usd, mak25.funding_ratio) == (18000, 36000, 0.5)
    assert rows[("University of Lagos", 2024)].funding_ratio is None
    page = client.get("/workspace/reciprocity/").content.decode()
    assert "<svg" in page and "Dollars each way" in page
    assert "0.75" in page  # 27,000 inbound against 36,000 outbound in all
    response = client.get("/workspace/reciprocity.csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    mak_row = next(r for r in table if r["partner"] == "Makerere University")
    assert mak_row["inbound_heads"] == "3" and mak_row["outbound_usd"] == "36000.00"
    assert mak_row["inbound_to_outbound_funding_ratio"] == "0.50"
    # An exchange recorded through the form counts too.
    client.post("/workspace/exchanges/new/", {"partner": lag.pk, "direction": "outbound", "year": "2024", "heads": "1",
                                              "trainee_weeks": "4", "usd": "3000", "notes": ""})
    assert next(r for r in reports.reciprocity(coordinator.institution) if r.partner == "University of Lagos").funding_ratio == 3.0


def test_the_contact_log_reports_the_share_of_patient_contact_against_the_threshold(client, coordinator):
    case = create_case(coordinator.institution, coordinator.user, trainee_name="Claire Tremblay", trainee_email="",
                       home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113", as_of=TODAY)
    assert "tn-2113" in reports.pathways_with_incidental_contact(get_engine())
    url = f"/workspace/cases/{case.pk}/contact-log/"
    monday = TODAY - timedelta(days=TODAY.weekday())
    first, second, third = (monday - timedelta(weeks=n) for n in (3, 2, 1))
    week = {"patient_contact_hours": "4", "teaching_hours": "10", "research_hours": "24", "observation_hours": "2"}
    assert client.post(url, {"week_of": first.isoformat(), **week}).status_code == 302
    report = reports.contact_report(case)
    assert report.share_pct == 10.0 and not report.crossed
    assert client.post(url, {"week_of": second.isoformat(), **week, "patient_contact_hours": "16"}).status_code == 302
    report = reports.contact_report(case)
    assert round(report.share_pct, 2) == round(20 / 92 * 100, 2) and report.crossed  # 21.7% > 20%
    assert [w.week_of for w in report.weeks_over] == [second]
    page = client.get(url).content.decode()
    assert "Threshold crossed" in page and "threshold of 20%" in page
    # crossed: no signature block to sign, but what to do instead
    assert "Dean's signature" not in page and "Stop the trainee's patient contact now" in page
    assert "GME office" in page and "supervised patient care" in page
    # Logged again, the week is refused (a week has one row), and corrected from its own page.
    again = client.post(url, {"week_of": second.isoformat(), **week})
    assert again.status_code == 400 and f"The week of {second} is logged already" in again.content.decode()
    logged = case.contact_logs.get(week_of=second)
    assert client.post(f"{url}{logged.pk}/", {"week_of": second.isoformat(), **week}).status_code == 302
    assert case.contact_logs.count() == 2 and not reports.contact_report(case).crossed
    entry = HistoryEntry.objects.get(model="ContactLog", action="changed")
    assert entry.before["patient_contact_hours"] == "16.0" and entry.after["patient_contact_hours"] == "4.0"
    page = client.get(url).content.decode()
    assert "Dean's signature" in page and "Stop the trainee's patient contact" not in page  # within it again
    coordinator.institution.incidental_threshold_pct = 5
    coordinator.institution.save()
    assert reports.contact_report(Case.objects.get(pk=case.pk)).crossed
    assert client.post(url, {"week_of": third.isoformat(), **week, "teaching_hours": "-3"}).status_code == 400


CASES_CSV = """trainee_name,trainee_email,home_country,stage,pathway_id,profile,starts,ends,evaluated_on,home_institution
Aisha Nakato,aisha@example.org,UG,student,b1-elective,"{json}",2027-06-01,2027-07-27,2026-03-01,Makerere University
Bad Row,not-an-email,UG,student,no-such-pathway,"{{""ssn"": ""123""}}",2027-13-01,,,
Claire Tremblay,,CA,graduate,tn-2113,"{canadian}",,,,
"""


def _upload(client, kind, text, **extra):
    return client.post(f"/workspace/import/{kind}/",
                       {"file": SimpleUploadedFile(f"{kind}.csv", text.encode(), content_type="text/csv"), **extra})


def test_a_cases_file_with_a_bad_row_imports_nothing_unless_asked_for_the_valid_rows(client, coordinator):
    _partner(coordinator)
    text = CASES_CSV.format(json=json.dumps(STUDENT).replace('"', '""'), canadian=json.dumps(CANADIAN).replace('"', '""'))
    response = _upload(client, "cases", text)
    page = response.content.decode()
    assert response.status_code == 400
    assert not Case.objects.filter(institution=coordinator.institution).exists()
    for problem in ("trainee_email", "no-such-pathway", "ssn: unknown field", "2027-13-01"):
        assert problem in page, problem
    assert "<td>3</td>" in page  # the bad row's line in the file
    response = _upload(client, "cases", text, import_valid_rows="1")
    assert response.status_code == 200
    names = sorted(Case.objects.filter(institution=coordinator.institution).values_list("trainee_name", flat=True))
    assert names == ["Aisha Nakato", "Claire Tremblay"]
    aisha = Case.objects.get(trainee_name="Aisha Nakato")
    assert aisha.home_institution.name == "Makerere University" and aisha.checklist.exists()


def test_a_partners_file_is_checked_row_by_row(client, coordinator):
    text = ("name,country,income_group,income_group_year\nMakerere University,UG,L,2025\n"
            "Nowhere,,XX,\nUniversity of Lagos,NG,Lower-middle income,2025\n")
    assert _upload(client, "partners", text).status_code == 400
    assert not Partner.objects.filter(institution=coordinator.institution).exists()
    _upload(client, "partners", text, import_valid_rows="1")
    partners = Partner.objects.filter(institution=coordinator.institution)
    assert sorted(p.name for p in partners) == ["Makerere University", "University of Lagos"]
    assert partners.get(name="University of Lagos").income_group == "LM"


def test_the_json_export_holds_the_institution_s_data_and_nothing_of_another(client, coordinator, make_member):
    other = make_member("other", institution="Another Hospital")
    _student_case(coordinator, _partner(coordinator), TODAY + timedelta(days=100))
    _student_case(other, _partner(other, "Secret Partner"), TODAY + timedelta(days=100))
    Case.objects.filter(institution=other.institution).update(trainee_name="Secret Trainee")
    response = client.get("/workspace/export.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["institution"]["name"] == "Test University Hospital"
    assert [p["name"] for p in data["partners"]] == ["Makerere University"]
    assert [c["trainee_name"] for c in data["cases"]] == ["Aisha Nakato"] and data["cases"][0]["checklist"]
    assert {m["username"] for m in data["members"]} == {"coord"}
    assert "Secret" not in response.content.decode() and "password" not in response.content.decode()
    assert data["history"]


@pytest.mark.security
def test_an_identity_number_stored_before_it_was_refused_leaves_the_export_masked(client, coordinator):
    _student_case(coordinator, _partner(coordinator), TODAY + timedelta(days=100))
    Case.objects.filter(institution=coordinator.institution).update(trainee_name="Aisha Nakato 123-45-6789")
    text = client.get("/workspace/export.json").content.decode()
    assert "123-45-6789" not in text and "Aisha Nakato [identity number removed]" in text


def test_an_imported_case_profile_reads_citizenships_no_as_norway_not_false(client, coordinator):
    # JSON as before, or YAML read as YAML 1.2 (rules/yaml12.py), where an unquoted NO is not false
    profile = ("{citizenships: [NO], stage: student, enrolled_in_us_school: false, final_year: true, "
               "school_recognized_by_mbc: true, current_us_status: none, desired_contact: supervised, "
               "host: {dean_approved_elective: true}}")
    quoted = json.dumps({**STUDENT, "citizenships": ["NO"]}).replace('"', '""')
    text = ("trainee_name,home_country,stage,pathway_id,profile,starts,evaluated_on\n"
            f'Ingrid Hansen,NO,student,b1-elective,"{profile}",2027-06-01,2026-03-01\n'
            f'Ola Nordmann,NO,student,b1-elective,"{quoted}",2027-06-01,2026-03-01\n')
    response = _upload(client, "cases", text)
    assert response.status_code == 200, response.content.decode()[:3000]
    for name in ("Ingrid Hansen", "Ola Nordmann"):
        case = Case.objects.get(institution=coordinator.institution, trainee_name=name)
        assert case.home_country == "NO" and case.profile["citizenships"] == ["NO"], name


def test_reciprocity_counts_the_workspace_s_own_inbound_cases_and_says_so(client, coordinator):
    mak = _partner(coordinator)
    Exchange.objects.create(institution=coordinator.institution, partner=mak, direction="inbound", year=2027, heads=2,
                            trainee_weeks=Decimal("16"), usd=Decimal("68250"))
    Exchange.objects.create(institution=coordinator.institution, partner=mak, direction="outbound", year=2027,
                            heads=1234, trainee_weeks=Decimal("9876.5"), usd=Decimal("1234567.40"))
    starts = date(2027, 6, 7)
    for name, ends in (("Aisha Nakato", starts + timedelta(weeks=8)), ("Brian Mukasa", None)):
        case = _student_case(coordinator, mak, starts)
        Case.objects.filter(pk=case.pk).update(trainee_name=name, ends=ends)
    closed = _student_case(coordinator, mak, date(2028, 1, 10))
    Case.objects.filter(pk=closed.pk).update(status="closed", ends=date(2028, 2, 7))
    undated = _student_case(coordinator, mak, starts)
    Case.objects.filter(pk=undated.pk).update(starts=None)
    _student_case(coordinator, None, starts)  # no partner: not an exchange with anyone
    rows = {r.year: r for r in reports.reciprocity(coordinator.institution) if r.partner == "Makerere University"}
    assert set(rows) == {2027, 2028}
    r27 = rows[2027]
    assert (r27.inbound_heads, r27.inbound_cases, r27.inbound_weeks, r27.inbound_case_weeks) == (4, 2, 24, 8)
    assert (r27.inbound_usd, r27.outbound_heads) == (68250, 1234)  # cases add no dollars
    assert (rows[2028].inbound_heads, rows[2028].inbound_cases, rows[2028].inbound_weeks) == (1, 1, 4)  # closed too
    assert reports.uncounted_cases(coordinator.institution) == 1
    page = client.get("/workspace/reciprocity/").content.decode()
    counted = page.split("What is counted")[1].split("</details>")[0]
    assert "this workspace's own cases (open or closed) whose home institution is the partner" in counted
    assert "Of the 5 inbound trainees, 3 are cases here." in counted
    assert "1 case from a partner without a start date is not counted." in counted
    assert "counts twice" in counted
    # numbers and money for people
    assert "$68,250" in page and "$1,234,567" in page and ">1,234<" in page and ">9,876.5<" in page
    assert "68250" not in page and "1234567" not in page
    table = list(csv.DictReader(io.StringIO(client.get("/workspace/reciprocity.csv").content.decode())))
    line = next(t for t in table if t["year"] == "2027")
    assert (line["inbound_heads"], line["inbound_cases"], line["inbound_case_weeks"]) == ("4", "2", "8.0")
    assert line["inbound_usd"] == "68250.00"  # the CSV keeps plain numbers for spreadsheets


def test_money_and_numbers_read_as_people_write_them(client, coordinator):
    from django.template import Context, Template

    shown = Template("{% load workspace_format %}{{ a|money }} {{ b|number }} {{ c|number }} {{ d|number }} "
                     "{{ e|money }} [{{ f|money }}] {{ g|number }}").render(Context(
                         {"a": Decimal("68250.00"), "b": 1234, "c": Decimal("24.0"), "d": Decimal("1234.5"),
                          "e": 185.5, "f": None, "g": "n/a"}))
    assert shown == "$68,250 1,234 24 1,234.5 $186 [] n/a"
    mak = _partner(coordinator)
    Exchange.objects.create(institution=coordinator.institution, partner=mak, direction="inbound", year=2026,
                            heads=1200, trainee_weeks=Decimal("2400.5"), usd=Decimal("68250"))
    for url in ("/workspace/exchanges/", f"/workspace/partners/{mak.pk}/"):
        page = client.get(url).content.decode()
        assert "$68,250" in page and "1,200" in page and "2,400.5" in page, url
