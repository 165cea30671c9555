"""The rules in force on one date, compiled once and evaluated for many people.

`compile_rules(kb, as_of)` assembles every pathway's requirements and warnings for that
day (policy events included), binds each test to the day's code lists and the
pathway's visa, de-duplicates identical tests, and compiles them all into one function
(`rules/scalar.py`). The same bound trees feed the numpy evaluator.
"""

from __future__ import annotations

from datetime import date

from ..rules import schema
from ..rules.assembly import active_events, fees_for, order_steps, requirements_for, steps_for, warnings_for
from ..rules.expression import bind, facts_used, parse
from ..rules.messages import say
from ..rules.binding import POLICY_STALE_AFTER, bind_context
from .compiled import (CONTACT_RANK, Barrier, CompiledFee, CompiledPathway, CompiledProgram, CompiledRequirement,
                       CompiledStep, CompiledWarning, Locality, PerDiem, PostWait, Rules, ScheduledEvent)


class _Slots:
    def __init__(self):
        self.index: dict = {}
        self.trees: list = []

    def add(self, tree) -> int:
        if tree not in self.index:
            self.index[tree] = len(self.trees)
            self.trees.append(tree)
        return self.index[tree]


def compile_rules(kb, as_of: date) -> Rules:
    slots = _Slots()
    events = active_events(kb, as_of)
    labels = {k: s.label for k, s in kb.sources.items()}

    def bound(text, visa, lists):
        return bind(parse(text), bind_context(kb, visa, lists, as_of), text)[0]

    arranged = frozenset(name for name, d in kb.facts.items() if d.kind == "arrangement")

    def kind(r, tree) -> str:
        """Declared, else arrangement when every fact the test reads is one a host or the person arranges."""
        facts = facts_used(tree)
        return r.kind or ("arrangement" if facts and set(facts) <= arranged else "eligibility")

    category_slots = tuple((c.id, slots.add(bound(c.test, None, None))) for c in kb.categories.values())
    pathways = []
    for order, p in enumerate(kb.pathways.values()):
        visa = kb.visas[p.visa]
        parts, conflicts = requirements_for(kb, p, events)
        if conflicts:
            raise ValueError("; ".join(conflicts))
        requirements = [_category_requirement(kb, p, slots, bound, labels)]
        for part in parts:
            r = part.item
            tree = bound(r.test, visa, part.lists)
            requirements.append(CompiledRequirement(
                r.id, r.text, tuple(r.cite), tuple(labels[c] for c in r.cite), facts_used(tree),
                part.origin, r.article_says, r.unverified, slots.add(tree), kind(r, tree),
                tuple((m.text, slots.add(bound(m.when, visa, part.lists))) for m in r.met_by)))
        warnings = tuple(
            CompiledWarning(w.item.id, w.item.text, tuple(labels[c] for c in w.item.cite), w.origin,
                            slots.add(bound(w.item.when, visa, w.lists)), tuple(w.item.cite))
            for w in warnings_for(kb, p, events)
        )
        steps, _ = steps_for(kb, p, events)
        ordered, waits, problems = order_steps(steps)
        if problems:
            raise ValueError("; ".join(problems))
        compiled_steps = tuple(
            CompiledStep(s.id, s.text, s.actor, s.weeks.min, s.weeks.max, tuple(sorted(waits[s.id])), tuple(s.fees),
                         s.blocks_start, tuple(labels[c] for c in _step_cite(s)), slots.add(bound(s.when, visa, None)),
                         _typical(s.weeks), s.consular_wait, tuple(_step_cite(s)))
            for s in ordered)
        fees = tuple(
            CompiledFee(f.id, f.text, f.usd, f.payer, tuple(labels[c] for c in f.cite), slots.add(bound(f.when, visa, None)),
                        tuple(f.cite), f.usd_min)
            for f in fees_for(kb, p, events, as_of))
        programs = tuple(
            CompiledProgram(g.id, g.name, g.institution, g.kind, g.takes_text, g.address,
                            tuple(labels[c] for c in (g.takes_cite or g.summary.cite)),
                            tuple(g.takes_cite or g.summary.cite), slots.add(tree), facts_used(tree))
            for g in kb.programs.values() if p.id in g.pathways for tree in [bound(g.takes, visa, None)])
        pathways.append(CompiledPathway(
            p.id, p.name, p.visa, p.authorization, p.route, p.patient_contact,
            CONTACT_RANK[p.patient_contact], tuple(p.categories), tuple(requirements), warnings, order,
            tuple(r.slot for r in requirements), compiled_steps, fees, _barriers(kb, p, labels), programs,
            p.jurisdiction, visa.name, _authorization_name(kb, p), p.summary.text,
            tuple(labels[c] for c in p.summary.cite), tuple(p.summary.cite)))
    waits, processing, processing_citations = _waits(kb, labels, as_of)
    return Rules(as_of, tuple(pathways), category_slots, tuple(slots.trees),
                 tuple(e.id for e in events), kb.last_checked(), _per_diem(kb, labels), _stale(kb, events, as_of),
                 waits, processing, processing_citations, _schedule(kb, labels), arranged,
                 _messages(kb), dict(kb.facts["host_city"].labels) if "host_city" in kb.facts else {})


