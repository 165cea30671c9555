"""One profile against every pathway, the full verdict with plans and costs, in-process.

Target (issue 8): median under 200 microseconds for the full verdict (statuses,
requirements with their kinds and facts, steps with dates, timeline, costs, barriers,
programmes) with the knowledge loaded. Reported three ways:
- `evaluate`: the three-valued statuses alone;
- `verdict, cold`: a new builder for every call, so nothing of the person is cached
  (what a server pays for a person it has not seen);
- `verdict, warm`: the same person again (the builder shares immutable verdicts between
  people who share every fact a pathway reads: what batches and repeat visitors pay);
- `+ JSON dict`: the warm verdict written as the contract's dict.
Run: .venv/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import yaml

from pathways import Engine, verdict_json
from pathways.engine.build import Builder
from pathways.engine.evaluate import evaluate
from pathways.rules.loader import load_knowledge

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = date(2026, 12, 1)


def median_us(fn, runs: int = 5000) -> float:
    for _ in range(200):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def main() -> None:
    engine = Engine(load_knowledge())
    rules = engine.rules(AS_OF)
    print(f"{len(rules.pathways)} pathways, {sum(len(p.requirements) for p in rules.pathways)} requirements, "
          f"{len(rules.trees)} distinct compiled tests; as of {AS_OF}")
    people = [(p.stem, yaml.safe_load(p.read_text())) for p in sorted(EXAMPLES.glob("*.yaml"))]
    people.append(("empty profile", {}))
    for name, data in people:
        profile = engine.check(data)
        shown = len(evaluate(rules, profile).pathways)
        t_eval = median_us(lambda: evaluate(rules, profile), runs=20000)
        t_cold = median_us(lambda: Builder(rules).verdict(evaluate(rules, profile)), runs=2000)
        t_warm = median_us(lambda: engine.find(profile, AS_OF))
        t_json = median_us(lambda: verdict_json(engine.find(profile, AS_OF)), runs=2000)
        print(f"{name}: {shown} pathways; evaluate {t_eval:.1f} us; verdict cold {t_cold:.0f} us, "
              f"warm {t_warm:.1f} us; warm + JSON dict {t_json:.0f} us")


if __name__ == "__main__":
    main()
