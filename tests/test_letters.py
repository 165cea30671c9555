"""Letters (docs/contract.md section 7): every kind rendered as PDF and DOCX for every pathway
that needs it and read back; missing and wrong fields named; identity numbers refused; edits;
refusals; the lints of letter templates; the CLI's contract."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from pathways.documents.data import LetterDataError
from pathways.documents.docx import docx
from pathways.documents.html import pdf
from pathways.rules.identity import find as identity_number
from pathways.rules.letter_template import long_date
from pathways.rules.location import KNOWLEDGE_ROOT
from pathways.rules.yaml12 import load as load_yaml12

from .test_cli import run

EXAMPLES = Path(__file__).resolve().parent / "letters"
CONTRACT_KINDS = ("b1-elective-acceptance", "observership-invitation", "five-points-certification",
                  "mbc-2111-appointment", "mbc-2113-faculty", "mbc-2168-sponsorship", "h1b-support",
                  "affiliation-agreement", "incidental-contact-attestation")
ON = date(2027, 5, 3)


def example(kind: str) -> dict:
    return load_yaml12((EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def docx_text(content: bytes) -> str:
    from docx import Document

    return squash(" ".join(p.text for p in Document(io.BytesIO(content)).paragraphs))


def needing(engine) -> list[tuple[str, str]]:
    return [(k["kind"], p) for k in engine.letters() for p in k["pathways"]]


def test_the_contract_s_kinds_are_all_shipped_each_with_example_data(engine):
    kinds = {k["kind"] for k in engine.letters()}
    assert set(CONTRACT_KINDS) <= kinds
    for kind in kinds:
        assert (EXAMPLES / f"{kind}.yaml").exists(), f"tests/letters/{kind}.yaml: example data for every kind"


def test_every_kind_is_needed_by_some_pathway_and_each_pathway_it_names_exists(engine):
    for described in engine.letters():
        assert described["pathways"], described["kind"]
        assert set(described["pathways"]) <= set(engine.kb.pathways)


@pytest.mark.parametrize("kind", CONTRACT_KINDS)
def test_every_kind_renders_as_pdf_and_docx_for_every_pathway_that_needs_it(engine, kind):
    data = example(kind)
    pathways = [p for k, p in needing(engine) if k == kind]
    assert pathways
    for pathway in pathways:
        letter = engine.letter(kind, dict(data, pathway=pathway), ON)
        expected = [data["trainee"]["name"], data["host"]["institution"]]
        if data.get("training", {}).get("start"):
            expected += [long_date(date.fromisoformat(str(data["training"]["start"]))),
                         long_date(date.fromisoformat(str(data["training"]["end"])))]
        rules = [r["label"] for r in letter.references]
        assert rules, f"{kind} cites no rule"
        for text in (pdf_text(pdf(letter)), docx_text(docx(letter))):
            for wanted in expected + rules[:1]:
                assert squash(wanted) in text, (kind, pathway, wanted)
        # what the letter says (its references are the knowledge base's addresses, not the case's)
        said = [letter.subject, *letter.letterhead, *letter.refusals,
                *(p.text or " ".join(p.items) for b in letter.blocks for p in b.paragraphs)]
        assert all(identity_number(text) is None for text in said), kind


def test_a_letter_read_back_holds_the_trainee_the_dates_the_host_and_the_rule(engine):
    letter = engine.letter("b1-elective-acceptance", dict(example("b1-elective-acceptance"), pathway="b1-elective"), ON)
    for text in (pdf_text(pdf(letter)), docx_text(docx(letter))):
        assert "Aisha Nakato" in text and "University of California, San Francisco" in text
        assert "5 July 2027" in text and "13 August 2027" in text and "6 weeks" in text
        assert "9 FAM 402.2-5" in text and "16 CCR 1327" in text
        assert "issued a B-1 visa" in text  # the pathway's own visa, not "B-1 or WB"
    wb = engine.letter("b1-elective-acceptance", dict(example("b1-elective-acceptance"), pathway="vwp-business-elective"), ON)
    assert "Visa Waiver Program as a business visitor (WB)" in wb.text()


def test_the_docx_says_which_kind_and_version_it_was_made_from(engine):
    from docx import Document

    letter = engine.letter("b1-elective-acceptance", example("b1-elective-acceptance"), ON)
    props = Document(io.BytesIO(docx(letter))).core_properties
    assert props.keywords == f"b1-elective-acceptance; version {letter.version}"


def test_a_missing_field_is_named_each_on_its_own(engine):
    data = example("b1-elective-acceptance")
    del data["host"]["signatory"], data["training"]["end"]
    with pytest.raises(LetterDataError) as error:
        engine.letter("b1-elective-acceptance", data, ON)
    fields = [p.field for p in error.value.problems]
    assert fields == ["host.signatory", "training.end"]


@pytest.mark.parametrize("change, field", [
    (lambda d: d["training"].update(start="2027-13-01"), "training.start"),
    (lambda d: d["training"].update(end="2027-06-01"), "training.end"),  # before the start
    (lambda d: d["trainee"].update(home_country="XX"), "trainee.home_country"),
    (lambda d: d["host"].update(supervisor="Dr. Lopez"), "host.supervisor"),
    (lambda d: d["host"]["supervisor"].pop("title"), "host.supervisor"),
    (lambda d: d["funding"].update(by="the hospital"), "funding.by"),
    (lambda d: d.update(profile={"stage": "resident"}), "profile.stage"),
    (lambda d: d.update(trainnee={"name": "typo"}), "trainnee"),
    (lambda d: d.update(pathway="h1b-2113"), "pathway"),  # a pathway that does not need this letter
    (lambda d: d.update(edits={"no-pay": "We may pay a stipend."}), "edits.no-pay"),  # not editable
])
def test_a_wrong_field_is_named_with_what_is_accepted(engine, change, field):
    data = example("b1-elective-acceptance")
    change(data)
    with pytest.raises(LetterDataError) as error:
        engine.letter("b1-elective-acceptance", data, ON)
    assert field in [p.field for p in error.value.problems], error.value.problems


@pytest.mark.parametrize("where, value", [
    (("trainee", "name"), "Aisha Nakato SSN 123-45-6789"),
    (("training", "description"), "Her passport number is B1234567."),
    (("trainee", "passport_number"), "B1234567"),
])
def test_a_letter_never_holds_an_identity_number(engine, where, value):
    data = example("b1-elective-acceptance")
    data[where[0]][where[1]] = value
    with pytest.raises(LetterDataError) as error:
        engine.letter("b1-elective-acceptance", data, ON)
    assert any(p.field.startswith(".".join(where)) and "SSN, ITIN or passport" in p.message for p in error.value.problems)
    with pytest.raises(LetterDataError):
        engine.letter("b1-elective-acceptance", dict(example("b1-elective-acceptance"),
                                                      edits={"closing": "Call about passport A12345678 please."}), ON)


def test_an_editable_clause_takes_the_coordinator_s_words_as_text_never_as_a_template(engine):
    data = dict(example("b1-elective-acceptance"), edits={"closing": "Write to {{ trainee.name }} care of our office."})
    letter = engine.letter("b1-elective-acceptance", data, ON)
    closing = next(b for b in letter.blocks if b.id == "closing")
    assert closing.edited and closing.paragraphs[0].text == "Write to {{ trainee.name }} care of our office."
    assert "Please contact Dr. James Chen" in closing.source  # the text as written, for the form
    assert "{{ trainee.name }}" in docx_text(docx(letter))


def test_a_paid_elective_is_refused_without_signature_blocks(engine):
    data = example("b1-elective-acceptance")
    data["funding"]["stipend_usd"] = 500
    letter = engine.letter("b1-elective-acceptance", data, ON)
    assert letter.refused and "$500" in letter.refusals[0]
    assert not letter.signatures and not any(b.id == "no-pay" for b in letter.blocks)
    assert "Not certified" in pdf_text(pdf(letter))


def test_the_attestation_refuses_once_the_threshold_is_crossed(engine):
    within = engine.letter("incidental-contact-attestation", example("incidental-contact-attestation"), ON)
    crossed = engine.letter("incidental-contact-attestation", example("incidental-contact-attestation-crossed"), ON)
    assert not within.refused and within.signatures
    assert crossed.refused and not crossed.signatures
    attesting = {c.id for c in engine.letter_kinds()["incidental-contact-attestation"].template.clauses if c.attests}
    assert attesting and attesting <= {b.id for b in within.blocks}
    assert not attesting & {b.id for b in crossed.blocks}
    text = pdf_text(pdf(crossed))
    assert "Not certified" in text and "Signature" not in text


# The CLI (contract section 7) ---------------------------------------------------------------

def test_cli_writes_pdf_and_docx_and_lists_the_kinds_as_json(tmp_path):
    data = EXAMPLES / "b1-elective-acceptance.yaml"
    for suffix, read in ((".pdf", pdf_text), (".docx", docx_text)):
        out = tmp_path / f"letter{suffix}"
        result = run("letter", "b1-elective-acceptance", "--data", data, "-o", out, "--date", "2027-05-03")
        assert result.returncode == 0, result.stderr
        text = read(out.read_bytes())
        assert "Aisha Nakato" in text and "3 May 2027" in text
    listed = json.loads(run("letter", "--list", "--json").stdout)
    kinds = {k["kind"]: k for k in listed}
    assert set(CONTRACT_KINDS) <= set(kinds)
    assert "host.signatory" in kinds["b1-elective-acceptance"]["required"]
    assert all({"field", "type", "required"} <= set(f) for k in listed for f in k["fields"])


def test_cli_names_each_missing_field_and_exits_2(tmp_path):
    data = example("b1-elective-acceptance")
    del data["host"]["signatory"], data["trainee"]["home_country"]
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run("letter", "b1-elective-acceptance", "--data", path, "-o", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["trainee.home_country", "host.signatory"]
    assert not out.exists() and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, wanted", [
    (("letter", "no-such-kind", "--data", EXAMPLES / "b1-elective-acceptance.yaml", "-o", "x.pdf"), "KIND"),
    (("letter", "b1-elective-acceptance", "--data", "/no/such/file.yaml", "-o", "x.pdf"), "--data"),
    (("letter", "b1-elective-acceptance", "--data", EXAMPLES / "b1-elective-acceptance.yaml", "-o", "x.txt"), "-o"),
    (("letter", "b1-elective-acceptance", "--data", EXAMPLES / "b1-elective-acceptance.yaml", "-o", "x.pdf",
      "--date", "someday"), "--as-of"),
])
def test_cli_refuses_bad_arguments_with_the_argument_named(args, wanted, tmp_path):
    result = run(*args)
    assert result.returncode == 2 and result.stderr.startswith(wanted) and "Traceback" not in result.stderr


def test_cli_writes_the_refusal_and_exits_1_when_the_attestation_cannot_attest(tmp_path):
    out = tmp_path / "attestation.pdf"
    result = run("letter", "incidental-contact-attestation", "--data",
                 EXAMPLES / "incidental-contact-attestation-crossed.yaml", "-o", out)
    assert result.returncode == 1 and "not certified" in result.stderr
    assert "Not certified" in pdf_text(out.read_bytes())


# The lints, on a copy of the knowledge base --------------------------------------------------

@pytest.fixture()
def draft(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    return root


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("file, change, message", [
    ("template.yaml", lambda d: d["clauses"][0].update(text="{{ trainee.nickname }} is welcome."), "trainee.nickname"),
    ("template.yaml", lambda d: d["clauses"][0].update(text="{% if %}"), "not a valid template"),
    ("template.yaml", lambda d: d["clauses"][0].update(cite=["no-such-source"]), "no-such-source"),
    ("template.yaml", lambda d: d["signers"][0].update(field="training.start"), "not a field of type person"),
    ("letter.yaml", lambda d: d["needed_by"].update(steps=["no-such-step"]), "no-such-step"),
    ("letter.yaml", lambda d: d["needed_by"].update(visas=["z-9"]), "z-9"),
    ("letter.yaml", lambda d: d.update(colour="blue"), "colour"),
    ("fields.yaml", lambda d: d["funding.by"].update(values=[]), "a choice needs values"),
])
def test_kb_check_names_the_letter_file_and_what_is_wrong(draft, file, change, message):
    _edit(draft / "letters" / "b1-elective-acceptance" / file, change)
    result = run("kb", "check", env={"PATHWAYS_KNOWLEDGE_DIR": str(draft)})
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert any(f"letters/b1-elective-acceptance/{file}" in line and message in line for line in errors), result.stdout


def test_adding_a_kind_is_adding_a_folder(draft):
    shutil.copytree(draft / "letters" / "b1-elective-acceptance", draft / "letters" / "b1-elective-reminder")
    _edit(draft / "letters" / "b1-elective-reminder" / "letter.yaml", lambda d: d.update(id="b1-elective-reminder"))
    assert run("kb", "check", env={"PATHWAYS_KNOWLEDGE_DIR": str(draft)}).returncode == 0
    listed = json.loads(run("letter", "--list", "--json", env={"PATHWAYS_KNOWLEDGE_DIR": str(draft)}).stdout)
    assert "b1-elective-reminder" in {k["kind"] for k in listed}


def test_the_shipped_letters_lint_clean(engine):
    from pathways.rules.letter_lint import lint_letters

    assert [str(p) for p in lint_letters(engine.kb, KNOWLEDGE_ROOT) if p.severity == "error"] == []


def test_letters_for_a_pathway_link_the_steps_they_serve(engine):
    found = {k["kind"]: k for k in engine.letters_for("b1-elective")}
    assert found["b1-elective-acceptance"]["steps"] == ["host-letter", "elective-application"]
    assert "b1-elective-acceptance" not in {k["kind"] for k in engine.letters_for("b1-observership")}


def test_the_plan_names_the_letter_under_the_steps_it_serves():
    result = run("plan", Path(__file__).resolve().parent.parent / "examples" / "kampala-final-year-student.yaml",
                 "b1-elective", "--as-of", "2027-01-04")
    assert result.returncode == 0, result.stderr
    steps = result.stdout.split("\n1. ")[1].split("\n## ")[0].split("\n2. ")
    assert "`pathways letter b1-elective-acceptance`" in steps[0]  # elective-application
    assert "`pathways letter b1-elective-acceptance`" not in result.stdout.split("**Book and make the journey")[1]