def _messages(kb) -> dict[str, str]:
    """Message id -> its English template (knowledge/messages.yaml)."""
    return {m.id: m.text for m in kb.messages.values()}


def _typical(weeks) -> float:
    # until every step gives its typical time, the worst case stands in (never a guess below it)
    return weeks.typical if weeks.typical is not None else weeks.max


def _step_cite(step) -> list[str]:
    return list(dict.fromkeys(list(step.cite) + list(step.weeks.cite)))


def _authorization_name(kb, p: schema.Pathway) -> str:
    auth = kb.authorization_of(p)
    return next((r.name for r in auth.routes if r.id == p.route), auth.name) if p.route else auth.name


def _waits(kb, labels, as_of: date):
    """Country -> class -> the shortest wait among its posts, from the latest snapshot read by `as_of`
    (the latest of all when none was read by then)."""
    snapshots = sorted(kb.consular_waits.values(), key=lambda w: w.snapshot)
    if not snapshots:
        return {}, (0.0, 0.0, 0.0), ()
    usable = [w for w in snapshots if w.snapshot <= as_of] or snapshots[:1]
    found: dict[str, dict[str, PostWait]] = {}
    for snapshot in usable:  # later snapshots replace earlier figures for the same country and class
        latest: dict[str, dict[str, PostWait]] = {}
        for post in snapshot.posts:
            for cls, weeks in post.weeks.items():
                wait = PostWait(post.post, weeks, snapshot.snapshot, tuple(labels[c] for c in post.cite), tuple(post.cite))
                best = latest.setdefault(post.country, {}).get(cls)
                if best is None or wait.weeks < best.weeks:
                    latest[post.country][cls] = wait
        for country, classes in latest.items():
            found.setdefault(country, {}).update(classes)
    last = usable[-1]
    proc = last.processing
    return found, (proc.min, _typical(proc), proc.max), tuple(labels[c] for c in last.processing_cite)


def _schedule(kb, labels) -> tuple[ScheduledEvent, ...]:
    return tuple(
        ScheduledEvent(e.id, e.name, e.starts, e.ends, tuple(dict.fromkeys(v for f in e.effects for v in f.visas)),
                       e.summary.text, tuple(labels[c] for c in e.summary.cite), e.announced,
                       tuple(f.fee.id for f in e.effects if f.fee), tuple(f.step.id for f in e.effects if f.step))
        for e in sorted(kb.policies.values(), key=lambda e: e.starts))


def _barriers(kb, p: schema.Pathway, labels) -> tuple[Barrier, ...]:
    """The article's barriers that bear on this pathway, with the enablers that answer them."""
    found = []
    for b in kb.barriers.values():
        if p.id in b.pathways or p.visa in b.visas or p.authorization in b.authorizations:
            enablers = tuple((e.id, e.name, e.summary.text) for e in kb.enablers.values() if b.id in e.answers)
            found.append(Barrier(b.id, b.name, b.summary.text, tuple(labels[c] for c in b.summary.cite), enablers))
    return tuple(found)


def _per_diem(kb, labels) -> tuple[PerDiem, ...]:
    return tuple(
        PerDiem(t.id, t.from_, t.until,
                tuple(Locality(l.id, l.name, tuple(l.cities), tuple(l.lodging_by_month), l.meals_and_incidentals)
                      for l in t.localities),
                tuple(labels[c] for c in t.summary.cite), tuple(t.summary.cite), t.jurisdiction or "ca")
        for t in sorted(kb.living.values(), key=lambda t: t.from_))


def _stale(kb, events, as_of: date) -> tuple[str, ...]:
    """Policy events in force whose sources were last checked long before the rules' date."""
    notes = []
    for event in events:
        checked = min(kb.sources[c].checked for c in event.summary.cite)
        if as_of - checked > POLICY_STALE_AFTER:
            notes.append(say(_messages(kb), "policy-sources-old", event=event.name, checked=checked))
    return tuple(notes)


def _category_requirement(kb, p: schema.Pathway, slots: _Slots, bound, labels) -> CompiledRequirement:
    """A pathway is for the article's categories it appears under (Figures 1 to 3)."""
    definitions = [kb.categories[c] for c in p.categories]
    text = " or ".join(f"({d.test})" for d in definitions)
    tree = bound(text, None, None)
    cites = tuple(dict.fromkeys(c for d in definitions for c in d.cite))
    messages = _messages(kb)
    names = [d.name[0].lower() + d.name[1:] for d in definitions]
    while len(names) > 1:  # "a; or b; or c", as messages a translation can take apart again
        names[-2:] = [say(messages, "either", one=names[-2], other=names[-1])]
    sentence = say(messages, "pathway-for-an" if names[0][0] in "aeiou" else "pathway-for-a", categories=names[0])
    return CompiledRequirement("category", sentence, cites, tuple(labels[c] for c in cites),
                               facts_used(tree), "category", None, False, slots.add(tree))
