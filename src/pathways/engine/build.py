"""Build the verdict (verdict.py) from an evaluation, once per pathway.

A pathway's verdict depends only on the values of the compiled tests, the facts its
requirements read, and the planning facts (start date, length of stay, host city, the
country whose consular waits apply), so people who share those share one immutable
verdict object: the builder keeps them, and the plans and costs beneath them, in
bounded caches. Batches of thousands of people therefore build each distinct verdict
once.
"""

from __future__ import annotations

from datetime import date, timedelta
from operator import itemgetter

from ..rules.messages import say
from .compiled import CompiledPathway, PostWait, Rules
from .costs import Costs, costs
from .evaluate import REQUIREMENT_STATUS, Evaluation, PathwayResult
from .plan import Plan, bound_memos, make_plan, timeline_warning
from .verdict import (PathwayVerdict, ProgramVerdict, RequirementVerdict, UpcomingEvent, Verdict, WarningVerdict,
                      WouldTake, planned_step)

ONE_DAY = timedelta(days=1)
CACHE_LIMIT = 50_000  # entries per cache unless the engine says otherwise; cleared, not grown, past it


class _Cache(dict):
    def __init__(self, limit: int = CACHE_LIMIT):
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def residence(profile) -> str | None:
    """The country a person applies for a visa from: as given, else the only nationality."""
    country = profile.get("residence_country")
    if country is None:
        citizenships = profile.get("citizenships")
        if citizenships and len(citizenships) == 1:
            country = next(iter(citizenships))
    return country


