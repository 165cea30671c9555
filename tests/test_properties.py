"""Properties of the engine over random profiles (hypothesis).

- An unknown fact never opens a pathway: a pathway open for a partial profile stays
  open however the unknown facts are answered, and nothing is open for an empty one.
- Answering an unknown fact moves a pathway only out of needs-info.
  (Both hold over the three-valued facts: a fact that facts.yaml reads as "no" when left
  out, `absent`, such as a green card, is not unknown, and saying yes to it can close.)
- The per-person and the vectorised evaluation agree on every test and pathway.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.engine.evaluate import judge
from pathways.engine.vector import STATUS_CODES, ProfileTable, evaluate_table, pathway_statuses
from pathways.rules.profile import Profile

from .profiles import DATES, flat_profiles, three_valued

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def statuses(rules, facts) -> dict[str, str]:
    values = rules.evaluate(facts)
    return {p.id: judge(p, values).status for p in rules.pathways}


def test_nothing_is_open_for_a_person_we_know_nothing_about(engine):
    for day in DATES:
        assert "open" not in statuses(engine.rules(day), {}).values()


@given(data=st.data())
@SETTINGS
def test_an_open_pathway_stays_open_whatever_the_unknowns_turn_out_to_be(engine, data):
    facts = engine.kb.facts
    rules = engine.rules(data.draw(st.sampled_from(DATES)))
    partial = data.draw(flat_profiles(facts, known=0.6))
    # a fact read as "no" when left out (facts.yaml `absent`) is not unknown: the completion
    # leaves it as the partial profile has it
    completion = data.draw(flat_profiles(three_valued(facts), known=1.0))
    full = {**completion, **partial}
    before, after = statuses(rules, partial), statuses(rules, full)
    for pathway_id, status in before.items():
        if status == "open":
            assert after[pathway_id] == "open", (pathway_id, partial, full)


@given(data=st.data())
@SETTINGS
def test_answering_a_fact_only_moves_pathways_out_of_needs_info(engine, data):
    facts = engine.kb.facts
    rules = engine.rules(data.draw(st.sampled_from(DATES)))
    partial = data.draw(flat_profiles(facts, known=0.5))
    unknown = sorted(set(three_valued(facts)) - set(partial))
    if not unknown:
        return
    name = data.draw(st.sampled_from(unknown))
    answer = data.draw(flat_profiles({name: facts[name]}, known=1.0))
    before, after = statuses(rules, partial), statuses(rules, {**partial, **answer})
    for pathway_id, status in before.items():
        if status != "needs-info":
            assert after[pathway_id] == status, (pathway_id, name, answer, partial)


def _vocabularies(engine):
    return engine.checker.vocabularies


def test_per_person_and_vectorised_evaluations_agree_on_thousands_of_profiles(engine):
    rng = np.random.default_rng(7)  # reproducible
    people = [_random_profile(engine, rng) for _ in range(4000)]
    table = ProfileTable(people, engine.kb.facts, _vocabularies(engine))
    for day in DATES:
        rules = engine.rules(day)
        vector = evaluate_table(rules, table)
        scalar = np.array([[{True: 1, False: 0, None: -1}[v] for v in rules.evaluate(p)] for p in people], dtype=np.int8)
        mismatch = np.argwhere(vector != scalar)
        assert mismatch.size == 0, f"{day}: row {mismatch[0][0]}, test {rules.trees[mismatch[0][1]]}: {people[mismatch[0][0]]}"
        by_vector = pathway_statuses(rules, vector)
        for row in range(0, len(people), 97):
            expected = statuses(rules, people[row])
            got = {p.id: STATUS_CODES[by_vector[row, j]] for j, p in enumerate(rules.pathways)}
            assert got == expected


def _random_profile(engine, rng) -> dict:
    """A profile drawn with numpy (fast enough for thousands), same space as hypothesis."""
    from .profiles import COUNTRIES, VISAS_OR_NONE

    out = {}
    for name, d in engine.kb.facts.items():
        if rng.random() > 0.7:
            continue
        if d.type == "bool":
            out[name] = bool(rng.integers(2))
        elif d.type == "number":
            out[name] = float(rng.integers(0, 9)) if rng.random() < 0.7 else round(float(rng.uniform(0, 15)), 1)
        elif d.type == "codes":
            out[name] = frozenset(rng.choice(COUNTRIES, size=int(rng.integers(1, 3))).tolist())
        elif d.type == "set":
            out[name] = frozenset(v for v in d.values if rng.random() < 0.5)
        elif d.type == "date":
            out[name] = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 1500)))
        elif d.type == "date":
            out[name] = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 1500)))
        elif d.type == "enum":
            values = {"visas-or-none": VISAS_OR_NONE, "countries": COUNTRIES,
                      "contact-levels": ["none", "incidental", "supervised", "independent"]}.get(d.vocabulary, d.values)
            assert len(values), f"no values to draw for {name}"
            out[name] = str(rng.choice(values))
    return out


def test_profile_round_trips_to_the_contract_shape(engine):
    profile = engine.check({"citizenships": ["KE"], "host": {"observership": True}, "postgraduate_years": 2})
    assert engine.check(profile.to_contract()).facts == profile.facts
    assert isinstance(profile, Profile)


@given(data=st.data())
@SETTINGS
def test_per_person_and_vectorised_evaluations_agree_on_drawn_populations(engine, data):
    rules = engine.rules(data.draw(st.sampled_from(DATES)))
    people = data.draw(st.lists(flat_profiles(engine.kb.facts, known=0.7), min_size=1, max_size=20))
    vector = evaluate_table(rules, ProfileTable(people, engine.kb.facts, _vocabularies(engine)))
    for row, person in enumerate(people):
        assert tuple({1: True, 0: False, -1: None}[int(v)] for v in vector[row]) == rules.evaluate(person)
