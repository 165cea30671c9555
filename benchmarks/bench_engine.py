"""One profile against every pathway, with full explanations, in-process.

Target (issue 2): median under 50 microseconds with the knowledge loaded. Reports the
evaluation alone (verdicts with each requirement's status, sentence, citations and
facts read) and the evaluation turned into the contract's JSON-ready dict.
Run: .venv/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import yaml

from pathways.engine.core import Engine
from pathways.engine.evaluate import evaluate
from pathways import verdict_json
from pathways.rules.loader import load_knowledge

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def median_us(fn, runs: int = 20000) -> float:
    for _ in range(500):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def main() -> None:
    engine = Engine(load_knowledge())
    rules = engine.rules(date(2026, 3, 1))
    print(f"{len(rules.pathways)} pathways, {sum(len(p.requirements) for p in rules.pathways)} requirements, "
          f"{len(rules.trees)} distinct compiled tests")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        profile = engine.check(yaml.safe_load(path.read_text()))
        ev = evaluate(rules, profile)
        shown = len(ev.pathways)
        t_eval = median_us(lambda: evaluate(rules, profile))
        t_json = median_us(lambda: verdict_json(evaluate(rules, profile)), runs=3000)
        print(f"{path.stem}: {shown} pathways evaluated; evaluate median {t_eval:.1f} us; "
              f"evaluate + contract dict median {t_json:.1f} us")
    everything = engine.check({})
    print(f"empty profile (all {len(rules.pathways)} pathways): median {median_us(lambda: evaluate(rules, everything)):.1f} us")


if __name__ == "__main__":
    main()
