"""`pathways find --batch` against OpenFisca's traced evaluation of one person (issue 16).

The comparison: benchmarks/openfisca_model/ is an OpenFisca country package of the size of a
rule set like ours: 25 yes/no outputs of 4 to 8 conditions each over 15 inputs, with
parameters whose values change on given days. The same 25 rules are written again in plain
Python and in numpy (openfisca_model/reference.py); all three are run over the same random
people and must agree (a checksum of the 25 x people answers), so the timings are of the
same rules. OpenFisca is timed as its web API's /trace endpoint evaluates: one person, a new
`Simulation` with `trace = True`, the 25 outputs calculated and the flat trace serialised
(openfisca_web_api.handlers.trace, called in-process, without HTTP or JSON encoding).

Then `pathways find --batch FILE --json` is timed as a whole process writing to a file, as
bench_cli.py does (best of 3 runs, each after os.sync() so that none waits on what an
earlier one left to flush), at both details, over two populations of 20,000 profiles:
bench_cli.py's (a few facts each, the population the earlier figures used) and a varied one
(every fact of facts.yaml drawn with probability 0.6, start dates and lengths of stay
included, so that almost no one shares a line or a plan: one run). Wall and CPU time are
both given: on a busy machine the wall time of either side grows with the load.

Targets (issue 16): per profile, `--detail summary` costs at least 50 times less than
OpenFisca's traced one-person evaluation, `--detail full` at least 5 times less.

Needs openfisca-core, installed by the `bench` extra only (not by `test`):
    .venv/bin/pip install -e ".[bench]"
Run:
    .venv/bin/python benchmarks/bench_openfisca.py [--people 20000] [--profiles 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cli import PATHWAYS, random_profile  # noqa: E402
from openfisca_model import INPUTS, OUTPUTS, tax_benefit_system  # noqa: E402
from openfisca_model.reference import outputs_numpy, outputs_python, parameters_on  # noqa: E402

YEARS = (2024, 2025, 2026, 2027)
TARGETS = {"summary": 50, "full": 5}
AS_OF = "2026-03-01"


# The comparable rule set, three ways ------------------------------------------------------

def draw_people(n: int, seed: int = 16) -> tuple[list[dict], list[int]]:
    """Random inputs (whole dollars and hours: exact in OpenFisca's float32) and a year each."""
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        size = rng.randint(1, 7)
        people.append({
            "age": rng.randint(0, 90), "income": float(rng.randint(0, 80_000)), "savings": float(rng.randint(0, 30_000)),
            "rent": float(rng.choice([0, rng.randint(200, 2_500)])), "household_size": size,
            "children": rng.randint(0, min(5, size)), "years_resident": rng.randint(0, 20),
            "hours_worked": float(rng.randint(0, 60)), "is_citizen": rng.random() < 0.6,
            "is_permanent_resident": rng.random() < 0.2, "is_student": rng.random() < 0.2,
            "has_disability": rng.random() < 0.1, "is_veteran": rng.random() < 0.08,
            "is_employed": rng.random() < 0.55, "has_degree": rng.random() < 0.3})
    return people, [rng.choice(YEARS) for _ in range(n)]


def by_python(people, years) -> np.ndarray:
    params = {y: parameters_on(date(y, 1, 1)) for y in YEARS}
    return np.array([outputs_python(x, params[y]) for x, y in zip(people, years)], dtype=bool)


def _columns(people, rows) -> dict[str, np.ndarray]:
    return {name: np.array([people[i][name] for i in rows], dtype=kind) for name, kind in INPUTS.items()}


def by_numpy(people, years) -> np.ndarray:
    out = np.zeros((len(people), len(OUTPUTS)), dtype=bool)
    for y in YEARS:  # people evaluated on the same day, together
        rows = [i for i, year in enumerate(years) if year == y]
        out[rows] = outputs_numpy(_columns(people, rows), parameters_on(date(y, 1, 1)))
    return out


def by_openfisca(system, people, years) -> np.ndarray:
    """OpenFisca vectorised (no trace): one simulation per year."""
    from openfisca_core.simulation_builder import SimulationBuilder

    out = np.zeros((len(people), len(OUTPUTS)), dtype=bool)
    for y in YEARS:
        rows = [i for i, year in enumerate(years) if year == y]
        simulation = SimulationBuilder().build_default_simulation(system, len(rows))
        for name, column in _columns(people, rows).items():
            simulation.set_input(name, str(y), column)
        out[rows] = np.stack([simulation.calculate(name, str(y)) for name in OUTPUTS], axis=1)
    return out


def checksum(answers: np.ndarray) -> str:
    return hashlib.sha256(np.packbits(answers).tobytes()).hexdigest()[:16]


def one_person_request(person: dict, year: int) -> dict:
    """The body of a /trace request for one person: inputs given, outputs asked (None)."""
    period = str(year)
    return {"persons": {"p": {**{k: {period: v} for k, v in person.items()}, **{o: {period: None} for o in OUTPUTS}}}}


def time_openfisca(system, people, years, runs: int, traced: bool) -> tuple[float, float, np.ndarray]:
    """Median wall and mean CPU seconds of one one-person evaluation, and its answers."""
    from openfisca_web_api.handlers import calculate, trace

    requests = [one_person_request(people[i], years[i]) for i in range(runs)]
    walls, answers = [], []
    cpu = time.process_time()
    for request in requests:
        start = time.perf_counter()
        result = trace(system, request) if traced else calculate(system, request)
        walls.append(time.perf_counter() - start)
        answers.append(result)
    cpu = (time.process_time() - cpu) / runs
    if traced:
        rows = [[r["trace"][f"{o}<{years[i]}>"]["value"][0] for o in OUTPUTS] for i, r in enumerate(answers)]
    else:
        rows = [[r["persons"]["p"][o][str(years[i])] for o in OUTPUTS] for i, r in enumerate(answers)]
    return statistics.median(walls), cpu, np.array(rows, dtype=bool)


def per_person(function, *args, n: int) -> float:
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) / n


