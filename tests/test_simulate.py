"""The reform simulator is correct by construction: for every shipped reform, its counts over
thousands of drawn people equal those of the per-person engine run on a copy of the knowledge
base in which the same change was made to the files by hand (not by rules/reform.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from pathways import Engine, Profile
from pathways.rules.loader import KNOWLEDGE_ROOT, load_knowledge
from pathways.rules.reform import ReformError, read_reform, shipped_reforms

from .test_properties import _random_profile

DAY = date(2026, 12, 1)
SHIPPED = shipped_reforms(KNOWLEDGE_ROOT)


def _people(engine, n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [_random_profile(engine, rng) for _ in range(n)]


# ---- the same change, made to the files by hand -------------------------------------------


def _file_of(root: Path, kb, name: str, written: dict) -> Path:
    if name in written:
        return written[name]
    for attr in ("pathways", "visas", "authorizations", "policies"):
        if name in getattr(kb, attr):
            return root / kb.origin[f"{attr}:{name}"]
    keys = [k for k, a in kb.authorizations.items() if a.code == name]
    assert len(keys) == 1, name
    return root / kb.origin[f"authorizations:{keys[0]}"]


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _by_hand(reform, root: Path, kb, written: dict) -> None:
    """Each change of the reform written into the copy's YAML files (`written`: the files of items
    that earlier reforms of the chain added)."""
    sources = root / "sources" / f"reform-{reform.id}.yaml"  # the reform's own sources, as a sources file
    if reform.raw.sources:
        sources.write_text(yaml.safe_dump({k: {**s.model_dump(mode="json", exclude_none=True),
                                               "label": s.label or s.title[:60],
                                               "kind": s.kind if s.kind in _KINDS else "secondary",
                                               "grade": s.grade or "primary"}
                                           for k, s in reform.raw.sources.items()}, sort_keys=False))
    for change in reform.changes:
        (kind, body), = change.items()
        if kind in ("replace_requirement", "remove_requirement", "add_requirement"):
            path = _file_of(root, kb, body["in"], written)

            def edit(data, kind=kind, body=body):
                reqs = data.setdefault("requirements", [])
                index = next((i for i, r in enumerate(reqs) if isinstance(r, dict) and r.get("id") == body["id"]), None)
                fields = {k: v for k, v in body.items() if k != "in"}
                if kind == "replace_requirement":
                    reqs[index].update(fields)
                elif kind == "remove_requirement":
                    reqs.pop(index)
                else:
                    reqs.append({"cite": [], **fields})

            _edit(path, edit)
        elif kind == "add":
            (what, data), = body.items()
            folder = {"visa": "us/visas", "policy_event": "us/policies",
                      "authorization": f"{data.get('jurisdiction', 'ca')}/authorizations",
                      "pathway": f"{data.get('jurisdiction', 'ca')}/pathways"}[what]
            name = data.get("id") or data.get("code")
            written[name] = root / folder / f"{name}.yaml"
            written[name].write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        elif kind == "end_event":
            on = body["on"] if isinstance(body["on"], date) else date.fromisoformat(str(body["on"]))
            _edit(_file_of(root, kb, body["id"], written),
                  lambda data, on=on: data.__setitem__("ends", max(on.fromordinal(on.toordinal() - 1),
                                                                    date.fromisoformat(str(data["starts"])).fromordinal(
                                                                        date.fromisoformat(str(data["starts"])).toordinal() - 1))))


_KINDS = {"statute", "regulation", "proclamation", "federal-register", "court", "agency-page", "data", "article",
          "institutional", "secondary", "bill"}


def _best(evaluation) -> int:
    return max((r.pathway.contact_rank for r in evaluation.pathways if r.status == "open"), default=-1)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_shipped_reform_counts_as_the_engine_on_a_base_changed_by_hand(path, tmp_path, engine):
    chain = engine.read_reforms([path.stem])  # with the reforms it builds on, first
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_ROOT, root)
    written: dict = {}
    for reform in chain:
        _by_hand(reform, root, engine.kb, written)
    by_hand = Engine(load_knowledge(root))
    people = _people(engine, 2500, seed=sum(map(ord, path.stem)))
    chunks = [engine.people_chunk(people[i:i + 700]) for i in range(0, len(people), 700)]
    result = engine.simulate(chunks, chain, DAY, state="all")

    opened_before, opened_after, gained, lost = Counter(), Counter(), 0, 0
    for facts in people:
        before, after = engine.evaluate(Profile(facts), DAY, "all"), by_hand.evaluate(Profile(facts), DAY, "all")
        opened_before.update(r.pathway.id for r in before.pathways if r.status == "open")
        opened_after.update(r.pathway.id for r in after.pathways if r.status == "open")
        gained += _best(after) > _best(before)
        lost += _best(after) < _best(before)
    assert {p: c["baseline"] for p, c in result["by_pathway"].items() if c["baseline"]} == dict(opened_before)
    assert {p: c["reform"] for p, c in result["by_pathway"].items() if c["reform"]} == dict(opened_after)
    assert (result["gained"], result["lost"]) == (gained, lost)
    assert result["population"] == len(people)
    assert sum(c["baseline"] for c in result["by_contact"].values()) == len(people)
    # a reform that adds or loosens a pathway changes some drawn person's pathways (what each reform
    # does to its own example people is tested below; R2 changes costs and R5 words only)
    if any(next(iter(c)) in ("add", "replace_requirement", "remove_requirement") for r in chain for c in r.changes) \
            and path.stem not in TEXT_OR_COST_ONLY:
        assert any(c["baseline"] != c["reform"] for c in result["by_pathway"].values()), "the reform changed nobody"


TEXT_OR_COST_ONLY = {"h1b-physician-payment-exemption", "incidental-care-guidance"}


def test_the_example_reform_opens_the_2113_to_three_years_of_practice(engine):
    person = {"citizenships": ["KE"], "stage": "graduate", "postgraduate_years": 5, "practice_years": 3,
              "home_license": True, "current_us_status": "none", "has_ssn_or_itin": False,
              "host": {"faculty_appointment": True, "employment_sponsorship": True}}
    facts = engine.check(person).facts
    reform = engine.read_reforms(["bpc-2113-three-years"])
    result = engine.simulate([engine.people_chunk([facts])], reform, DAY)
    assert result["by_pathway"]["h1b-2113"] == {"baseline": 0, "reform": 1} and result["gained"] == 1
    stricter = engine.read_reforms(["bpc-2113-three-years"], {"": {"years": "4"}})
    assert engine.simulate([engine.people_chunk([facts])], stricter, DAY)["gained"] == 0


def test_a_reform_that_names_what_does_not_exist_is_refused_with_file_and_line(engine, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname: Bad\nsummary: {text: x, cite: [article]}\nchanges:\n"
                   "  - replace_requirement: {in: bpc-2113, id: no-such-requirement, test: 'practice_years >= 1'}\n"
                   "  - remove_requirement: {in: nowhere, id: x}\n")
    with pytest.raises(ReformError) as error:
        engine.reformed(engine.read_reforms([str(bad)]), DAY)
    text = str(error.value)
    assert "bad.yaml:5" in text and "no-such-requirement" in text and "bad.yaml:6" in text and "nowhere" in text
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nname: Broken\nsummary: {text: x, cite: [article]}\nchanges:\n"
                      "  - replace_requirement: {in: bpc-2113, id: practice-4-years, test: 'practice_years >>= 1'}\n")
    with pytest.raises(ReformError):
        engine.reformed(engine.read_reforms([str(broken)]), DAY)
    assert engine.kb.authorizations["bpc-2113"].requirements[0].test != "practice_years >>= 1"  # never in part


def test_simulate_runs_from_the_command_line_with_the_contracts_keys(tmp_path):
    people = tmp_path / "people.jsonl"
    people.write_text("\n".join(json.dumps({"citizenships": ["KE"], "stage": "graduate", "postgraduate_years": 5,
                                            "practice_years": y, "home_license": True, "current_us_status": "none",
                                            "host": {"faculty_appointment": True, "employment_sponsorship": True}})
                                for y in (2, 3, 4)) + "\n")
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "simulate", "--population", str(people),
                          "--reform", "bpc-2113-three-years", "--as-of", "2026-12-01", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert set(result) >= {"population", "as_of", "baseline", "reform", "by_pathway", "by_contact", "gained", "lost"}
    assert result["population"] == 3 and result["gained"] == 1 and result["reform"]["ids"] == ["bpc-2113-three-years"]
    csv_people = tmp_path / "people.csv"
    csv_people.write_text("citizenships,stage,postgraduate_years,practice_years,home_license,current_us_status,"
                          "host.faculty_appointment,host.employment_sponsorship\n"
                          "KE,graduate,5,3,true,none,true,true\nKE;GB,graduate,5,2,true,none,true,true\n")
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "simulate", "--population", str(csv_people),
                          "--reform", "bpc-2113-three-years", "--as-of", "2026-12-01", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr and json.loads(run.stdout)["gained"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("stage,final_year\nstudent,maybe\n")
    run = subprocess.run([sys.executable, "-m", "pathways.cli", "simulate", "--population", str(bad), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "row 2" in run.stderr and "final_year" in run.stderr and "Traceback" not in run.stderr


def test_two_dates_are_compared_without_a_reform(engine):
    """The January 2026 entry restrictions close a Nigerian student's B-1 elective."""
    facts = engine.check({"citizenships": ["NG"], "stage": "student", "final_year": True, "enrolled_in_us_school": False,
                          "school_recognized_by_mbc": True, "current_us_status": "none", "us_permanent_resident": False,
                          "host": {"dean_approved_elective": True}}).facts
    result = engine.simulate([engine.people_chunk([facts])], [], date(2025, 12, 31), date(2026, 1, 2))
    assert result["reform"] == {"ids": [], "as_of": "2026-01-02"}
    assert result["by_pathway"]["b1-elective"] == {"baseline": 1, "reform": 0} and result["lost"] == 1


