"""CSV import of cases and partners, checked row by row. A file with any bad row imports
nothing unless asked to import the valid rows only."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db import transaction

from pathways import MAX_PROFILE_CHARS, LimitError, ProfileError, YAMLError, load_yaml, loads_json
from . import sensitive
from .cases import create_case
from .forms import PartnerForm, checked_profile
from .models import Case, Partner
from .models.partners import IncomeGroup

CASE_COLUMNS = ["trainee_name", "trainee_email", "home_country", "stage", "pathway_id", "profile", "starts", "ends",
                "evaluated_on", "home_institution"]
PARTNER_COLUMNS = ["name", "country", "income_group", "income_group_year"]
REQUIRED = {"cases": ["trainee_name", "home_country", "stage", "pathway_id"], "partners": ["name", "country"]}
# The case's own columns in the template; then one column per profile field (docs/contract.md
# section 1, `host.KEY` for the host's), as the simulator reads CSV populations.
TEMPLATE_CASE_COLUMNS = ["trainee_name", "trainee_email", "home_country", "home_institution", "pathway_id", "starts",
                         "ends", "evaluated_on"]


def profile_columns() -> list[str]:
    from ..engine import get_engine

    return list(get_engine().facts())


def case_template() -> str:
    """The header of a case import: the case's columns, then every profile field (`stage` once:
    it is both)."""
    return ",".join(TEMPLATE_CASE_COLUMNS + profile_columns()) + "\r\n"
# Bounds. The workspace's upload view refuses a file over 5 MB before decoding it
# (views_data.MAX_BYTES); the importers check the text again for their other callers.
MAX_FILE_CHARS = 5 * 1024 * 1024
MAX_CELL_CHARS = {"profile": MAX_PROFILE_CHARS}  # a whole profile, YAML or JSON, in one cell
MAX_OTHER_CHARS = 1_000  # a name, an address, a code, a date


@dataclass
class RowError:
    row: int  # the line of the file (the header is line 1)
    field: str
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0
    made: list = field(default_factory=list)  # the records imported, for the page to link

    @property
    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors}


def _rows(text: str, kind: str, result: ImportResult) -> list[tuple[int, dict]]:
    if len(text) > MAX_FILE_CHARS:
        result.errors.append(RowError(1, "(file)", f"{len(text):,} characters; accepted: at most {MAX_FILE_CHARS:,}"))
        return []
    _lift_csv_field_limit()
    reader = csv.DictReader(io.StringIO(text))
    reading = 1  # the row being read, for the message should the reader fail
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        reading = 2
        missing = [c for c in REQUIRED[kind] if c not in header]
        known = CASE_COLUMNS + profile_columns() if kind == "cases" else PARTNER_COLUMNS
        unknown = [c for c in header if c and c not in known]
        hint = ("the case's columns and one per profile field (download the template)" if kind == "cases"
                else ", ".join(PARTNER_COLUMNS))
        if missing:
            result.errors.append(RowError(1, ",".join(missing), f"missing column(s); accepted: {hint}"))
            return []
        if unknown:  # reported, and the rows still read: their identity numbers are refused all the same
            result.errors.append(RowError(1, ",".join(unknown), f"unknown column(s), not imported; accepted: {hint}"))
        rows = []
        for number, row in enumerate(reader, start=2):
            reading = number + 1
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append((number, {k: (v or "").strip() for k, v in row.items() if k and isinstance(v, str)}))
            result.errors += _oversized(number, rows[-1][1])
            result.errors += [RowError(number, f, m) for f, m in sensitive.row_problems(rows[-1][1])]
    except csv.Error as error:  # past this point the reader cannot say where rows begin: nothing is imported
        result.errors.append(RowError(reading, "(file)", f"not readable as CSV ({error}); nothing was imported"))
        return []
    result.rows = len(rows)
    return [(n, r) for n, r in rows if n not in result.bad_rows]  # a row with an SSN, ITIN or passport number: refused


def _lift_csv_field_limit() -> None:
    """csv's own cap on a field (131,072 characters) fails the whole file with a csv.Error that
    names neither row nor column. It is raised to the file's cap, so that `_oversized` checks
    each cell and names both. The cap is the csv module's, for the whole process: it is only
    ever raised, and MAX_FILE_CHARS bounds what any field can hold anyway."""
    if csv.field_size_limit() < MAX_FILE_CHARS:
        csv.field_size_limit(MAX_FILE_CHARS)


def _oversized(number: int, row: dict) -> list[RowError]:
    """A row error for each cell longer than its column accepts."""
    return [RowError(number, name, f"{len(value):,} characters; accepted: at most {limit:,}")
            for name, value in row.items() if len(value) > (limit := MAX_CELL_CHARS.get(name, MAX_OTHER_CHARS))]


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(f"{name}: {value!r} is not an ISO date such as 2027-09-01") from None


def _profile_data(text: str):
    """A profile cell: JSON, or else YAML read as YAML 1.2 (`{citizenships: [NO]}` is Norway);
    the JSON error when it is neither. Either is read within rules/nesting.py's limits: past
    them, a ProfileError (LimitError is one) naming the column and the limit."""
    try:
        return loads_json(text, "profile")
    except json.JSONDecodeError as error:
        json_error = error
    try:
        return load_yaml(text, "profile")
    except LimitError:
        raise
    except YAMLError:
        raise json_error from None


def _row_profile(row: dict, problems: list) -> dict:
    """The profile of a row: the `profile` cell (JSON or YAML) and the columns named by profile
    fields (`stage` is both a column of the case and a fact), a fact given both ways refused."""
    from pathways import profile_from_cells

    from ..engine import get_engine

    given = _profile_data(row["profile"]) if row.get("profile") else {}
    if not isinstance(given, dict):
        raise forms.ValidationError("expected the profile as a mapping of fields")
    cells, cell_problems = profile_from_cells(row, get_engine().facts())
    problems += cell_problems
    both = sorted(k for k in cells if k != "host" and k in given and k != "stage") + sorted(
        f"host.{k}" for k in cells.get("host", {}) if k in (given.get("host") or {}))
    if both:
        raise forms.ValidationError(f"{', '.join(both)}: given in the profile cell and in a column; give it once")
    merged = {**given, **{k: v for k, v in cells.items() if k != "host"}}
    if cells.get("host"):
        merged["host"] = {**(given.get("host") or {}), **cells["host"]}
    return merged


def _case_row(institution, row: dict, pathways: set[str]) -> tuple[dict | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    for name in REQUIRED["cases"]:
        if not row.get(name):
            problems.append((name, "required"))
    values: dict = {"trainee_name": row.get("trainee_name", ""), "trainee_email": row.get("trainee_email", ""),
                    "home_country": row.get("home_country", "").upper(), "stage": row.get("stage", ""),
                    "pathway_id": row.get("pathway_id", "")}
    longest = Case._meta.get_field("trainee_name").max_length  # PostgreSQL refuses longer with an error (a 500)
    if len(values["trainee_name"]) > longest:
        problems.append(("trainee_name", f"{len(values['trainee_name']):,} characters; accepted: at most {longest}"))
    if values["stage"] and values["stage"] not in ("student", "graduate"):
        problems.append(("stage", "expected student or graduate"))
    if values["home_country"] and len(values["home_country"]) != 2:
        problems.append(("home_country", "expected a two-letter country code"))
    if values["trainee_email"]:
        try:
            forms.EmailField().clean(values["trainee_email"])
        except forms.ValidationError:
            problems.append(("trainee_email", "not an email address"))
    if values["pathway_id"] and values["pathway_id"] not in pathways:
        problems.append(("pathway_id", f"{values['pathway_id']!r} is not a pathway"))
    for name in ("starts", "ends", "evaluated_on"):
        try:
            values[name] = _date(row.get(name, ""), name)
        except forms.ValidationError as error:
            problems.append((name, error.messages[0]))
    try:
        values["profile"] = checked_profile(_row_profile(row, problems))
    except json.JSONDecodeError as error:
        problems.append(("profile", f"not valid JSON: {error}"))
    except ProfileError as error:  # past a limit: too deep or too large
        problems += [("profile", p.message) for p in error.problems]
    except forms.ValidationError as error:
        problems += [("profile", m) for m in error.messages]
    if row.get("home_institution"):
        partner = Partner.objects.filter(institution=institution, name=row["home_institution"]).first()
        if partner is None:
            problems.append(("home_institution", f"no partner named {row['home_institution']!r}"))
        values["home_institution"] = partner
    if not problems and values.get("starts") and not values["profile"].get("start_date"):
        values["profile"]["start_date"] = values["starts"].isoformat()
    return (None if problems else values), problems


def import_cases(institution, user, text: str, import_valid_rows: bool = False) -> ImportResult:
    from ..engine import get_engine

    result = ImportResult("cases")
    pathways = set(get_engine().pathway_ids())
    good = []
    for number, row in _rows(text, "cases", result):
        values, problems = _case_row(institution, row, pathways)
        result.errors += [RowError(number, f, m) for f, m in problems]
        if values:
            good.append(values)
    if result.errors and not import_valid_rows:
        return result
    with transaction.atomic():
        for values in good:
            as_of = values.pop("evaluated_on") or date.today()
            result.made.append(create_case(institution, user, as_of=as_of, **values))
            result.imported += 1
    return result


def import_partners(institution, user, text: str, import_valid_rows: bool = False) -> ImportResult:
    result = ImportResult("partners")
    good, names = [], set()
    for number, row in _rows(text, "partners", result):
        data = {k: row.get(k, "") for k in PARTNER_COLUMNS}
        if data["income_group"] and data["income_group"] not in IncomeGroup.values:
            labels = {label.lower(): value for value, label in IncomeGroup.choices}
            data["income_group"] = labels.get(data["income_group"].lower(), data["income_group"])
        form = PartnerForm(data, institution=institution)
        if not form.is_valid():
            result.errors += [RowError(number, f, m) for f, ms in form.errors.items() for m in ms]
            continue
        if form.cleaned_data["name"] in names:
            result.errors.append(RowError(number, "name", "the same name appears earlier in the file"))
            continue
        names.add(form.cleaned_data["name"])
        good.append(form)
    if result.errors and not import_valid_rows:
        return result
    with transaction.atomic():
        for form in good:
            partner = form.save(commit=False)
            partner.institution = institution
            partner.save()
            result.made.append(partner)
            result.imported += 1
    return result


IMPORTERS = {"cases": import_cases, "partners": import_partners}