# pathways find --batch ----------------------------------------------------------------------

def varied_profile(rng: random.Random, facts: dict, vocabularies: dict) -> dict:
    """Every fact drawn with probability 0.6, in the contract's shape."""
    countries = ["NG", "UG", "KE", "GH", "IN", "PH", "SD", "AU", "CA", "MX", "GB", "BR", "PK", "BD", "TZ", "SY", "QA"]
    out: dict = {}
    for name, d in facts.items():
        if rng.random() > 0.6:
            continue
        if d.type == "bool":
            value = rng.random() < 0.5
        elif d.type == "number":
            value = rng.randint(int(d.minimum or 0), min(int(d.maximum or 20), 20))
        elif d.type == "date":
            value = (date(2026, 4, 1) + timedelta(days=rng.randint(0, 600))).isoformat()
        elif d.type == "codes":
            value = rng.sample(countries, rng.randint(1, 2))
        elif d.type == "set":
            value = [v for v in d.values if rng.random() < 0.5]
        elif d.vocabulary == "countries":
            value = rng.choice(countries)
        else:
            value = rng.choice(sorted(vocabularies[d.vocabulary] if d.vocabulary else d.values))
        if name.startswith("host."):
            out.setdefault("host", {})[name[5:]] = value
        else:
            out[name] = value
    return out


def populations(count: int) -> dict[str, list[str]]:
    from pathways import Engine

    checker = Engine.load().checker
    rng = random.Random(1)
    simple = [json.dumps(random_profile(rng)) for _ in range(count)]
    varied = [json.dumps(varied_profile(rng, checker.facts, checker.vocabularies)) for _ in range(count)]
    return {"bench_cli's": simple, "varied": varied}


