"""The reform simulator over a million synthetic people, beside bare numpy and OpenFisca.

Issue 12's targets: one million synthetic profiles, baseline plus one reform, in under twice
the time of a bare-numpy evaluation of the same tests written by hand, and faster than
OpenFisca's reform on a comparable rule set in the same run; memory under 1 GB; ten million
profiles from a file in bounded memory (run with --file-millions 10 to include that, it is long).

The comparable rule set: the 2113 faculty registration with its three visas (H-1B, E-3, TN):
the tests of those three pathways, written by hand in numpy and as OpenFisca variables, and the
reform `bpc-2113-three-years` (four years of practice become three). Our simulator runs the same
three pathways (a knowledge base cut down to them) and, for the record, every pathway.

Run: .venv/bin/python benchmarks/bench_simulate.py [--people 1000000]
OpenFisca is not a dependency: `pip install openfisca-core` to include it.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from pathways import Engine
from pathways.engine.simulate import Side, simulate

DAY = date(2026, 12, 1)
PATHWAYS = ("h1b-2113", "e3-2113", "tn-2113")


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.2f} s")
    return value, seconds


def cut_down(engine: Engine) -> Engine:
    kb = copy.copy(engine.kb)
    kb.pathways = {k: v for k, v in engine.kb.pathways.items() if k in PATHWAYS}
    # what names the pathways left out names only those kept
    kb.programs = {k: g.model_copy(update={"pathways": [p for p in g.pathways if p in PATHWAYS]})
                   for k, g in engine.kb.programs.items()}
    kb.barriers = {k: b.model_copy(update={"pathways": [p for p in b.pathways if p in PATHWAYS]})
                   for k, b in engine.kb.barriers.items()}
    return Engine(kb)


FULL = ("LY", "TD", "HT", "LA", "SS", "BF", "CG", "MM", "NE", "IR", "ER", "SY", "ML", "PS", "AF", "GQ", "SL", "YE",
        "SD", "SO")  # Proclamation 10998's full suspension, as the rules of the day read it


def inputs(t) -> dict:
    """The facts the three pathways read, as true-valued arrays (unknown is not true) and numbers."""
    c = t.columns

    def true(name):
        return c[name].values & c[name].known

    def code(name, text):
        col = c[name]
        return col.known & (col.values == col.vocabulary.index(text))

    cit = c["citizenships"]
    at = {code: i for i, code in enumerate(cit.vocabulary)}
    # the population keeps each person's nationalities as an index into the drawn sets: read per set

    def holds(*codes):
        return cit.count_in(np.array([at[x] for x in codes])) > 0

    held = cit.held()
    listed = cit.count_in(np.array([at[x] for x in FULL]))
    status = c["current_us_status"]
    return {
        "graduate": code("stage", "graduate"),
        "postgraduate_years": np.where(c["postgraduate_years"].known, c["postgraduate_years"].values, -1.0),
        "practice_years": np.where(c["practice_years"].known, c["practice_years"].values, -1.0),
        "not_us_person": cit.known & ~holds("US") & ~true("us_permanent_resident"),
        "employer": true("host.employment_sponsorship"),
        "faculty": true("host.faculty_appointment"),
        "not_j1_physician": status.known & (status.values != status.vocabulary.index("j-1-alien-physician")),
        "australian": cit.known & holds("AU"),
        "canadian_or_mexican": cit.known & holds("CA", "MX"),
        # the entry restriction: in the US already, or some nationality off the full list
        "not_barred": (status.known & (status.values != status.vocabulary.index("none"))) | (cit.known & (listed < held)),
    }


def by_hand(chunks, vocabularies, facts, three_years: bool) -> np.ndarray:
    """The three pathways' tests written out in numpy: how many people each opens (open: every
    requirement true; the SSN test is always true on these work visas)."""
    counts = np.zeros(3, dtype=np.int64)
    for chunk in chunks:
        x = inputs(chunk.table(facts, vocabularies))
        common = (x["graduate"] & (x["postgraduate_years"] >= 3) & x["not_us_person"] & x["employer"] & x["faculty"]
                  & (x["practice_years"] >= (3 if three_years else 4)) & x["not_barred"])
        counts[0] += int((common & x["not_j1_physician"]).sum())
        counts[1] += int((common & x["australian"]).sum())
        counts[2] += int((common & x["canadian_or_mexican"]).sum())
    return counts


def openfisca_run(chunks, vocabularies, facts) -> float | None:
    try:
        from openfisca_core import periods, simulation_builder, taxbenefitsystems, variables
        from openfisca_core.entities import build_entity
        from openfisca_core.reforms import Reform
    except ImportError:
        print("OpenFisca not installed (pip install openfisca-core): skipped")
        return None
    Person = build_entity(key="person", plural="persons", label="A person", is_person=True)

    def var(name, kind, formula=None):
        attrs = {"value_type": kind, "entity": Person, "definition_period": periods.DateUnit.ETERNITY, "label": name}
        if formula:
            attrs["formula"] = formula
        return type(name, (variables.Variable,), attrs)

    bools = ("graduate", "not_us_person", "employer", "faculty", "not_j1_physician", "australian",
             "canadian_or_mexican", "not_barred")
    variables_in = [var(n, bool) for n in bools] + [var(n, float) for n in ("postgraduate_years", "practice_years")]

    def eligible(years):
        def formula(person, period):
            return (person("graduate", period) * (person("postgraduate_years", period) >= 3) * person("not_us_person", period)
                    * person("employer", period) * person("faculty", period)
                    * (person("practice_years", period) >= years) * person("not_barred", period))
        return formula

    system = taxbenefitsystems.TaxBenefitSystem([Person])
    for v in variables_in:
        system.add_variable(v)
    system.add_variable(var("faculty_2113", bool, eligible(4)))
    system.add_variable(var("h1b_2113", bool, lambda p, t: p("faculty_2113", t) * p("not_j1_physician", t)))
    system.add_variable(var("e3_2113", bool, lambda p, t: p("faculty_2113", t) * p("australian", t)))
    system.add_variable(var("tn_2113", bool, lambda p, t: p("faculty_2113", t) * p("canadian_or_mexican", t)))

    class ThreeYears(Reform):
        def apply(self):
            self.update_variable(var("faculty_2113", bool, eligible(3)))

    reformed = ThreeYears(system)
    start = time.perf_counter()
    counts = [np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64)]
    for chunk in chunks:
        t = chunk.table(facts, vocabularies)
        data = inputs(t)
        for k, tbs in enumerate((system, reformed)):
            sim = simulation_builder.SimulationBuilder().build_default_simulation(tbs, t.n)
            for name, values in data.items():
                sim.set_input(name, "2026", values)
            for j, name in enumerate(("h1b_2113", "e3_2113", "tn_2113")):
                counts[k][j] += int(sim.calculate(name, "2026").sum())
    seconds = time.perf_counter() - start
    print("OpenFisca open (baseline, reform):", counts[0].tolist(), counts[1].tolist())
    return seconds


def sides(engine: Engine, reforms) -> tuple[Side, Side]:
    """The two rule sets, compiled (the reform applied and checked): set up once, like
    OpenFisca's tax-benefit system and its reform, which are built before its clock starts."""
    return Side.of(engine, DAY, None), Side.of(engine.reformed(reforms, DAY), DAY, None)


