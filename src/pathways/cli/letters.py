"""`pathways letter`: a letter kind filled in from a YAML file (docs/contract.md section 7).

Exit codes: 0 for a letter written; 2 for input that cannot be used (an unknown kind, a field
missing or wrong: one line per field on standard error, naming it); 1 when the document
refuses to certify (an attestation whose threshold was crossed): the refusal is written to
OUT all the same, so the coordinator has it, and said on standard error.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer

FORMATS = (".pdf", ".docx")


def _read_data(path: str) -> dict:
    from pathways import LimitError, YAMLError, load_yaml

    from .app import _fail

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        _fail([f"--data: cannot read {path}: {error.strerror}"])
    except UnicodeDecodeError:
        _fail([f"--data: {path} is not UTF-8 text"])
    try:
        data = load_yaml(text, "--data")
    except LimitError as error:
        _fail([f"{p.field}: {p.message}" for p in error.problems])
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        _fail([f"--data: not valid YAML{where}: {getattr(error, 'problem', error)}"])
    if not isinstance(data, dict):
        _fail(["--data: expected a mapping of the letter's fields (trainee, host, training, ...): docs/contract.md section 7"])
    return data


def _list(as_json: bool) -> None:
    from .app import _engine, _json

    kinds = _engine().letters()
    if as_json:
        _json(kinds)
        return
    from rich.text import Text

    from .layout import Col, console, print_table

    # kinds, pathway ids and field names are what `letter` and the data file take: never broken
    columns = [Col("kind", "id"), Col("document", "id"), Col("for pathways", "id"), Col("fields it needs", "id")]
    rows = [[Text(k["kind"]), Text(k["document"]), Text(", ".join(k["pathways"])), Text(", ".join(k["required"]))]
            for k in kinds]
    print_table(console(), columns, rows, plain=True, spaced=True)


def letter(
    kind: Optional[str] = typer.Argument(None, metavar="KIND", help="A letter kind (see --list)."),
    data: Optional[str] = typer.Option(None, "--data", help="The letter's data: a YAML file (docs/contract.md section 7), or - for standard input."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="The file to write: OUT.pdf or OUT.docx."),
    pathway: Optional[str] = typer.Option(None, "--pathway", help="The pathway the letter is for (else the data's `pathway`, if any)."),
    on: Optional[str] = typer.Option(None, "--date", help="The letter's date (default: the data's `date`, else today)."),
    list_kinds: bool = typer.Option(False, "--list", help="List the letter kinds and the fields each needs."),
    as_json: bool = typer.Option(False, "--json", help="With --list: the kinds as JSON."),
) -> None:
    """Write a letter (PDF or DOCX) from its data: B-1 elective acceptance, Five Points, Medical Board letters..."""
    from .app import _as_of, _engine, _fail

    if list_kinds:
        _list(as_json)
        return
    if kind is None:
        _fail(["KIND: give a letter kind, or --list to see them"])
    if data is None:
        _fail(["--data: give the letter's data file (YAML), or - for standard input"])
    if out is None or out.suffix.lower() not in FORMATS:
        _fail([f"-o: give the file to write, ending in {' or '.join(FORMATS)}"])
    day = _as_of(on) if on else None
    found = _read_data(data)
    if pathway:
        found["pathway"] = pathway
    made = _compose(_engine(), kind, found, day)
    _write(made, out)
    if made.refused:
        for text in made.refusals:
            sys.stderr.write(f"not certified: {text}\n")
        sys.stderr.write(f"wrote the refusal, without signature blocks, to {out}\n")
        raise typer.Exit(1)
    sys.stdout.write(f"wrote {out} ({made.name}, template version {made.version})\n")


def _compose(engine, kind: str, data: dict, day: date | None):
    from pathways import LetterDataError, UnknownLetterKind

    from .app import _fail

    try:
        return engine.letter(kind, data, day)
    except UnknownLetterKind as error:
        _fail([f"KIND: {error}"])
    except LetterDataError as error:
        _fail([str(p) for p in error.problems])


def _write(made, out: Path) -> None:
    from pathways import letter_docx, letter_pdf

    from .app import _fail

    content = letter_pdf(made) if out.suffix.lower() == ".pdf" else letter_docx(made)
    try:
        out.write_bytes(content)
    except OSError as error:
        _fail([f"-o: cannot write {out}: {error.strerror}"])