def time_batch(lines: list[str], detail: str, runs: int = 3) -> tuple[float, float, int]:
    """Best wall and CPU seconds (whole process, output to a file) and the output's size."""
    with tempfile.TemporaryDirectory() as folder:
        path, output = Path(folder) / "people.jsonl", Path(folder) / "out.jsonl"
        path.write_text("".join(line + "\n" for line in lines))
        command = [PATHWAYS, "find", "--batch", str(path), "--json", "--detail", detail, "--as-of", AS_OF]
        subprocess.run([PATHWAYS, "find", str(HERE.parent / "examples" / "lagos-surgeon.yaml"), "--json"],
                       capture_output=True)  # the knowledge cache warm, as bench_cli.py has it
        walls, cpus = [], []
        for _ in range(runs):
            os.sync()  # what an earlier run wrote is on the disk: each run starts with nothing left to flush
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            with output.open("wb") as out:
                done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode not in (0, 2):
                raise SystemExit(done.stderr.decode())
        with output.open("rb") as out:
            assert sum(1 for _ in out) == len(lines)
        return min(walls), min(cpus), output.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000, help="random people for the agreement check")
    parser.add_argument("--profiles", type=int, default=20_000, help="profiles per pathways batch")
    parser.add_argument("--runs", type=int, default=300, help="one-person OpenFisca evaluations timed")
    args = parser.parse_args()

    system = tax_benefit_system()
    people, years = draw_people(args.people)
    python, vector, fisca = by_python(people, years), by_numpy(people, years), by_openfisca(system, people, years)
    print(f"The comparable rule set: {len(OUTPUTS)} outputs over {len(INPUTS)} inputs, dated parameters, "
          f"{args.people} random people over {YEARS[0]}-{YEARS[-1]}")
    print(f"  checksums: plain Python {checksum(python)}, numpy {checksum(vector)}, OpenFisca {checksum(fisca)}; "
          f"{int(python.sum())} yes of {python.size}")
    if not (np.array_equal(python, vector) and np.array_equal(python, fisca)):
        raise SystemExit("the three implementations disagree")

    traced, traced_cpu, answers = time_openfisca(system, people, years, args.runs, traced=True)
    plain, plain_cpu, plain_answers = time_openfisca(system, people, years, args.runs, traced=False)
    if not (np.array_equal(answers, python[:args.runs]) and np.array_equal(plain_answers, python[:args.runs])):
        raise SystemExit("OpenFisca's one-person answers disagree with the plain Python ones")
    print(f"  OpenFisca, one person, traced (the web API's /trace): median {traced * 1e3:.2f} ms "
          f"(CPU {traced_cpu * 1e3:.2f} ms); untraced (/calculate): {plain * 1e3:.2f} ms, over {args.runs} people")
    print(f"  plain Python: {per_person(by_python, people, years, n=len(people)) * 1e6:.1f} us per person; "
          f"numpy: {per_person(by_numpy, people, years, n=len(people)) * 1e6:.2f} us per person; "
          f"OpenFisca vectorised: {per_person(by_openfisca, system, people, years, n=len(people)) * 1e6:.2f} us per person")

    verdicts = []
    for name, lines in populations(args.profiles).items():
        for detail in ("summary", "full"):
            wall, cpu, size = time_batch(lines, detail, runs=3 if name == "bench_cli's" else 1)  # the varied: slow
            each, each_cpu = wall / len(lines), cpu / len(lines)
            ratio, ratio_cpu = traced / each, traced_cpu / each_cpu
            holds = ratio >= TARGETS[detail]
            verdicts.append(holds)
            print(f"pathways find --batch --detail {detail}, {name} population ({len(lines)} profiles, whole process, "
                  f"{size / 1e6:.0f} MB out): {each * 1e6:.0f} us per profile (CPU {each_cpu * 1e6:.0f} us); "
                  f"{ratio:.0f}x less than OpenFisca traced (CPU {ratio_cpu:.0f}x); target >= {TARGETS[detail]}x: "
                  f"{'holds' if holds else 'MISSED'}")
    print("All targets hold." if all(verdicts) else "Some target is missed.")


if __name__ == "__main__":
    main()
