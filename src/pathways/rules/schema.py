"""The knowledge base's schema: strict pydantic models, one per kind of file.

Every model forbids unknown keys, so a misspelt key fails loading with its file and
line instead of being dropped silently. Every fact carries `cite`, a non-empty list
of source ids that the loader resolves against `knowledge/sources/`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .vocabulary import CATEGORIES, CONTACT_LEVELS

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
SourceIds = Annotated[list[Slug], Field(min_length=1)]
# Visa and authorization codes come from the data (a visa is a file in us/visas/, an
# authorization a file in a state's authorizations/); the lints check every reference.
VisaCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
AuthorizationCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
ContactLevel = Literal[CONTACT_LEVELS]  # type: ignore[valid-type]
Category = Literal[CATEGORIES]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Fact(Strict):
    """One statement of fact, in our own words, with its sources."""

    text: str
    cite: SourceIds
    # What the article said where a primary source says otherwise: we follow the
    # primary source and keep the article's claim on the record.
    article_says: str | None = None
    # True where no source confirms the fact (the reference marks it UNVERIFIED).
    unverified: bool = False


class Source(Strict):
    label: str  # short citation shown to people: "BPC 2111", "22 CFR 62.27(c)"
    title: str
    address: str
    kind: Literal[
        "statute", "regulation", "proclamation", "federal-register", "court",
        "agency-page", "data", "article", "institutional", "secondary", "bill",
    ]
    grade: Literal["primary", "institutional", "secondary"]
    checked: date  # the day the source was last checked for the facts citing it
    how_checked: str | None = None


RequirementKind = Literal["eligibility", "arrangement"]


class MetBy(Strict):
    """A way a requirement is met other than by the person's own facts, said when it applies:
    an SSN "can be requested after arrival on this visa"."""

    when: str  # an expression: this way applies (said when a fact the requirement reads is unknown or false)
    text: str


class Requirement(Strict):
    """A named, cited predicate over profile facts."""

    id: Slug
    text: str  # a sentence a person understands
    test: str  # an expression of rules/expression.py
    cite: SourceIds
    # eligibility: a fact about the person or the law; arrangement: something a host or the
    # person arranges on the way. Left out: arrangement when every fact the test reads is
    # one (facts.yaml `kind`), else eligibility.
    kind: RequirementKind | None = None
    met_by: list[MetBy] = []  # said beside a met requirement when its facts alone do not meet it
    article_says: str | None = None
    unverified: bool = False


class Use(Strict):
    """Include every requirement of the pathway's visa or authorization (and route)."""

    use: Literal["visa", "authorization"]


class Warning(Strict):
    id: Slug
    text: str
    when: str = "true"  # shown unless this expression is false for the person
    cite: SourceIds


class Fee(Strict):
    """An amount in force from `from` to `until` (inclusive). Several entries may share
    an id: the amount of that fee at different times."""

    id: Slug
    text: str
    usd: float | None  # None: enacted or announced, but no amount is being collected
    # the least it can be, where an officer sets the amount within a range (usd is then the most)
    usd_min: float | None = None
    payer: Literal["person", "host", "either"]
    from_: date = Field(alias="from")
    # what `from` is, as the cited sources give it: the day the amount took effect (a person
    # can rely on it); the day it became known (a notice, a law recorded), the day it took
    # effect being unknown but not earlier; or only the day from which the engine counts it,
    # no source giving one. The pages show the first, "known since" the second, not the third.
    from_is: Literal["effective", "known-since", "stand-in"] = "effective"
    until: date | None = None
    when: str = "true"  # owed unless this is false for the person (unknown: counted in the maximum only)
    cite: SourceIds


class Weeks(Strict):
    """How long a step takes: fastest, typical and worst, in weeks. `cite` gives the
    source of `typical` where it is not the step's own."""

    min: float = Field(ge=0)
    typical: float | None = Field(default=None, ge=0)
    max: float = Field(ge=0)
    cite: list[Slug] = []

    @model_validator(mode="after")
    def _ordered(self):
        if self.max < self.min:
            raise ValueError("max must not be less than min")
        if self.typical is not None and not (self.min <= self.typical <= self.max):
            raise ValueError("typical must lie between min and max")
        return self


class Step(Strict):
    """A piece of work between today and the first day of training."""

    id: Slug
    text: str
    actor: Literal["person", "host", "agency"]
    weeks: Weeks
    after: list[Slug] = []  # steps that must be finished first
    before: list[Slug] = []  # steps that must wait for this one (lets a pathway step slot in)
    fees: list[Slug] = []  # ids of the fees paid at this step (visa, authorization or policy event fees)
    when: str = "true"  # the step is needed unless this is false for the person
    blocks_start: bool = True  # False for work allowed to finish after training starts (the PTL's 180 days)
    # a consular interview: its wait comes from the consular-wait snapshot's class of this id
    # for the person's residence country, where the snapshot has it
    consular_wait: Slug | None = None
    cite: SourceIds