def test_a_parquet_population_is_read_in_batches(engine, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"citizenships": "KE", "stage": "graduate", "postgraduate_years": 5, "practice_years": y,
             "home_license": True, "current_us_status": "none", "host.faculty_appointment": True,
             "host.employment_sponsorship": True} for y in (1, 2, 3, 3, 4)]
    path = tmp_path / "people.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    chunks = list(engine.population(path, chunk=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    result = engine.simulate(chunks, engine.read_reforms(["bpc-2113-three-years"]), DAY)
    assert result["population"] == 5 and result["gained"] == 2 and result["by_country"]["KE"]["people"] == 5


def test_synthetic_people_are_valid_profiles_and_the_same_seed_draws_the_same_people(engine):
    first = list(engine.synthetic_population(3000, seed=11, chunk=1000))
    again = list(engine.synthetic_population(3000, seed=11, chunk=1000))
    assert [len(c) for c in first] == [1000, 1000, 1000]
    for a, b in zip(first, again):
        assert [a.profile(i) for i in range(0, 1000, 37)] == [b.profile(i) for i in range(0, 1000, 37)]
    from pathways import Profile

    chunk = first[0]
    for i in range(0, len(chunk), 10):
        person = chunk.profile(i)
        contract = Profile(person).to_contract()
        assert engine.check(contract).facts == person  # every drawn person is a valid profile
        if person.get("ecfmg_certified"):
            assert {"step1", "step2ck"} <= set(person.get("usmle_passed", ()))
        if person.get("enrolled_in_us_school"):
            assert person.get("current_us_status") in ("f-1", "j-1-student")
    # the numpy table of the drawn columns is the table of the same people as profiles
    people = [chunk.profile(i) for i in range(len(chunk))]
    rules = engine.rules(DAY)
    from pathways.engine.vector import evaluate_table

    drawn = evaluate_table(rules, chunk.table(engine.kb.facts, engine.checker.vocabularies))
    rebuilt = evaluate_table(rules, engine.people_chunk(people).table(engine.kb.facts, engine.checker.vocabularies))
    assert (drawn == rebuilt).all()


