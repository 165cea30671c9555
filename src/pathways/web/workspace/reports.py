"""The reports a dean or a partner asks for: reciprocity per partner and year, incidental
contact against the institution's threshold, agreements that expire or do not cover a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .models import Agreement, Case, ContactLog, Exchange
from .spreadsheet import csv_text


def pathways_needing_agreement(engine) -> set[str]:
    """Pathways that a host program of the knowledge base runs through affiliation agreements."""
    return {p["id"] for p in engine.pathways() if p["needs_agreement"]}


def pathways_with_incidental_contact(engine) -> set[str]:
    """Pathways whose contact must stay incidental: the ones whose weekly contact is logged."""
    return {p["id"] for p in engine.pathways() if p["patient_contact"] == "incidental"}


@dataclass
class ReciprocityRow:
    """A partner's year, each way. Inbound heads and weeks count the exchanges recorded by hand
    and the workspace's own cases of the partner's trainees (`inbound_cases`, of the heads, and
    `inbound_case_weeks`, of the weeks); dollars are the recorded exchanges' only."""

    partner: str
    year: int
    inbound_heads: int
    outbound_heads: int
    inbound_weeks: Decimal
    outbound_weeks: Decimal
    inbound_usd: Decimal
    outbound_usd: Decimal
    inbound_cases: int = 0
    inbound_case_weeks: Decimal = Decimal(0)

    @property
    def funding_ratio(self) -> float | None:
        """Inbound over outbound dollars: the article asks for funding proportional to outbound."""
        return float(self.inbound_usd / self.outbound_usd) if self.outbound_usd else None


def case_weeks(starts: date | None, ends: date | None) -> Decimal:
    """A case's training in weeks, to a tenth (none when a date is missing)."""
    if not starts or not ends or ends < starts:
        return Decimal(0)
    return (Decimal((ends - starts).days) / 7).quantize(Decimal("0.1"))


def reciprocity(institution) -> list[ReciprocityRow]:
    """Per partner and year: the exchanges recorded each way, and as inbound the institution's
    cases (open or closed) whose home institution is the partner, in the year their training
    starts (a case with no start date is not counted: `uncounted_cases` says how many)."""
    rows: dict[tuple[str, int], ReciprocityRow] = {}

    def row(partner: str, year: int) -> ReciprocityRow:
        return rows.setdefault((partner, year), ReciprocityRow(partner, year, 0, 0, Decimal(0), Decimal(0), Decimal(0),
                                                               Decimal(0)))

    for e in Exchange.objects.filter(institution=institution).select_related("partner"):
        r = row(e.partner.name, e.year)
        side = "inbound" if e.direction == "inbound" else "outbound"
        setattr(r, f"{side}_heads", getattr(r, f"{side}_heads") + e.heads)
        setattr(r, f"{side}_weeks", getattr(r, f"{side}_weeks") + e.trainee_weeks)
        setattr(r, f"{side}_usd", getattr(r, f"{side}_usd") + e.usd)
    cases = (Case.objects.filter(institution=institution, home_institution__isnull=False, starts__isnull=False)
             .order_by().values_list("home_institution__name", "starts", "ends"))
    for partner, starts, ends in cases.iterator(chunk_size=2000):
        r, weeks = row(partner, starts.year), case_weeks(starts, ends)
        r.inbound_heads += 1
        r.inbound_cases += 1
        r.inbound_weeks += weeks
        r.inbound_case_weeks += weeks
    return sorted(rows.values(), key=lambda r: (r.partner, -r.year))


def uncounted_cases(institution) -> int:
    """Cases of a partner's trainees that reciprocity cannot place in a year (no start date)."""
    return Case.objects.filter(institution=institution, home_institution__isnull=False, starts__isnull=True).count()


def reciprocity_csv(rows: list[ReciprocityRow]) -> str:
    """The reciprocity table as CSV, safe to open in a spreadsheet (spreadsheet.py: a partner
    named `=HYPERLINK(...)` stays text). `inbound_cases` and `inbound_case_weeks`: the part of
    the inbound heads and weeks that are the workspace's own cases."""
    header = ["partner", "year", "inbound_heads", "outbound_heads", "inbound_weeks", "outbound_weeks",
              "inbound_usd", "outbound_usd", "inbound_cases", "inbound_case_weeks",
              "inbound_to_outbound_funding_ratio"]
    return csv_text(header, ([r.partner, r.year, r.inbound_heads, r.outbound_heads, r.inbound_weeks, r.outbound_weeks,
                              r.inbound_usd, r.outbound_usd, r.inbound_cases, r.inbound_case_weeks,
                              "" if r.funding_ratio is None else f"{r.funding_ratio:.2f}"]
                             for r in rows))


