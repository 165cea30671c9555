"""The evaluation's JSON: the compact batch writer gives the same object as the dict builder."""

from __future__ import annotations

import json

import numpy as np

from pathways import BatchWriter, verdict_json
from pathways.rules.profile import Profile

from .profiles import DATES
from .test_properties import _random_profile


def test_the_compact_writer_and_the_dict_builder_agree(engine):
    rng = np.random.default_rng(11)
    writer = BatchWriter()
    for i in range(400):
        profile = Profile(_random_profile(engine, rng))
        evaluation = engine.find(profile, DATES[i % len(DATES)])
        assert json.loads(writer.line(evaluation)) == verdict_json(evaluation)


def test_would_take_names_the_unmet_and_unknown_requirements_and_the_facts_to_ask(engine):
    evaluation = engine.find({"stage": "graduate", "postgraduate_years": 4, "citizenships": ["KE"],
                              "current_us_status": "none", "host": {"research_appointment": True}})
    item = next(p for p in verdict_json(evaluation)["pathways"] if p["id"] == "j1-research-scholar-2111")
    assert item["status"] == "needs-info"
    assert item["would_take"]["unmet"] == []
    assert "visiting-fellow-appointment" in item["would_take"]["unknown"]
    assert "host.visiting_fellow_appointment" in item["would_take"]["ask"]


def test_nearest_lists_pathways_with_at_least_the_wanted_contact(engine):
    evaluation = engine.find({"stage": "graduate", "postgraduate_years": 1, "desired_contact": "supervised"})
    nearest = verdict_json(evaluation)["nearest"]
    assert nearest and all(n["patient_contact"] in ("supervised", "independent") for n in nearest)