class Builder:
    """Builds verdicts for one rule set (one date)."""

    def __init__(self, rules: Rules, rules_on=None, cache_limit: int | None = None):
        """`rules_on(day)`: the rules of another day, to tell whether a policy event known to begin
        before a person's start date reaches that person (the engine's compiled rules by date)."""
        self.rules = rules
        self._rules_on = rules_on
        self._memo: tuple = (None, {})  # (profile, what was worked out for it): one tuple, swapped whole
        # the events already announced on the rules' day, and the days they begin
        self._known = {e.id: e.starts for e in rules.schedule if e.announced is not None and e.announced <= rules.as_of}
        self._successors = set(self._known.values())
        # the events `upcoming` can name, in the schedule's order, with whether their beginning and
        # their end can be named, and the first `until` that reaches any (most start dates come before)
        begin, watched = rules.as_of, []
        for e in rules.schedule:
            begins = e.id in self._known and begin < e.starts
            ends = e.ends is not None and begin <= e.ends and e.ends + ONE_DAY in self._successors
            if begins or ends:
                watched.append((e, begins, ends))
        self._watched = tuple(watched)
        self._first_reached = min([e.starts for e, begins, _ in watched if begins]
                                  + [e.ends + ONE_DAY for e, _, ends in watched if ends], default=None)
        limit = CACHE_LIMIT if cache_limit is None else cache_limit  # a batch's default; a server's smaller
        if cache_limit is not None:
            bound_memos(rules, cache_limit)  # and the rules' own memos (living costs, layouts) no larger
        self._judged = _Cache(limit)  # what a pathway's verdict says whatever the plan: by its tests' values and facts
        self._requirements = _Cache(limit)
        self._plans = _Cache(limit)
        self._costs = _Cache(limit)
        self._pathways = _Cache(limit)
        self._step_lists = _Cache(limit)  # (plan, costs, steps), by the ids of the plan and costs it holds
        self._plan_sentences = _Cache(limit)  # (plan, its timeline warning, its old waits' warnings), by the plan's id
        self._reads: dict[str, tuple] = {}
        self._used: dict[tuple, tuple] = {}  # (pathway, country) -> the ids of the waits its plan uses

    # the whole evaluation -------------------------------------------------------------

    def verdict(self, evaluation: Evaluation) -> Verdict:
        profile = evaluation.profile
        built = {r.pathway.id: self.pathway(r, profile) for r in evaluation.pathways}
        rules = self.rules
        return Verdict(
            rules.as_of, evaluation.category, tuple(built.values()),
            tuple(built[r.pathway.id] for r in evaluation.nearest()),
            rules.events, self._upcoming_for(evaluation), rules.last_checked, rules.stale, profile)

    def _upcoming_for(self, evaluation: Evaluation) -> tuple[UpcomingEvent, ...]:
        """The known changes before the start date that reach the person on one of their pathways."""
        start, profile = evaluation.profile.get("start_date"), evaluation.profile
        if start is None:
            return ()
        found = {(u.id, u.change): u for r in evaluation.pathways
                 for u in self.upcoming(start, r.pathway.visa, r.pathway.id, profile)}
        return tuple(sorted(found.values(), key=lambda u: u.on))

    def upcoming(self, until: date | None, visa: str | None = None, pathway_id: str | None = None,
                 profile=None) -> tuple[UpcomingEvent, ...]:
        """Policy events already known on the day of the evaluation to begin, or to end (an
        announced event takes over the next day), after it and by `until`; for a pathway and a
        person, only those whose effects on that pathway reach the person."""
        if until is None or self._first_reached is None or until < self._first_reached:
            return ()
        if profile is None:
            return self._upcoming(until, visa, pathway_id, profile)
        memo, key = self._memo_for(profile), ("upcoming", until, visa, pathway_id)  # asked 3 times per pathway
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._upcoming(until, visa, pathway_id, profile)
        return found

    def _upcoming(self, until: date, visa: str | None, pathway_id: str | None, profile) -> tuple[UpcomingEvent, ...]:
        found = []
        for e, begins, ends in self._watched:
            if visa is not None and e.visas and visa not in e.visas:
                continue
            if begins and e.starts <= until and self._reaches(e, e.starts, pathway_id, profile):
                found.append(UpcomingEvent(e.id, e.name, e.starts, "begins", e.visas, e.text, e.citations))
            if ends and e.ends < until and self._reaches(e, e.ends, pathway_id, profile):
                found.append(UpcomingEvent(e.id, e.name, e.ends, "ends", e.visas, e.text, e.citations))
        return tuple(sorted(found, key=lambda u: u.on))

    def reach_days(self) -> tuple[date, ...]:
        """The days whose rules `upcoming` may read (in `_reaches`) for a person with a start date:
        those on which a known event begins, or ends with a known one taking over."""
        begin, found = self.rules.as_of, set()
        for e in self.rules.schedule:
            if e.id in self._known and begin < e.starts:
                found.add(e.starts)
            if e.ends is not None and begin <= e.ends and e.ends + ONE_DAY in self._successors:
                found.add(e.ends)
        return tuple(sorted(found))

    def _memo_for(self, profile) -> dict:
        """What was worked out for the person being built. The profile and its dict are read and
        replaced as one tuple: the server's threads share this builder, and two names set one
        after the other could pair one person's values with another's profile."""
        memo = self._memo
        if memo[0] is not profile:
            memo = self._memo = (profile, {})
        return memo[1]

    def _values_on(self, rules: Rules, profile) -> tuple:
        """The person's test values under another day's rules, kept while the same person is built."""
        memo = self._memo_for(profile)
        found = memo.get(rules.as_of)
        if found is None:
            found = memo[rules.as_of] = rules.evaluate(profile.facts)
        return found

    def _unarranged(self, profile) -> tuple:
        """The person's test values with nothing arranged yet, worked out once per person."""
        memo = self._memo_for(profile)
        found = memo.get("unarranged")
        if found is None:
            found = memo["unarranged"] = self.rules.evaluate(
                {k: v for k, v in profile.facts.items() if k not in self.rules.arrangement_facts})
        return found

    def _reaches(self, event, day: date, pathway_id: str | None, profile) -> bool:
        """Whether the event, in force on `day`, adds to this pathway anything that applies to the
        person: a requirement not surely met, a warning not surely off, a fee or step owed."""
        if pathway_id is None or profile is None or self._rules_on is None:
            return True
        rules = self.rules if day == self.rules.as_of else self._rules_on(day)
        pathway = next((p for p in rules.pathways if p.id == pathway_id), None)
        if pathway is None:
            return False
        values, origin = self._values_on(rules, profile), f"policy:{event.id}"
        return (any(r.origin == origin and values[r.slot] is not True for r in pathway.requirements)
                or any(w.origin == origin and values[w.slot] is not False for w in pathway.warnings)
                or any(f.id in event.fees and values[f.slot] is not False for f in pathway.fees)
                or any(s.id in event.steps and values[s.slot] is not False for s in pathway.steps))

    # one pathway ----------------------------------------------------------------------

    def pathway(self, result: PathwayResult, profile) -> PathwayVerdict:
        judged, planning, reaching = self._keys(result, profile)
        key = (*judged, *planning[:3], self._waits_used(result.pathway, planning[3]), reaching)
        found = self._pathways.get(key)
        if found is None:
            found = self._pathways.put(key, self._build(result, profile, planning[3], judged))
        return found

    def _keys(self, result: PathwayResult, profile) -> tuple:
        """Everything this pathway's verdict depends on, and nothing else: its own tests' values,
        the facts its requirements read (`judged`), the planning facts (start date, stay, city,
        country: of the country, only the waits its plan uses, `_waits_used`, so that a pathway
        without a visa interview is the same from every country) and the events ahead that reach it."""
        p = result.pathway
        reads = self._reads.get(p.id)
        if reads is None:
            reads = self._reads[p.id] = _reads(p)
        names, slots = reads
        memo = self._memo_for(profile)
        planning = memo.get("planning")  # the same for each of the person's pathways
        if planning is None:
            planning = memo["planning"] = (profile.get("start_date"), profile.get("duration_weeks"),
                                           profile.get("host_city"), residence(profile))
        start = planning[0]
        reaching = tuple(u.id + u.change for u in self.upcoming(start, p.visa, p.id, profile)) if start else ()
        return (p.id, slots(result.values), tuple([profile.get(n) for n in names])), planning, reaching

    def _judge(self, result: PathwayResult, profile, key: tuple) -> tuple:
        """What the verdict says whatever the plan (requirements, within reach, warnings of the
        rules, what it would take, programmes), shared by everyone with the same `key`: the
        pathway, its tests' values and the facts its requirements and programmes read."""
        found = self._judged.get(key)
        if found is None:
            p, values = result.pathway, result.values
            requirements = tuple([self._requirement(r, v, profile, values)
                                  for r, v in zip(p.requirements, result.statuses)])
            found = self._judged.put(key, (
                requirements, not any(r.status == "unmet" and r.kind == "eligibility" for r in requirements),
                tuple([WarningVerdict(w.text, w.citations) for w in result.warnings]),
                None if result.status == "open" else _would_take(requirements, profile),
                self._programs(p, values, profile)))
        return found

    def _build(self, result: PathwayResult, profile, country: str | None, judged: tuple) -> PathwayVerdict:
        p, values, rules = result.pathway, result.values, self.rules
        requirements, reachable, said, would_take, programs = self._judge(result, profile, judged)
        plan = self._plan(p, values, profile.get("start_date"), country)
        cost = self._cost(p, values, profile, plan.timeline.start_date or plan.timeline.earliest_start)
        steps = self._steps(plan, cost)
        warning, old_waits = self._sentences(plan)
        warnings = list(said)
        warnings += [WarningVerdict(_event_sentence(rules.messages, u), u.citations, u.on)
                     for u in self.upcoming(plan.timeline.start_date, p.visa, p.id, profile)]
        closed = result.status == "blocked" and not reachable
        if warning and not closed:
            warnings.append(WarningVerdict(warning, ()))
        warnings += old_waits
        return PathwayVerdict(
            p.id, p.name, p.jurisdiction, p.visa, p.visa_name, p.authorization, p.authorization_name, p.route,
            p.patient_contact, p.contact_rank, p.categories, p.summary, p.summary_citations, p.summary_sources,
            result.status, reachable, requirements, tuple(warnings), would_take,
            steps, plan.timeline, warning, cost, p.barriers, programs)

    def _programs(self, p: CompiledPathway, values, profile) -> tuple[ProgramVerdict, ...]:
        """The host programmes that would take the person: yes; maybe (a fact they read is
        unknown); or if-arranged (they ask what a host or the person can still arrange, such
        as an affiliation agreement between the schools)."""
        unarranged = None
        found = []
        for g in p.programs:
            value = values[g.slot]
            if value is False:
                if unarranged is None:  # the same person with nothing arranged yet
                    unarranged = self._unarranged(profile)
                if unarranged[g.slot] is False:
                    continue
            takes = "if-arranged" if value is False else "yes" if value else "maybe"
            found.append(ProgramVerdict(g.id, g.name, g.institution, g.kind, takes, g.takes_text, g.address,
                                        g.citations, g.source_ids))
        return tuple(found)

    def _steps(self, plan: Plan, cost: Costs) -> tuple:
        """The plan's steps with what each pays: shared by everyone with the same plan and costs."""
        key = (id(plan), id(cost))
        found = self._step_lists.get(key)
        if found is None or found[0] is not plan or found[1] is not cost:
            paid: dict[str, float] = {}
            for item in cost.items:
                if item.step and item.usd_max is not None:
                    paid[item.step] = paid.get(item.step, 0.0) + item.usd_max
            found = self._step_lists.put(key, (plan, cost, tuple(
                planned_step(s, paid.get(s.step.id), self.rules.as_of) for s in plan.steps)))
        return found[2]

    def _sentences(self, plan: Plan) -> tuple[str | None, tuple[WarningVerdict, ...]]:
        """The plan's timeline warning and the warnings of its waits over a year old, written once per plan."""
        found = self._plan_sentences.get(id(plan))
        if found is None or found[0] is not plan:  # the plan is kept with them, so its id is not reused
            rules = self.rules
            found = self._plan_sentences.put(id(plan), (plan, timeline_warning(plan, rules.messages), tuple(
                [WarningVerdict(_old_wait_sentence(rules.messages, s.old_wait), s.old_wait.citations)
                 for s in plan.steps if s.old_wait is not None])))
        return found[1], found[2]

    def _requirement(self, r, value, profile, values) -> RequirementVerdict:
        facts = tuple([(name, profile.get(name)) for name in r.facts])
        # said where the requirement is met, a way applies (its `when` is true) and the person's
        # own facts do not meet it alone (one of them is unknown or false)
        route = None
        if value is True and r.met_by and any(v is not True for _, v in facts):
            route = next((text for text, slot in r.met_by if values[slot] is True), None)
        key = (id(r), value, facts, route)  # compiled requirements live as long as the rules (and this builder)
        found = self._requirements.get(key)
        if found is None:
            found = self._requirements.put(key, RequirementVerdict(
                r.id, r.kind, r.text, REQUIREMENT_STATUS[value], r.citations, r.source_ids, facts, r.article_says,
                r.unverified, r.origin, route))
        return found

    def _waits_used(self, p: CompiledPathway, country: str | None) -> tuple:
        """The waits of the country's posts that the pathway's interviews use, as their ids (the
        waits live as long as the rules, so their ids are not reused meanwhile): people of every
        country whose waits for them are the same share its plan and verdict."""
        found = self._used.get((p.id, country))
        if found is None:
            waits: dict[str, PostWait] = self.rules.waits.get(country, {}) if country else {}
            found = self._used[(p.id, country)] = tuple([id(waits.get(s.consular_wait)) for s in p.steps
                                                         if s.consular_wait])
        return found

    def _plan(self, p: CompiledPathway, values, start_date: date | None, country: str | None) -> Plan:
        needed = tuple([values[s.slot] is not False for s in p.steps])
        waits: dict[str, PostWait] = self.rules.waits.get(country, {}) if country else {}
        key = (p.id, needed, start_date, self._waits_used(p, country))
        found = self._plans.get(key)
        if found is None:
            found = self._plans.put(key, make_plan(self.rules, p.steps, values, self.rules.as_of, start_date, waits))
        return found

    def _cost(self, p: CompiledPathway, values, profile, arrive: date) -> Costs:
        owed = tuple([values[s.slot] for s in p.steps] + [values[f.slot] for f in p.fees])
        key = (p.id, owed, profile.get("duration_weeks"), profile.get("host_city"), arrive)
        found = self._costs.get(key)
        if found is None:
            found = self._costs.put(key, costs(self.rules, p, values, profile, arrive))
        return found


