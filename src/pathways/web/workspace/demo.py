"""`pathways demo`: a demonstration institution with members of each role, partners,
agreements (one expiring soon), exchanges both ways for two years and cases made from
realistic profiles (the examples and scenarios), one with an incidental-contact log.
Loading it again changes nothing but the passwords it is given."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from .cases import create_case, set_step_status
from .logs import log_week
from .members import create_member, institution_named
from .models import Agreement, Case, Exchange, Member, Partner

DEMO_INSTITUTION = "Demo Academic Medical Center"
DEMO_USERS = (("demo-admin", "administrator"), ("demo-coordinator", "coordinator"), ("demo-viewer", "viewer"))

PARTNERS = (
    # name, country, World Bank income group, its fiscal year
    ("Makerere University", "UG", "L", 2025),
    ("University of Lagos", "NG", "LM", 2025),
    ("University of Ghana", "GH", "LM", 2025),
    ("University of the Philippines Manila", "PH", "LM", 2025),
)

# The profiles of examples/ and tests/scenarios/ (the contract's fields only).
KAMPALA_STUDENT = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
                   "school_recognized_by_mbc": True, "current_us_status": "none", "desired_contact": "supervised",
                   "duration_weeks": 8, "host": {"dean_approved_elective": True, "affiliation_agreement": True}}
LAGOS_SURGEON = {"citizenships": ["NG"], "stage": "graduate", "postgraduate_years": 4, "practice_years": 2,
                 "home_license": True, "school_recognized_by_mbc": True, "ecfmg_certified": False, "usmle_passed": [],
                 "current_us_status": "none", "desired_contact": "supervised",
                 "host": {"visiting_fellow_appointment": True, "research_appointment": True}}
CANADIAN_PHYSICIAN = {"citizenships": ["CA"], "stage": "graduate", "postgraduate_years": 5, "practice_years": 9,
                      "home_license": True, "school_recognized_by_mbc": True, "ecfmg_certified": True,
                      "has_ssn_or_itin": False, "current_us_status": "none",
                      "host": {"faculty_appointment": True, "employment_sponsorship": True}}
FILIPINO_GRADUATE = {"citizenships": ["PH"], "stage": "graduate", "postgraduate_years": 1,
                     "school_recognized_by_mbc": True, "ecfmg_certified": True,
                     "usmle_passed": ["step1", "step2ck", "step3"], "current_us_status": "none",
                     "host": {"acgme_position": True, "employment_sponsorship": True}}
GHANAIAN_STUDENT = {"citizenships": ["GH"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
                    "school_recognized_by_mbc": True, "current_us_status": "none",
                    "host": {"dean_approved_elective": False, "affiliation_agreement": True}}
GHANAIAN_PHYSICIAN = {"citizenships": ["GH"], "stage": "graduate", "postgraduate_years": 5, "home_license": True,
                      "current_us_status": "none", "host": {"visiting_fellow_appointment": True,
                                                            "research_appointment": True}}


def new_password(username: str) -> str:
    """A random password of 20 URL-safe characters (120 bits) that the validators accept."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = get_user_model()(username=username, email=f"{username}@demo.example")
    while True:
        candidate = secrets.token_urlsafe(15)
        try:
            validate_password(candidate, user=user)
            return candidate
        except ValidationError:  # all digits, or like the username: vanishingly rare
            continue


@dataclass
class DemoResult:
    institution: object
    created: bool
    passwords: dict[str, str]  # username -> password, for the users given one this time
    cases: int


def _case(name, email, country, stage, profile, pathway, starts_in_days, weeks, partner, today):
    starts = today + timedelta(days=starts_in_days)
    return dict(trainee_name=name, trainee_email=email, home_country=country, stage=stage,
                profile={**profile, "start_date": starts.isoformat()}, pathway_id=pathway, starts=starts,
                ends=starts + timedelta(weeks=weeks), home_institution=partner)


def _cases(partners: dict, today: date) -> list[dict]:
    return [
        _case("Aisha Nakato", "a.nakato@students.mak.ac.ug", "UG", "student", KAMPALA_STUDENT, "b1-elective", 120, 8,
              partners["Makerere University"], today),
        _case("Chinedu Okafor", "c.okafor@unilag.edu.ng", "NG", "graduate", LAGOS_SURGEON, "j1-research-scholar-2111",
              200, 26, partners["University of Lagos"], today),
        _case("Claire Tremblay", "claire.tremblay@example.ca", "CA", "graduate", CANADIAN_PHYSICIAN, "tn-2113", -42, 52,
              None, today),
        _case("Jose Santos", "jsantos@up.edu.ph", "PH", "graduate", FILIPINO_GRADUATE, "h1b-ptl", 45, 52,
              partners["University of the Philippines Manila"], today),
        _case("Kwame Mensah", "k.mensah@ug.edu.gh", "GH", "student", GHANAIAN_STUDENT, "b1-elective", 60, 6,
              partners["University of Ghana"], today),
        _case("Ama Owusu", "a.owusu@ug.edu.gh", "GH", "graduate", GHANAIAN_PHYSICIAN, "j1-research-scholar-2111", 300,
              26, partners["University of Ghana"], today),
    ]


