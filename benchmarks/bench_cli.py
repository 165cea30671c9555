"""`pathways find` as a whole process, and a batch of 20,000 profiles.

Targets (issue 2): one profile under 300 ms as a whole process (median of runs, warm
knowledge cache); the batch at the per-profile speed of the in-process evaluation.
Run: .venv/bin/python benchmarks/bench_cli.py
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHWAYS = str(Path(sys.executable).with_name("pathways"))


def one_profile(runs: int = 15) -> None:
    example = str(ROOT / "examples" / "lagos-surgeon.yaml")
    subprocess.run([PATHWAYS, "find", example, "--json"], capture_output=True, check=True)  # warm the cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([PATHWAYS, "find", example, "--json"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    print(f"pathways find (one profile, --json): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {runs} runs")


def random_profile(rng: random.Random) -> dict:
    countries = ["NG", "UG", "KE", "GH", "IN", "PH", "SD", "AU", "CA", "MX", "GB", "BR", "PK", "BD"]
    profile = {"citizenships": [rng.choice(countries)], "stage": rng.choice(["student", "graduate"]),
               "current_us_status": "none", "host": {}}
    if profile["stage"] == "graduate":
        profile["postgraduate_years"] = rng.randint(0, 6)
        profile["usmle_passed"] = rng.sample(["step1", "step2ck", "step3"], rng.randint(0, 3))
        profile["ecfmg_certified"] = rng.random() < 0.4
    else:
        profile["final_year"] = rng.random() < 0.6
        profile["enrolled_in_us_school"] = rng.random() < 0.2
        profile["host"]["dean_approved_elective"] = rng.random() < 0.5
    profile["school_recognized_by_mbc"] = rng.random() < 0.8
    return profile


def batch(count: int = 20000) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.jsonl"
        path.write_text("".join(json.dumps(random_profile(rng)) + "\n" for _ in range(count)))
        output = Path(folder) / "out.jsonl"
        start = time.perf_counter()
        with output.open("wb") as out:
            subprocess.run([PATHWAYS, "find", "--batch", str(path), "--json", "--as-of", "2026-03-01"],
                           stdout=out, stderr=subprocess.PIPE, check=True)
        elapsed = time.perf_counter() - start
        with output.open("rb") as out:
            lines = sum(1 for _ in out)
        size = output.stat().st_size
    print(f"pathways find --batch ({count} profiles, whole process, output to a file): {elapsed:.2f} s, "
          f"{elapsed / count * 1e6:.0f} us per profile, {lines} lines, {size / 1e6:.0f} MB of JSON")


if __name__ == "__main__":
    one_profile()
    batch()