def _reads(p: CompiledPathway):
    """The facts a pathway's requirements read, and a getter of every test value its verdict uses."""
    names = tuple(dict.fromkeys([f for r in p.requirements for f in r.facts] + [f for g in p.programs for f in g.facts]))
    slots = sorted({r.slot for r in p.requirements} | {s for r in p.requirements for _, s in r.met_by}
                   | {w.slot for w in p.warnings} | {s.slot for s in p.steps}
                   | {f.slot for f in p.fees} | {g.slot for g in p.programs})
    return names, itemgetter(*slots) if len(slots) > 1 else (lambda values, s=slots[0]: (values[s],))


def _would_take(requirements, profile) -> WouldTake:
    unmet = [r for r in requirements if r.status == "unmet"]
    unknown = [r for r in requirements if r.status == "unknown"]
    ask = [name for r in unknown for name, value in r.facts if value is None]
    return WouldTake(tuple(r.id for r in unmet), tuple(r.id for r in unknown), tuple(dict.fromkeys(ask)),
                     tuple(r.id for r in unmet if r.kind == "arrangement"))


def _event_sentence(messages, u: UpcomingEvent) -> str:
    if u.change == "begins":
        return say(messages, "policy-begins-before-start", on=u.on, name=u.name, text=u.text)
    return say(messages, "policy-ends-before-start", on=u.on, name=u.name, text=u.text)


def _old_wait_sentence(messages, wait: PostWait) -> str:
    return say(messages, "old-consular-wait", post=wait.post, weeks=f"{wait.weeks:g}", snapshot=wait.snapshot)