@transaction.atomic
def load_demo(password: str | None = None, today: date | None = None) -> DemoResult:
    """Create the demo institution once; with `password`, (re)set the demo users' passwords to it."""
    today = today or date.today()
    institution = institution_named(DEMO_INSTITUTION)
    passwords: dict[str, str] = {}
    for username, role in DEMO_USERS:
        exists = Member.objects.filter(user__username=username).exists()
        given = password or (None if exists else new_password(username))
        create_member(username, DEMO_INSTITUTION, role, given, email=f"{username}@demo.example",
                      check_password=True)  # the validators (12 characters at least) for the made ones too
        if given:
            passwords[username] = given
    if Case.objects.filter(institution=institution).exists():
        return DemoResult(institution, False, passwords, Case.objects.filter(institution=institution).count())

    partners = {}
    for name, country, group, year in PARTNERS:
        partners[name], _ = Partner.objects.get_or_create(
            institution=institution, name=name,
            defaults={"country": country, "income_group": group, "income_group_year": year})
    agreements = [
        ("Makerere University", "taa", "both", today - timedelta(days=700), today + timedelta(days=60), 4),
        ("University of Lagos", "mou", "both", today - timedelta(days=400), today + timedelta(days=1100), 2),
        ("University of the Philippines Manila", "taa", "inbound", today - timedelta(days=200),
         today + timedelta(days=900), 3),
    ]
    for name, kind, direction, starts, ends, places in agreements:
        Agreement.objects.get_or_create(institution=institution, partner=partners[name], kind=kind,
                                        defaults={"direction": direction, "starts": starts, "ends": ends,
                                                  "places_per_year": places})
    for year in (today.year - 2, today.year - 1):
        for name, inbound, outbound in (("Makerere University", (3, 24, 18000), (6, 48, 42000)),
                                        ("University of Lagos", (2, 16, 14500), (2, 12, 9000))):
            for direction, (heads, weeks, usd) in (("inbound", inbound), ("outbound", outbound)):
                grow = Decimal(1 + (year - today.year + 2) * 0.1).quantize(Decimal("0.01"))
                Exchange.objects.get_or_create(institution=institution, partner=partners[name], direction=direction,
                                               year=year, defaults={"heads": heads, "trainee_weeks": Decimal(weeks),
                                                                    "usd": Decimal(usd) * grow})
    _letterhead(institution)
    coordinator = Member.objects.get(user__username="demo-coordinator").user
    made = [create_case(institution, coordinator, as_of=today, **values) for values in _cases(partners, today)]
    tremblay = next(c for c in made if c.pathway_id == "tn-2113")
    for item in tremblay.checklist.all():  # she is already here, training: every step done
        set_step_status(item, "done", coordinator)
    monday = today - timedelta(days=today.weekday())
    for i, (patient, teaching, research, observation) in enumerate(((4, 10, 24, 2), (6, 12, 20, 2), (12, 8, 16, 4),
                                                                     (5, 10, 22, 3))):
        log_week(tremblay, coordinator, monday - timedelta(weeks=4 - i),
                 {"patient_contact_hours": Decimal(patient), "teaching_hours": Decimal(teaching),
                  "research_hours": Decimal(research), "observation_hours": Decimal(observation)}, today=today)
    return DemoResult(institution, True, passwords, len(made))


def _letterhead(institution) -> None:
    """The demo's letterhead and signatories (invented people), so its letters can be issued."""
    from .models import Letterhead, Signatory

    Letterhead.objects.get_or_create(institution=institution, defaults={
        "name": "Demo Academic Medical Center, School of Medicine",
        "address": "500 Example Parkway\nLos Angeles, CA 90095\nUnited States"})
    for name, title, signs_as in (("Dr Samuel Chen", "Dean, School of Medicine", "dean"),
                                  ("Dr Maria Lopez", "Chair, Department of Medicine", "chair"),
                                  ("Ms Joan Park", "Registrar", "registrar")):
        Signatory.objects.get_or_create(institution=institution, name=name, defaults={"title": title, "signs_as": signs_as})