class HomeResidenceRule(Strict):
    applies: Literal["always", "conditional", "never"]
    text: str
    cite: SourceIds


class WorkAuthorization(Strict):
    allowed: bool  # work-authorized statuses can get an SSN after arrival
    text: str
    cite: SourceIds


class Visa(Strict):
    code: VisaCode
    name: str
    legal_basis: SourceIds
    sponsor_group: Literal["student-and-exchange-visitor", "self-sponsored", "employer-sponsored", "no-visa"]
    sponsor: Fact
    purpose: Fact
    training_use: Fact
    clinical_contact: Fact
    cannot_use: Annotated[list[Fact], Field(min_length=1)]
    before_applying: Annotated[list[Fact], Field(min_length=1)]
    duration: Fact
    home_residence_rule: HomeResidenceRule
    work_authorization: WorkAuthorization
    fees: list[Fee] = []
    requirements: list[Requirement] = []
    warnings: list[Warning] = []
    steps: list[Step] = []


class IssuedCount(Strict):
    count: int | None
    year: int = 2024
    text: str
    cite: SourceIds
    unverified: bool = False


class Route(Strict):
    """An unlicensed route under authorization `none` (coursework, elective, observership)."""

    id: Slug
    name: str
    purpose: Fact
    time_restrictions: Fact
    location_restrictions: Fact
    qualifications: Annotated[list[Fact], Field(min_length=1)]
    requirements: list[Requirement] = []
    warnings: list[Warning] = []
    steps: list[Step] = []


class Authorization(Strict):
    code: AuthorizationCode
    name: str
    legal_basis: SourceIds
    purpose: Fact
    time_restrictions: Fact
    location_restrictions: Fact
    qualifications: Annotated[list[Fact], Field(min_length=1)]
    issued: IssuedCount | None = None
    fees: list[Fee] = []
    requirements: list[Requirement] = []
    warnings: list[Warning] = []
    steps: list[Step] = []
    routes: list[Route] = []
    # the state whose folder holds the file (the loader sets it; a file may say it, and must agree)
    jurisdiction: Slug | None = None


class Pathway(Strict):
    id: Slug
    name: str
    visa: VisaCode
    authorization: AuthorizationCode
    route: Slug | None = None  # a route of authorization `none`
    patient_contact: ContactLevel
    categories: Annotated[list[Category], Field(min_length=1)]
    figures: list[Literal[1, 2, 3]] = []
    summary: Fact
    requirements: list[Union[Use, Requirement]]
    warnings: list[Warning] = []
    steps: list[Step] = []
    programs: list[Slug] = []
    # the state whose folder holds the file (the loader sets it; a file may say it, and must agree)
    jurisdiction: Slug | None = None


class CategoryDefinition(Strict):
    id: Category
    name: str
    figure: Literal[1, 2, 3]
    test: str
    cite: SourceIds


class Effect(Strict):
    """What a policy event does, while in force, to pathways of the listed visas."""

    visas: Annotated[list[VisaCode], Field(min_length=1)]
    requirement: Requirement | None = None
    warning: Warning | None = None
    fee: Fee | None = None  # paid at the step that names its id
    step: Step | None = None  # extra work while the event is in force


class PolicyEvent(Strict):
    id: Slug
    name: str
    kind: Literal["entry-restriction", "payment", "fee", "interview-pause", "consular-rule", "court-order"]
    starts: date
    ends: date | None = None  # last day in force; None while in force with no end set
    # the day it became known (signed, published): an evaluation before it cannot foresee it;
    # left out, it was not known before it began
    announced: date | None = None
    summary: Fact
    lists: dict[Slug, list[str]] = {}  # named country lists, referenced as @name in tests
    effects: list[Effect] = []


class ListMember(Strict):
    code: str
    name: str
    from_: date = Field(alias="from")
    until: date | None = None
    note: str | None = None
    # other common spellings of the name, where they differ from it (Ivory Coast, South Korea):
    # the interview accepts them as well as the name and the code
    aliases: list[str] = []


class CodeList(Strict):
    """A dated list of codes (Visa Waiver Program members...) referenced as @id."""

    id: Slug
    name: str
    summary: Fact
    members: list[ListMember]


class Program(Strict):
    id: Slug
    name: str
    institution: str
    kind: Literal["visiting-student-program", "affiliation-agreement", "visiting-fellowship", "funding-award"]
    summary: Fact
    pathways: list[Slug] = []
    # whom it takes: an expression over profile facts (false: not for this person;
    # unknown: perhaps), with the sources of that rule
    takes: str = "true"
    takes_text: str | None = None  # the same in words, for people
    takes_cite: list[Slug] = []
    address: str | None = None  # where to read about it and apply
    # the state whose folder holds the file (the loader sets it; a file may say it, and must agree)
    jurisdiction: Slug | None = None


