"""The engine the pages and the API share: loaded once per process, on first use."""

from __future__ import annotations

from functools import lru_cache

from pathways import Engine


# Verdicts, plans and costs a worker keeps per cache, and entries per memo of the rules (living
# costs, layouts): the engine's default, 50,000, is a batch's. A server asked about ever new
# people grew from 133 to 366 MB per worker with it, from 127 to 139 MB with 5,000 (and the
# living costs' memo unbounded by it), and from 109 to 116 MB (+6%) with this over 100,000
# requests (benchmarks/bench_web.py --memory-profiles 100000). What new people share (the
# plans and costs of a start date, the parts of a verdict that depend on no date) is shared
# within a few requests, and the people asked about again and again still fit.
VERDICTS_KEPT = 1_000


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    engine = Engine.load(cache_limit=VERDICTS_KEPT)
    engine.facts()  # load the knowledge now, once, not on a user's request
    return engine
