"""The knowledge cache on disk keeps the copies used last, never one per date asked without end."""

import os
import time

from pathways.rules import cache


def test_the_cache_keeps_only_the_copies_used_last(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PATHWAYS_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MAX_FILES", 3)
    folder = tmp_path / "exchange-pathways"
    for day in range(3):
        assert cache.cached(f"rules-2027-01-0{day + 1}", lambda day=day: {"day": day}) == {"day": day}
    old = time.time() - 100
    for path in folder.glob("*.pickle"):
        os.utime(path, (old, old))
    assert cache.cached("rules-2027-01-01", lambda: "rebuilt") == {"day": 0}  # read from disk, marked used
    cache.cached("rules-2027-01-04", lambda: {"day": 3})  # a fourth date: the least used one goes
    kept = sorted(p.stem for p in folder.glob("*.pickle"))
    assert len(kept) == 3 and "rules-2027-01-01" in kept and "rules-2027-01-04" in kept
    assert cache.cached("rules-2027-01-02", lambda: "rebuilt") == "rebuilt" or \
        cache.cached("rules-2027-01-03", lambda: "rebuilt") == "rebuilt"


def test_a_thousand_dates_leave_at_most_max_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PATHWAYS_NO_CACHE", raising=False)
    for number in range(cache.MAX_FILES + 40):
        cache.cached(f"rules-{number}", lambda: b"x" * 100)
    assert len(list((tmp_path / "exchange-pathways").glob("*.pickle"))) == cache.MAX_FILES
