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
    kb.programs, kb.barriers = {}, {}
    return Engine(kb)


def by_hand(chunks, vocabularies, facts, three_years: bool) -> np.ndarray:
    """The three pathways' tests in numpy, written out: how many people each opens (open = every
    requirement true; unknown counts as not true, which is all `open` needs)."""
    counts = np.zeros(3, dtype=np.int64)
    for chunk in chunks:
        t = chunk.table(facts, vocabularies)
        c = t.columns

        def true(name):
            col = c[name]
            return col.values & col.known

        def number(name, op, value):
            col = c[name]
            return col.known & op(np.nan_to_num(col.values, nan=-1), value)

        def citizen(codes):
            col = c["citizenships"]
            idx = [col.vocabulary.index(x) for x in codes if x in col.vocabulary]
            return col.known & col.values[:, idx].any(axis=1)

        def status_is_not(code):
            col = c["current_us_status"]
            return col.known & (col.values != col.vocabulary.index(code))

        cit = c["citizenships"]
        us = cit.vocabulary.index("US")
        not_us = cit.known & ~cit.values[:, us]
        lpr = c["us_permanent_resident"]
        not_lpr = ~(lpr.known & lpr.values)
        graduate3 = (c["stage"].known & (c["stage"].values == c["stage"].vocabulary.index("graduate"))
                     & number("postgraduate_years", np.greater_equal, 3))
        practice = number("practice_years", np.greater_equal, 3 if three_years else 4)
        faculty = true("host.faculty_appointment")
        ssn = np.ones(t.n, dtype=bool)  # H-1B, E-3 and TN all authorize work: the SSN can be requested
        employer = true("host.employment_sponsorship")
        common = not_us & not_lpr & graduate3 & practice & faculty & ssn & employer & true("home_license")
        counts[0] += int((common & status_is_not("vwp-business") | common).sum())
        counts[1] += int((common & citizen(["AU"])).sum())
        counts[2] += int((common & citizen(["CA", "MX"])).sum())
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
            attrs["formula"] = staticmethod(formula)
        return type(name, (variables.Variable,), attrs)

    inputs = [var(n, bool) for n in ("not_us_person", "graduate", "home_license", "faculty", "employer", "australian",
                                     "canadian_or_mexican")] + [var(n, float) for n in ("postgraduate_years", "practice_years")]

    def eligible(person, period):
        return (person("not_us_person", period) * person("graduate", period) * (person("postgraduate_years", period) >= 3)
                * (person("practice_years", period) >= 4) * person("faculty", period) * person("employer", period)
                * person("home_license", period))

    system = taxbenefitsystems.TaxBenefitSystem([Person])
    for v in inputs:
        system.add_variable(v)
    system.add_variable(var("faculty_2113", bool, eligible))
    system.add_variable(var("h1b_2113", bool, lambda p, t: p("faculty_2113", t)))
    system.add_variable(var("e3_2113", bool, lambda p, t: p("faculty_2113", t) * p("australian", t)))
    system.add_variable(var("tn_2113", bool, lambda p, t: p("faculty_2113", t) * p("canadian_or_mexican", t)))

    class ThreeYears(Reform):
        def apply(self):
            def formula(person, period):
                return (person("not_us_person", period) * person("graduate", period)
                        * (person("postgraduate_years", period) >= 3) * (person("practice_years", period) >= 3)
                        * person("faculty", period) * person("employer", period) * person("home_license", period))
            self.update_variable(var("faculty_2113", bool, formula))

    reformed = ThreeYears(system)
    start = time.perf_counter()
    for chunk in chunks:
        t = chunk.table(facts, vocabularies)
        c = t.columns
        cit = c["citizenships"]
        data = {
            "not_us_person": cit.known & ~cit.values[:, cit.vocabulary.index("US")],
            "graduate": c["stage"].values == c["stage"].vocabulary.index("graduate"),
            "home_license": c["home_license"].values & c["home_license"].known,
            "faculty": c["host.faculty_appointment"].values & c["host.faculty_appointment"].known,
            "employer": c["host.employment_sponsorship"].values & c["host.employment_sponsorship"].known,
            "australian": cit.values[:, cit.vocabulary.index("AU")],
            "canadian_or_mexican": cit.values[:, [cit.vocabulary.index("CA"), cit.vocabulary.index("MX")]].any(axis=1),
            "postgraduate_years": np.nan_to_num(c["postgraduate_years"].values, nan=-1),
            "practice_years": np.nan_to_num(c["practice_years"].values, nan=-1),
        }
        for tbs in (system, reformed):
            sim = simulation_builder.SimulationBuilder().build_default_simulation(tbs, t.n)
            for name, values in data.items():
                sim.set_input(name, periods.ETERNITY, values)
            for name in ("h1b_2113", "e3_2113", "tn_2113"):
                sim.calculate(name, periods.ETERNITY)
    return time.perf_counter() - start


def ours(engine: Engine, chunks, reforms) -> dict:
    day = DAY
    baseline = Side.of(engine, day, None)
    reform = Side.of(engine.reformed(reforms, day), day, None)
    tally = simulate(chunks, baseline, reform)
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
    hand, t_hand = timed("bare numpy, the three pathways' tests by hand, x2 rule sets",
                         lambda: (by_hand(chunks, vocab, facts, False), by_hand(chunks, vocab, facts, True)))
    three, t_three = timed("simulator, the same three pathways, baseline + reform", lambda: ours(small, chunks, reforms))
    every, t_every = timed("simulator, every pathway (18 in California), baseline + reform",
                           lambda: ours(engine, chunks, reforms))
    t_fisca = openfisca_run(chunks, vocab, facts)
    if t_fisca is not None:
        print(f"{'OpenFisca, the same three pathways, baseline + reform':<58} {t_fisca:8.2f} s")
    print(f"ratio to bare numpy (three pathways): {t_three / t_hand:.2f} (target under 2)")
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
