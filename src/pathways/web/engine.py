"""The engine the pages and the API share: loaded once per process, on first use."""

from __future__ import annotations

from functools import lru_cache

from pathways import Engine


# Verdicts, plans and costs a worker keeps per cache (the engine's default, 50,000, is a batch's):
# a server asked about ever new people grew from 133 to 366 MB per worker with it, from 127 to
# 139 MB with this over 100,000 requests (benchmarks/bench_web.py --memory-profiles 100000).
# The people asked about again and again still fit.
VERDICTS_KEPT = 5_000


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    engine = Engine.load(cache_limit=VERDICTS_KEPT)
    engine.facts()  # load the knowledge now, once, not on a user's request
    return engine