def test_a_synthetic_run_counts_by_country_and_income_group(engine):
    result = engine.simulate(engine.synthetic_population(4000, seed=2), engine.read_reforms(["bpc-2113-three-years"]),
                             DAY, income_groups=engine.income_groups())
    assert result["population"] == 4000
    assert sum(g["people"] for g in result["by_country"].values()) == 4000
    assert sum(g["people"] for g in result["by_income_group"].values()) == 4000
    assert {"low", "lower-middle", "upper-middle", "high"} <= set(result["by_income_group"])
    assert sum(g["people"] for g in result["by_category"].values()) == 4000


def test_single_reforms_are_ranked_by_the_people_for_whom_hands_on_care_opens(engine):
    ids = ["bpc-2113-three-years", "ca-short-term-clinical-permit", "incidental-care-guidance"]
    ranking = engine.rank_reforms(lambda: engine.synthetic_population(5000, seed=4), ids, DAY)
    assert [r["id"] for r in ranking][0] == "ca-short-term-clinical-permit" and ranking[0]["gained_hands_on"] > 0
    assert [r["gained_hands_on"] for r in ranking] == sorted((r["gained_hands_on"] for r in ranking), reverse=True)
    alone = engine.simulate(engine.synthetic_population(5000, seed=4), engine.read_reforms(["ca-short-term-clinical-permit"]), DAY)
    assert ranking[0]["gained_hands_on"] == alone["gained_hands_on"]  # the same people for every reform