def ours(both: tuple[Side, Side], chunks) -> dict:
    tally = simulate(chunks, *both)
    return {"open": {p: (tally.baseline_open[p], tally.reform_open[p]) for p in PATHWAYS}, "gained": tally.gained}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--file-millions", type=int, default=0, help="also stream this many million people from a file")
    args = parser.parse_args()
    engine = Engine.load()
    small = cut_down(engine)
    reforms = engine.read_reforms(["bpc-2113-three-years"])
    print(f"{args.people:,} synthetic people, rules of {DAY}; reform bpc-2113-three-years")
    chunks, _ = timed("draw the population (numpy, by country and category)",
                      lambda: list(engine.synthetic_population(args.people, seed=1)))
    vocab, facts = engine.checker.vocabularies, engine.kb.facts

    def fresh():  # every contender builds the tables it reads: none is timed on another's cache
        for chunk in chunks:
            chunk._tables = {}
        return chunks

    fresh()
    hand, t_hand = timed("bare numpy, the three pathways' tests by hand, x2 rule sets",
                         lambda: (by_hand(chunks, vocab, facts, False), by_hand(chunks, vocab, facts, True)))
    small_sides, _ = timed("set-up: the reform applied, both rule sets compiled (3 pathways)",
                           lambda: sides(small, reforms))
    every_sides, _ = timed("set-up: the reform applied, both rule sets compiled (every pathway)",
                           lambda: sides(engine, reforms))
    fresh()
    three, t_three = timed("simulator, the same three pathways, baseline + reform", lambda: ours(small_sides, chunks))
    fresh()
    every, t_every = timed("simulator, every pathway (26 in California), baseline + reform",
                           lambda: ours(every_sides, chunks))
    fresh()
    t_fisca = openfisca_run(chunks, vocab, facts)
    if t_fisca is not None:
        print(f"{'OpenFisca, the same three pathways, baseline + reform':<58} {t_fisca:8.2f} s")
    print(f"ratio to bare numpy (three pathways): {t_three / t_hand:.2f} (target under 2)")
    if t_fisca is not None:
        print(f"ratio to OpenFisca (three pathways): {t_three / t_fisca:.2f} (target under 1)")
    counts = {p: three["open"][p] for p in PATHWAYS}
    print("open (baseline, reform):", json.dumps(counts), "hand-written:", hand[0].tolist(), hand[1].tolist())
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    if args.file_millions:
        stream_file(engine, args.file_millions)


def stream_file(engine: Engine, millions: int) -> None:
    """Write `millions` million people as JSON Lines, then simulate them from the file."""
    path = Path(tempfile.mkdtemp()) / "people.jsonl"
    from pathways import Profile

    with path.open("w") as out:
        for chunk in engine.synthetic_population(millions * 1_000_000, seed=3):
            for i in range(len(chunk)):
                out.write(json.dumps(Profile(chunk.profile(i)).to_contract(), default=str) + "\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _, seconds = timed(f"{millions} million people from a JSON Lines file, baseline + reform",
                       lambda: engine.simulate(engine.population(path), engine.read_reforms(["bpc-2113-three-years"]), DAY))
    print(f"peak memory after the file run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB "
          f"(before: {before / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()
