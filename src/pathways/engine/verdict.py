"""The verdict: what the engine tells a person, built once, as immutable objects.

For each pathway: its status, every requirement with its kind and the facts it read,
whether it is within reach (nothing unmet but what can be arranged), the plan (steps
and dates), the costs, the article's barriers, and the host programmes that would take
the person. The CLI, the API, the pages, the PDF and the workspace only render these;
`report.py` only writes them as the contract's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .compiled import CONTACT_RANK, Barrier, about_who_you_are
from .costs import Costs
from .plan import PlannedStep, Timeline, days

GROUPS = ("open", "reachable", "needs-info", "closed")  # how a result page orders pathways


@dataclass(frozen=True, slots=True)
class RequirementVerdict:
    id: str
    kind: str  # eligibility | arrangement
    text: str
    status: str  # met | unmet | unknown
    citations: tuple[str, ...]  # the sources' short labels
    sources: tuple[str, ...]  # their ids
    facts: tuple[tuple[str, Any], ...]  # (fact, value or None) for each fact the test read
    article_says: str | None
    unverified: bool
    origin: str  # visa | authorization | route | pathway | policy:<id> | category
    met_by: str | None = None  # how it is met when the person's own facts do not meet it


@dataclass(frozen=True, slots=True)
class WarningVerdict:
    text: str
    citations: tuple[str, ...]
    on: date | None = None  # a policy event's day, for warnings of what begins or ends before the start


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    text: str
    actor: str  # person | host | agency
    weeks: Any  # plan.Span: fastest, typical, worst
    after: tuple[str, ...]
    cost_usd: float | None
    citations: tuple[str, ...]
    sources: tuple[str, ...]
    blocks_start: bool
    starts: Any  # plan.Span, weeks after work begins
    finishes: Any
    start_on: date  # the typical plan's day to start it
    done_by: date  # the typical plan's day it is done
    due: date  # the last day to finish it for the typical plan to meet the start date (never before as_of)
    post: str | None  # the consular post whose published wait it uses


@dataclass(frozen=True, slots=True)
class ProgramVerdict:
    id: str
    name: str
    institution: str
    kind: str
    takes: str  # yes | maybe (a fact it reads is unknown) | if-arranged (once a host or the person arranges what it asks)
    takes_text: str | None
    address: str | None
    citations: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WouldTake:
    unmet: tuple[str, ...]  # requirement ids
    unknown: tuple[str, ...]
    ask: tuple[str, ...]  # the facts to answer
    arrange: tuple[str, ...]  # the unmet requirements that are arrangements


@dataclass(frozen=True, slots=True)
class PathwayVerdict:
    id: str
    name: str
    jurisdiction: str
    visa: str
    visa_name: str
    authorization: str
    authorization_name: str
    route: str | None
    patient_contact: str
    contact_rank: int
    categories: tuple[str, ...]
    summary: str
    summary_citations: tuple[str, ...]
    summary_sources: tuple[str, ...]
    status: str  # open | needs-info | blocked
    reachable: bool  # no eligibility requirement unmet
    requirements: tuple[RequirementVerdict, ...]
    warnings: tuple[WarningVerdict, ...]
    would_take: WouldTake | None  # None when open
    steps: tuple[Step, ...]
    timeline: Timeline
    timeline_warning: str | None
    cost: Costs
    barriers: tuple[Barrier, ...]
    programs: tuple[ProgramVerdict, ...]

    @property
    def group(self) -> str:
        """open, reachable (blocked only on what can be arranged), needs-info, or closed."""
        if self.status == "blocked":
            return "reachable" if self.reachable else "closed"
        return self.status

    @property
    def deciding_reason(self) -> RequirementVerdict | None:
        """The one unmet eligibility requirement that closes it (the first), if any."""
        return next((r for r in self.requirements if r.status == "unmet" and r.kind == "eligibility"), None)

    def missing(self, status: str) -> tuple[RequirementVerdict, ...]:
        return tuple(r for r in self.requirements if r.status == status)

    @property
    def never(self) -> RequirementVerdict | None:
        """The unmet requirement on who the person is (nationality, US status, stage of training,
        the article's category), if one closes it: a pathway for other people, which nothing the
        person or a host arranges opens. None for every other pathway."""
        return next((r for r in self.requirements if r.status == "unmet"
                     and about_who_you_are(r.origin, r.kind, [name for name, _ in r.facts])), None)


@dataclass(frozen=True, slots=True)
class UpcomingEvent:
    """A known policy event that begins or ends between the evaluation and the start date."""

    id: str
    name: str
    on: date
    change: str  # begins | ends
    visas: tuple[str, ...]
    text: str
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    as_of: date
    category: str | None
    pathways: tuple[PathwayVerdict, ...]  # best first, as the contract orders them
    nearest: tuple[PathwayVerdict, ...]  # the closest to opening with the contact the person wants
    policy_events: tuple[str, ...]  # in force on as_of
    upcoming: tuple[UpcomingEvent, ...]
    rules_checked: date | None
    stale: tuple[str, ...]
    profile: Any  # the checked Profile

    def find(self, pathway_id: str) -> PathwayVerdict | None:
        return next((p for p in self.pathways if p.id == pathway_id), None)

    def group(self, name: str) -> tuple[PathwayVerdict, ...]:
        return tuple(p for p in self.pathways if p.group == name)

    def summary(self) -> "Summary":
        """The result in short, as a page opens with it: the best route open now and, when none
        gives the patient contact the person wants, the nearest that would (`nearest`, which
        leaves out the pathways the person can never use)."""
        wanted = self.profile.get("desired_contact")
        best = next((p for p in self.pathways if p.status == "open"), None)  # best first: the most contact
        enough = best is not None and best.contact_rank >= CONTACT_RANK.get(wanted, 0)
        nearest = None if enough else next((p for p in self.nearest if p.status != "open"), None)
        return Summary(best, nearest, wanted, enough,
                       tuple(p for p in self.pathways if p.group == "closed" and p.never is not None))


@dataclass(frozen=True, slots=True)
class Summary:
    """`Verdict.summary()`: what a person reads first."""

    best: PathwayVerdict | None  # open now, the most patient contact (None: nothing open)
    nearest: PathwayVerdict | None  # when `best` gives less contact than wanted: the closest to opening that would
    wanted: str | None  # the patient contact the person asked for (desired_contact)
    enough: bool  # `best` gives at least the contact wanted
    never: tuple[PathwayVerdict, ...]  # closed by who the person is: for other people

    @property
    def route(self) -> PathwayVerdict | None:
        """The one pathway the summary is about: the best if it is enough, else the nearest, else the best."""
        return self.best if self.enough else (self.nearest or self.best)


def planned_step(p: PlannedStep, paid: float | None, begin: date) -> Step:
    """A planned step as the verdict gives it; `paid`: what it costs at most (None: nothing)."""
    s = p.step
    start_on, done_by = p.start_on, p.done_by
    if start_on is None:  # a step planned outside plan.py's layouts
        start_on, done_by = begin + days(p.starts.typical), begin + days(p.finishes.typical)
    return Step(s.id, s.text, s.actor, p.weeks, s.after, paid, s.citations, s.source_ids,
                s.blocks_start, p.starts, p.finishes, start_on, done_by, p.due, p.wait.post if p.wait else None)
