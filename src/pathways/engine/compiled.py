"""The compiled form of the rules in force on one date: plain data and one function.

Kept free of the knowledge schema and the loader so that evaluating a profile (and
unpickling cached rules) imports nothing heavy; `engine/rules.py` builds these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from ..rules.scalar import compile_tests
from ..rules.vocabulary import CONTACT_LEVELS

CONTACT_RANK = {level: i for i, level in enumerate(CONTACT_LEVELS)}

# The facts that say who a person is, which nothing arranged or achieved on the way to a
# training changes: nationality, US citizenship, residence and status, stage of training,
# school, and a full California licence held already (years of US training away). A pathway
# closed by a requirement that reads only these (or by the article's categories) is one the
# person can never use: it is for other people.
WHO_YOU_ARE = frozenset({"citizenships", "us_permanent_resident", "current_us_status", "stage", "enrolled_in_us_school",
                         "california_license"})


def about_who_you_are(origin: str, kind: str, facts) -> bool:
    """A requirement on who the person is: the article's category, or only facts no plan changes."""
    return kind == "eligibility" and (origin == "category" or bool(facts) and set(facts) <= WHO_YOU_ARE)


@dataclass(frozen=True)
class CompiledRequirement:
    id: str
    text: str
    source_ids: tuple[str, ...]
    citations: tuple[str, ...]  # the sources' short labels
    facts: tuple[str, ...]  # profile facts the test reads
    origin: str
    article_says: str | None
    unverified: bool
    slot: int  # index of the test's value in the compiled function's result
    kind: str = "eligibility"  # or "arrangement": something a host or the person arranges on the way
    met_by: tuple[tuple[str, int], ...] = ()  # (text, slot of its `when`), the first true one said


@dataclass(frozen=True)
class CompiledWarning:
    id: str
    text: str
    citations: tuple[str, ...]
    origin: str
    slot: int
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledStep:
    id: str
    text: str
    actor: str
    weeks_min: float
    weeks_max: float
    after: tuple[str, ...]  # every step this one waits for (its own `after` and others' `before`)
    fees: tuple[str, ...]
    blocks_start: bool
    citations: tuple[str, ...]
    slot: int  # the value of its `when`
    weeks_typical: float = 0.0
    consular_wait: str | None = None  # the consular-wait class whose published wait replaces its weeks
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledFee:
    id: str
    text: str
    usd: float | None  # None: enacted or announced, no amount being collected
    payer: str
    citations: tuple[str, ...]
    slot: int  # the value of its `when`
    source_ids: tuple[str, ...] = ()
    usd_min: float | None = None  # the least, where an officer sets the amount in a range


@dataclass(frozen=True)
class CompiledProgram:
    """A host programme that uses the pathway, and whom it takes (its `takes` test's slot)."""

    id: str
    name: str
    institution: str
    kind: str
    takes_text: str | None
    address: str | None
    citations: tuple[str, ...]
    source_ids: tuple[str, ...]
    slot: int
    facts: tuple[str, ...] = ()  # the profile facts its intake rule reads


@dataclass(frozen=True)
class PostWait:
    """The published wait for an interview appointment at one post, for one class of visas."""

    post: str
    weeks: float
    snapshot: date
    citations: tuple[str, ...]
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class ScheduledEvent:
    """A policy event with its dates, to warn of those that begin or end before a start date."""

    id: str
    name: str
    starts: date
    ends: date | None
    visas: tuple[str, ...]  # the visas its effects reach (empty: all)
    text: str
    citations: tuple[str, ...]
    announced: date | None = None  # known from this day (None: not before it began)
    fees: tuple[str, ...] = ()  # ids of the fees its effects add
    steps: tuple[str, ...] = ()  # ids of the steps its effects add


@dataclass(frozen=True)
class Barrier:
    id: str
    name: str
    text: str
    citations: tuple[str, ...]
    enablers: tuple[tuple[str, str, str], ...]  # (id, name, text) of what answers it


@dataclass(frozen=True)
class Locality:
    id: str
    name: str
    cities: tuple[str, ...]
    lodging_by_month: tuple[float, ...]  # October first
    meals: float


@dataclass(frozen=True)
class PerDiem:
    id: str
    start: date
    end: date
    localities: tuple[Locality, ...]
    citations: tuple[str, ...]
    source_ids: tuple[str, ...] = ()
    jurisdiction: str = "ca"  # the state whose cities the rates price


@dataclass(frozen=True)
class CompiledPathway:
    id: str
    name: str
    visa: str
    authorization: str
    route: str | None
    patient_contact: str
    contact_rank: int
    categories: tuple[str, ...]
    requirements: tuple[CompiledRequirement, ...]
    warnings: tuple[CompiledWarning, ...]
    order: int
    slots: tuple[int, ...]  # the requirements' slots, in order
    steps: tuple[CompiledStep, ...] = ()  # in an order where each comes after what it waits for
    fees: tuple[CompiledFee, ...] = ()  # entries in force on the rules' date
    barriers: tuple[Barrier, ...] = ()
    programs: tuple[CompiledProgram, ...] = ()
    jurisdiction: str = "ca"
    visa_name: str = ""
    authorization_name: str = ""  # the route's name for routes of `none`
    summary: str = ""
    summary_citations: tuple[str, ...] = ()
    summary_sources: tuple[str, ...] = ()
    # picks the requirements' values out of all values, in one C call
    pick: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.pick is None:
            pick = itemgetter(*self.slots) if len(self.slots) > 1 else (lambda values, s=self.slots[0]: (values[s],))
            object.__setattr__(self, "pick", pick)


@dataclass(frozen=True)
class Rules:
    as_of: date
    pathways: tuple[CompiledPathway, ...]
    categories: tuple[tuple[str, int], ...]  # (category, slot), in the base's order
    trees: tuple  # bound trees, by slot
    events: tuple[str, ...]  # policy events in force
    last_checked: date | None
    per_diem: tuple[PerDiem, ...] = ()
    stale: tuple[str, ...] = ()  # notes on policy facts last checked long before the rules' date
    # country -> consular-wait class -> the shortest published wait among the country's posts
    waits: dict = field(default_factory=dict)
    processing: tuple[float, float, float] = (0.0, 0.0, 0.0)  # after the interview: fastest, typical, worst weeks
    processing_citations: tuple[str, ...] = ()
    schedule: tuple[ScheduledEvent, ...] = ()  # every policy event, with its dates
    arrangement_facts: frozenset = frozenset()
    messages: dict = field(default_factory=dict)  # message id -> English template (rules/messages.py)
    city_names: dict = field(default_factory=dict)  # host_city value -> the city's name
    # flat profile facts -> tuple of values by slot; rebuilt from the trees, never pickled
    evaluate: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.evaluate is None:
            object.__setattr__(self, "evaluate", compile_tests(self.trees))

    def __reduce__(self):
        return (Rules, (self.as_of, self.pathways, self.categories, self.trees, self.events, self.last_checked,
                        self.per_diem, self.stale, self.waits, self.processing, self.processing_citations,
                        self.schedule, self.arrangement_facts, self.messages, self.city_names))
