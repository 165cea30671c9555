"""The summary of an evaluation without building its whole verdict (issue 16).

`verdict_json(v, "summary")` reads of each pathway only its id, status, whether it is within
reach, its requirements' statuses, its timeline and its costs; and of the evaluation its
category, the nearest pathways with what they would take, and the events ahead. The full
verdict (requirements with their facts, plans with dated steps, warnings, programmes) costs
several times as much to build, and a batch at `--detail summary` would throw most of it
away. So the summary is written here from the same parts, made the same way (the plan's
timeline by plan.py; the builder's costs, `upcoming` and `_would_take`), through report.py's
own functions, given small stand-ins that carry exactly what those functions read: the text
is the same by construction (a function that came to read more would fail on a stand-in,
not write something else), and tests/test_batch.py holds it to verdict_json's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import build
from .build import residence
from .evaluate import Evaluation, evaluate
from .jsonbytes import dumps
from .plan import make_timeline
from .report import _tail, pathway_json


class _Requirement(NamedTuple):  # what the summary and `_would_take` read of a RequirementVerdict
    id: str
    kind: str
    status: str
    facts: tuple


class _Pathway(NamedTuple):  # ... of a PathwayVerdict
    id: str
    status: str
    reachable: bool
    requirements: tuple
    timeline: Any
    cost: Any
    patient_contact: str
    would_take: Any  # set for the nearest only: the others' is not shown


class _Verdict(NamedTuple):  # ... of a Verdict (the tail: nearest, events, dates)
    nearest: tuple
    policy_events: tuple
    upcoming: tuple
    rules_checked: Any
    stale: tuple


class Briefs:
    """Summary lines of one day's evaluations, as UTF-8 pieces; pathway texts kept for reuse."""

    def __init__(self, builder, places):
        self.builder, self.rules, self.places = builder, builder.rules, places
        self.texts: dict[tuple, tuple] = {}  # (pathway, statuses, timeline, id of costs) -> (costs, text)
        self.held = 0  # bytes of text made

    def pieces(self, profile) -> list[bytes]:
        """The line: its head, each pathway's text with commas between, its tail (no newline)."""
        evaluation = evaluate(self.rules, profile, self.places)
        country, start = residence(profile), profile.get("start_date")
        briefs, texts = {}, []
        for result in evaluation.pathways:
            brief, text = self._pathway(result, profile, country, start)
            briefs[brief.id] = brief
            texts += [b",", text] if texts else [text]
        head = dumps({"as_of": self.rules.as_of.isoformat(), "category": evaluation.category})
        tail = dumps(_tail(self._verdict(evaluation, briefs)))
        self.held += len(head) + len(tail)
        return [head[:-1] + b',"pathways":[', *texts, b"]," + tail[1:]]

    def _verdict(self, evaluation: Evaluation, briefs: dict) -> _Verdict:
        rules = self.rules
        nearest = tuple(_taking(briefs[r.pathway.id], evaluation.profile) for r in evaluation.nearest())
        return _Verdict(nearest, rules.events, self.builder._upcoming_for(evaluation), rules.last_checked, rules.stale)

    def _pathway(self, result, profile, country, start) -> tuple[_Pathway, bytes]:
        p, values, builder = result.pathway, result.values, self.builder
        # the facts read matter only where unknown: they are the ones to ask (_would_take)
        requirements = tuple([_Requirement(r.id, r.kind, status, tuple([(n, profile.get(n)) for n in r.facts])
                                           if status == "unknown" else ()) for r, status in result.requirements])
        reachable = not any(r.status == "unmet" and r.kind == "eligibility" for r in requirements)
        # the plan's timeline as builder._plan lays it out, without its dated steps
        waits = self.rules.waits.get(country, {}) if country else {}
        timeline = make_timeline(self.rules, p.steps, values, self.rules.as_of, start, waits)
        cost = builder._cost(p, values, profile, timeline.start_date or timeline.earliest_start)
        brief = _Pathway(p.id, result.status, reachable, requirements, timeline, cost, p.patient_contact, None)
        key = (p.id, result.statuses, timeline, id(cost))
        found = self.texts.get(key)
        if found is None or found[0] is not cost:  # kept with it: its id is not reused
            found = self.texts[key] = (cost, dumps(pathway_json(brief, "summary")))
            self.held += len(found[1])
        return brief, found[1]


def _taking(brief: _Pathway, profile) -> _Pathway:
    """The pathway with what it would take (only the nearest show it)."""
    return brief if brief.status == "open" else brief._replace(would_take=build._would_take(brief.requirements, profile))
