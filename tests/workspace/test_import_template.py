"""The case import's template (issue 14 point 6): one column per profile field (`host.KEY`
for the host's), read back as the profile; the imported cases linked from the result."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.web.engine import get_engine
from pathways.web.workspace.models import Case

pytestmark = pytest.mark.usefixtures("rollback")


def _post(client, text: str):
    return client.post("/workspace/import/cases/", {"file": SimpleUploadedFile("cases.csv", text.encode(), "text/csv")})


def _filled(header: list[str], **cells) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerow({k: cells.get(k.replace(".", "__"), "") for k in header})
    return out.getvalue()


def test_the_template_has_the_case_columns_then_every_profile_field(client):
    response = client.get("/workspace/import/cases/template.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    facts = list(get_engine().facts())
    assert header[:3] == ["trainee_name", "trainee_email", "home_country"]
    assert header[-len(facts):] == facts and "host.dean_approved_elective" in header
    assert header.count("stage") == 1


def test_a_filled_template_imports_the_profile_and_links_the_case(client):
    header = next(csv.reader(io.StringIO(client.get("/workspace/import/cases/template.csv").content.decode())))
    text = _filled(header, trainee_name="Aisha Nakato", home_country="UG", pathway_id="b1-elective",
                   starts="2027-07-05", ends="2027-08-13", evaluated_on="2027-01-04", citizenships="UG",
                   stage="student", final_year="true", enrolled_in_us_school="false",
                   school_recognized_by_mbc="true", host__dean_approved_elective="true", duration_weeks="6")
    page = _post(client, text)
    assert page.status_code == 200, page.content.decode()[:3000]
    case = Case.objects.get(trainee_name="Aisha Nakato")
    assert case.profile["citizenships"] == ["UG"] and case.profile["final_year"] is True
    assert case.profile["host"] == {"dean_approved_elective": True}
    assert case.profile["duration_weeks"] == round(40 / 7, 1)  # the case's own dates decide the stay
    assert "school_ecfmg_eligible" not in case.profile  # an empty cell stays unknown
    assert case.profile["start_date"] == "2027-07-05" and case.starts.isoformat() == "2027-07-05"
    assert f'href="/workspace/cases/{case.pk}/"' in page.content.decode()


@pytest.mark.parametrize("header, row, field, words", [
    ("trainee_name,home_country,stage,pathway_id,favourite_colour", "A,UG,student,b1-elective,blue",
     "favourite_colour", "unknown column"),
    ("trainee_name,home_country,stage,pathway_id,final_year", "A,UG,student,b1-elective,maybe", "final_year",
     "accepted: true or false"),
    ("trainee_name,home_country,stage,pathway_id,profile,final_year",
     'A,UG,student,b1-elective,"{""final_year"": true}",true', "profile", "give it once"),
    ("trainee_name,home_country,stage,pathway_id,citizenships", "A,UG,student,b1-elective,UG;ZZ", "profile", "ZZ"),
])
def test_a_bad_cell_names_its_line_and_column_and_imports_nothing(client, header, row, field, words):
    page = _post(client, f"{header}\n{row}\n")
    body = page.content.decode()
    assert page.status_code == 400 and field in body and words in body
    assert not Case.objects.filter(trainee_name="A").exists()