class Barrier(Strict):
    id: Slug
    name: str
    level: Literal["federal", "state", "institutional", "financial", "political", "individual"]
    summary: Fact
    visas: list[VisaCode] = []
    authorizations: list[AuthorizationCode] = []
    pathways: list[Slug] = []


class Enabler(Strict):
    id: Slug
    name: str
    level: Literal["federal", "state", "institutional", "financial", "individual"]
    summary: Fact
    answers: list[Slug] = []  # barrier ids
    programs: list[Slug] = []


class Recommendation(Strict):
    id: Slug
    name: str
    level: Literal["federal", "state", "institutional"]
    summary: Fact
    answers: list[Slug] = []  # barrier ids


class Message(Strict):
    """A sentence the engine composes (knowledge/messages.yaml): English, with `${name}` where a
    value is filled in. Wording, not law: the values carry the cited facts."""

    id: Slug
    text: str

    @field_validator("text")
    @classmethod
    def _names(cls, text: str) -> str:
        from string import Template

        if not Template(text).is_valid():
            raise ValueError("a `$` must start `${name}` (a letter or _, then letters, digits or _); write $$ for a dollar sign")
        return text


class Jurisdiction(Strict):
    """A state: its folder holds its authorizations, pathways, programmes and living costs."""

    code: Slug
    name: str
    summary: Fact
    board: str  # who issues its licences and permits
    board_address: str | None = None


class FactDefinition(Strict):
    """A profile fact of the contract: its type, the question to ask, help text."""

    type: Literal["bool", "number", "date", "enum", "codes", "set"]
    question: str
    help: str
    values: list[str] = []  # enum and set values
    vocabulary: Literal["countries", "visas-or-none", "contact-levels"] | None = None
    minimum: float | None = None
    maximum: float | None = None
    eligibility: bool = True  # False for facts that only shape the plan (dates, wishes)
    # when the interview asks it: `wish` first (what the person wants weighs the rest), then
    # `eligibility` (chosen by what they settle), then `planning` (dates, length, city: the
    # person's own costs and deadlines), in the order of facts.yaml. Left out: `eligibility`,
    # or never asked where `eligibility` is false.
    phase: Literal["wish", "eligibility", "planning"] | None = None
    # what a requirement that reads only facts of kind `arrangement` is: something a host or
    # the person arranges on the way (an offer, an appointment, a dean's approval)
    kind: RequirementKind = "eligibility"
    labels: dict[str, str] = {}  # words for each value (yes/no, choices), as the pages show them
    # what leaving the fact out means, where that is not "unknown": a green card is said by
    # whoever holds one. Only such facts may be read with said(); the rest stay three-valued.
    absent: str | None = None

    @property
    def interview_phase(self) -> str | None:
        """The phase of the interview that asks this fact; None: never asked."""
        return self.phase or ("eligibility" if self.eligibility else None)

    @model_validator(mode="after")
    def _labels_name_values(self):
        if self.type == "bool":
            allowed = {"true", "false"}
        elif self.values:
            allowed = set(self.values)
        else:
            return self  # a vocabulary's codes: checked against it where it is known
        unknown = sorted(set(self.labels) - allowed)
        if unknown:
            raise ValueError(f"labels for values the fact does not have: {', '.join(unknown)}; "
                             f"its values: {', '.join(sorted(allowed))}")
        return self


class Locality(Strict):
    """A federal per diem locality and the host institutions in it."""

    id: Slug
    name: str
    counties: str
    cities: list[Slug]  # values of the profile fact host_city in this locality
    hosts: list[str]  # academic medical centers in the locality
    lodging_by_month: Annotated[list[float], Field(min_length=12, max_length=12)]  # October first, as the fiscal year runs
    meals_and_incidentals: float


class PerDiemTable(Strict):
    """Federal per diem rates for one fiscal year: a public, dated source of living costs."""

    id: Slug
    name: str
    from_: date = Field(alias="from")
    until: date
    summary: Fact
    localities: list[Locality]
    # the state whose folder holds the file (the loader sets it; a file may say it, and must agree)
    jurisdiction: Slug | None = None


class WaitClass(Strict):
    """A group of visas that share one published appointment wait (B, F/M/J, H/L/O/P/Q)."""

    id: Slug
    name: str
    visas: list[VisaCode]


class PostWait(Strict):
    """One embassy or consulate's published wait for an interview appointment, by class."""

    post: str
    country: str  # ISO 3166-1 alpha-2 of the country the post is in
    weeks: dict[Slug, float]  # class id -> weeks to the next interview appointment
    cite: SourceIds


class ConsularWaits(Strict):
    """A dated, cited snapshot of interview waits by consular post."""

    id: Slug
    name: str
    snapshot: date  # the day the waits were read
    summary: Fact
    classes: list[WaitClass]
    # after the interview: printing, and administrative processing for some (fastest, typical, worst)
    processing: Weeks
    processing_cite: SourceIds
    posts: list[PostWait]
