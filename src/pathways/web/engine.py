"""The engine the pages and the API share: loaded once per process, on first use."""

from __future__ import annotations

from functools import lru_cache

from pathways import Engine


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    engine = Engine.load()
    engine.facts()  # load the knowledge now, once, not on a user's request
    return engine
