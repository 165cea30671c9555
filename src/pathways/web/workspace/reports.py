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
    partner: str
    year: int
    inbound_heads: int
    outbound_heads: int
    inbound_weeks: Decimal
    outbound_weeks: Decimal
    inbound_usd: Decimal
    outbound_usd: Decimal

    @property
    def funding_ratio(self) -> float | None:
        """Inbound over outbound dollars: the article asks for funding proportional to outbound."""
        return float(self.inbound_usd / self.outbound_usd) if self.outbound_usd else None


def reciprocity(institution) -> list[ReciprocityRow]:
    rows: dict[tuple[str, int], ReciprocityRow] = {}
    for e in Exchange.objects.filter(institution=institution).select_related("partner"):
        key = (e.partner.name, e.year)
        row = rows.setdefault(key, ReciprocityRow(e.partner.name, e.year, 0, 0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)))
        side = "inbound" if e.direction == "inbound" else "outbound"
        setattr(row, f"{side}_heads", getattr(row, f"{side}_heads") + e.heads)
        setattr(row, f"{side}_weeks", getattr(row, f"{side}_weeks") + e.trainee_weeks)
        setattr(row, f"{side}_usd", getattr(row, f"{side}_usd") + e.usd)
    return sorted(rows.values(), key=lambda r: (r.partner, -r.year))


def reciprocity_csv(rows: list[ReciprocityRow]) -> str:
    """The reciprocity table as CSV, safe to open in a spreadsheet (spreadsheet.py: a partner
    named `=HYPERLINK(...)` stays text)."""
    header = ["partner", "year", "inbound_heads", "outbound_heads", "inbound_weeks", "outbound_weeks",
              "inbound_usd", "outbound_usd", "inbound_to_outbound_funding_ratio"]
    return csv_text(header, ([r.partner, r.year, r.inbound_heads, r.outbound_heads, r.inbound_weeks, r.outbound_weeks,
                              r.inbound_usd, r.outbound_usd, "" if r.funding_ratio is None else f"{r.funding_ratio:.2f}"]
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
