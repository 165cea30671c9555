"""Engine.find_full and find_summary: a person's answer from dated templates (engine/dated.py, issue 16).

The answer must be, byte for byte, what BatchWriter writes of `Engine.find`'s verdict at that
detail (the API's answer before). People drawn at random are asked about with other start dates, stays and
cities, so that most pathways are written from a template of their kind filled with the person's
own days, amounts and judged parts; in every state and on days with and without events ahead. A
template that does not give the builder's text is never used; a known kind is answered without
building the pathway's verdict; what is kept stays within its bound.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from pathways import BatchWriter, Engine, ProfileError
from pathways.engine import core, dated
from pathways.engine.build import Builder
from pathways.rules.profile import Profile

from .test_properties import _random_profile

DAYS = [date(2025, 10, 1), date(2025, 12, 20), date(2026, 3, 1), date(2026, 12, 7)]
STATES = ("ca", "oh", "tn", "all")


def _people(engine, count: int, seed: int) -> list:
    """`count` people drawn at random, each asked about again with other start dates, stays and cities."""
    rng, found = np.random.default_rng(seed), []
    cities = sorted(engine.kb.facts["host_city"].values)
    while len(found) < count:
        try:
            base = engine.check(Profile(_random_profile(engine, rng)).to_contract()).to_contract()
        except ProfileError:
            continue
        for _ in range(5):
            person = dict(base)
            person["start_date"] = (date(2025, 6, 1) + timedelta(days=int(rng.integers(0, 1800)))).isoformat()
            if rng.random() < 0.8:
                person["duration_weeks"] = int(rng.integers(1, 60))
            else:
                person.pop("duration_weeks", None)
            if cities and rng.random() < 0.3:
                person["host_city"] = str(rng.choice(cities))
            try:
                found.append(engine.check(person))
            except ProfileError:  # a stay the person's other answers refuse: drawn again
                continue
    return found


@pytest.fixture(scope="module")
def server_engine(kb):
    return Engine(kb, cache_limit=1000)


def _asked(people):
    """Each person's five variants on one day, in one state; people in turn on every day and state."""
    return [(profile, DAYS[(i // 5) % len(DAYS)], STATES[(i // 20) % len(STATES)]) for i, profile in enumerate(people)]


def test_the_answer_is_the_writers_text_of_the_verdict_byte_for_byte(server_engine, monkeypatch):
    engine, writer, short = server_engine, BatchWriter("full"), BatchWriter("summary")
    monkeypatch.setattr(engine, "_dated", {})
    monkeypatch.setattr(engine, "_answers", {})
    filled = []
    real_fills = dated._fills
    monkeypatch.setattr(dated, "_fills", lambda *a: filled.append(1) or real_fills(*a))
    written = 0
    for profile, day, state in _asked(_people(engine, 300, 16)):
        answer, verdict = engine.find_full(profile, day, state), engine.find(profile, day, state)
        assert answer == writer.encode(verdict), (profile.to_contract(), day, state)
        assert engine.find_summary(profile, day, state) == short.encode(verdict), (profile.to_contract(), day, state)
        written += answer.count(b'"critical_path"')  # one per pathway's text (its timeline's)
    kinds = [t for f in engine._dated.values() if f.full for t in f.templates.values()]
    templates = [t for t in kinds if type(t) is tuple]
    assert templates and all(t is not dated._NO_TEMPLATE for f in engine._dated.values() for t in f.templates.values())
    # a fifth of the pathways' texts were written from a template of their kind, not built (a template
    # is made the second time its kind is met, and filled once to check it)
    assert len(filled) - len(templates) > written // 5, (len(filled), len(templates), written)


def test_people_without_a_start_date_get_the_builders_answer(server_engine):
    engine, writer = server_engine, BatchWriter("full")
    for profile in _people(engine, 10, 3)[::5]:
        person = engine.check({k: v for k, v in profile.to_contract().items() if k != "start_date"})
        assert engine.find_full(person) == writer.encode(engine.find(person))


def test_a_template_that_does_not_give_the_builders_text_is_never_used(kb, monkeypatch):
    engine, writer = Engine(kb, cache_limit=1000), BatchWriter("full")
    real_fills = dated._fills

    def one_day_late(shape, rules, timeline, fees, item, full=True):  # every due day written a day late
        fills = real_fills(shape, rules, timeline, fees, item, full)
        if not (full and shape.dues):
            return fills
        dues = fills[-len(shape.dues):]
        late = [dated._iso(date.fromisoformat(f.decode().strip('"')) + timedelta(days=1)) for f in dues]
        return fills[:len(fills) - len(shape.dues)] + late

    monkeypatch.setattr(dated, "_fills", one_day_late)
    for profile, day, state in _asked(_people(engine, 40, 7)):
        assert engine.find_full(profile, day, state) == writer.encode(engine.find(profile, day, state))
    kinds = [t for f in engine._dated.values() for t in f.templates.values()]
    assert kinds and any(t is dated._NO_TEMPLATE for t in kinds)  # those with steps: refused, built every time


def _known_kinds(engine, base: dict, state: str) -> list:
    """People whose pathways' kinds are known: each start date asked about first with stays of 8 and
    9 weeks (a kind's template is made the second time it is met, from that person's verdict), then
    these with other stays."""
    starts = [(date(2027, 3, 2) + timedelta(days=n)).isoformat() for n in range(0, 200, 23)]
    for start in starts:
        for weeks in (8, 9):
            person = engine.check({**base, "start_date": start, "duration_weeks": weeks})
            engine.find_full(person, DAYS[-1], state)
            engine.find_summary(person, DAYS[-1], state)
    return [engine.check({**base, "start_date": start, "duration_weeks": 10 + n % 2}) for n, start in enumerate(starts)]


@pytest.mark.parametrize("detail", ["full", "summary"])
def test_a_new_person_of_a_known_kind_is_answered_without_building_a_verdict(kb, monkeypatch, detail):
    engine, writer = Engine(kb, cache_limit=1000), BatchWriter(detail)
    student = {"citizenships": ["UG"], "stage": "student", "final_year": True, "school_recognized_by_mbc": True,
               "current_us_status": "none", "host": {"dean_approved_elective": True}, "desired_contact": "supervised"}
    surgeon = {"citizenships": ["NG"], "stage": "graduate", "postgraduate_years": 4}
    people = [(p, "ca") for p in _known_kinds(engine, student, "ca")] + [
        (p, "all") for p in _known_kinds(engine, surgeon, "all")]
    expected = [writer.encode(engine.find(p, DAYS[-1], state)) for p, state in people]

    def no_verdict(*args, **kwargs):
        raise AssertionError("a pathway's verdict was built")

    monkeypatch.setattr(Builder, "pathway", no_verdict)
    monkeypatch.setattr(Builder, "_build", no_verdict)
    find = engine.find_full if detail == "full" else engine.find_summary
    for (person, state), text in zip(people, expected):
        assert find(person, DAYS[-1], state) == text


def test_what_find_full_keeps_stays_within_its_bound(kb, monkeypatch):
    engine, writer = Engine(kb, cache_limit=1000), BatchWriter("full")
    monkeypatch.setattr(core, "SERVER_TEMPLATES_KEPT", 3)
    monkeypatch.setattr(core, "SERVER_ANSWERS_HELD", 1)
    for profile, day, state in _asked(_people(engine, 20, 11)):
        assert engine.find_full(profile, day, state) == writer.encode(engine.find(profile, day, state))
        for fulls in engine._dated.values():
            assert len(fulls.templates) <= 3 + len(engine.rules(day).pathways)  # let go, then one answer's kinds
            assert len(fulls.parts) <= 3 * 3 + 3 * len(engine.rules(day).pathways)