@dataclass
class ContactReport:
    case: Case
    weeks: list[ContactLog]
    threshold_pct: int

    @property
    def patient_hours(self) -> Decimal:
        return sum((w.patient_contact_hours for w in self.weeks), Decimal(0))

    @property
    def total_hours(self) -> Decimal:
        return sum((w.total_hours for w in self.weeks), Decimal(0))

    @property
    def share_pct(self) -> float:
        return float(self.patient_hours / self.total_hours * 100) if self.total_hours else 0.0

    @property
    def crossed(self) -> bool:
        return self.share_pct > self.threshold_pct

    @property
    def weeks_over(self) -> list[ContactLog]:
        return [w for w in self.weeks if w.patient_share_pct > self.threshold_pct]


def contact_report(case: Case) -> ContactReport:
    return ContactReport(case, list(case.contact_logs.all()), case.institution.incidental_threshold_pct)


@dataclass
class Crossed:
    """An open case whose logged patient contact is past the institution's threshold."""

    case: Case
    patient_hours: Decimal
    total_hours: Decimal
    threshold_pct: int

    @property
    def share_pct(self) -> float:
        return float(self.patient_hours / self.total_hours * 100)


def crossed_thresholds(institution) -> list[Crossed]:
    """Open cases whose incidental-contact log, in all, is past the threshold (the same test as
    ContactReport.crossed): one query sums each case's weeks and keeps only the cases past it, so
    the dashboard reads a row per crossed case, not per case with a log. Hours have one decimal:
    the test compares whole tenths of an hour, exact on SQLite's floating sums as on PostgreSQL's
    numeric ones; the highest share first."""
    from django.db.models import DecimalField, F, IntegerField, Sum
    from django.db.models.functions import Cast, Round

    def tenths(total):
        return Cast(Round(total * 10), IntegerField())

    hours = DecimalField(max_digits=12, decimal_places=1)  # a stay of years: more than ContactLog's 5 digits
    threshold = institution.incidental_threshold_pct
    over = (ContactLog.objects.filter(case__institution=institution, case__status=Case.Status.OPEN)
            .order_by().values("case_id")
            .annotate(patient=Sum("patient_contact_hours", output_field=hours),
                      total=Sum(F("patient_contact_hours") + F("teaching_hours") + F("research_hours")
                                + F("observation_hours"), output_field=hours))
            .alias(past=tenths(F("patient")) * 100 - tenths(F("total")) * threshold, logged=tenths(F("total")))
            .filter(logged__gt=0, past__gt=0))
    over = {r["case_id"]: r for r in over}
    cases = Case.objects.filter(pk__in=list(over)).defer("profile", "verdict").in_bulk()
    found = [Crossed(cases[pk], over[pk]["patient"], over[pk]["total"], threshold) for pk in over if pk in cases]
    return sorted(found, key=lambda c: (-c.share_pct, c.case.trainee_name, c.case.pk))


def expiring(institution, today: date, within_days: int = 90) -> list[Agreement]:
    horizon = today + timedelta(days=within_days)
    return list(Agreement.objects.filter(institution=institution, ends__isnull=False, ends__gte=today, ends__lte=horizon)
                .select_related("partner"))


def uncovered_cases(institution, needs_agreement: set[str]):
    """Open cases on a pathway that needs an affiliation agreement with no inbound agreement
    in force with the trainee's home institution on the start date (or the evaluation date).
    One query, however many cases."""
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.functions import Coalesce

    day = Coalesce(OuterRef("starts"), OuterRef("evaluated_on"))
    covering = Agreement.objects.filter(
        partner=OuterRef("home_institution"), starts__lte=day, direction__in=["inbound", "both"]).filter(
        Q(ends__isnull=True) | Q(ends__gte=day))
    return (Case.objects.filter(institution=institution, status=Case.Status.OPEN, pathway_id__in=needs_agreement)
            .defer("profile", "verdict").select_related("home_institution")
            .annotate(covered=Exists(covering)).filter(covered=False))
