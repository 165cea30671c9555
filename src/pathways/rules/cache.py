"""Pickled copies of what `pathways find` needs, keyed by a hash of the knowledge files.

Validating every YAML file, and even importing the pydantic schema, takes longer than
a `pathways find` should. So the validated knowledge base, the profile checker and the
rules compiled for each date are kept on disk under a hash of every knowledge file's
name and content: any change to the knowledge makes a new key, so a copy is never
stale. PATHWAYS_NO_CACHE=1 turns it off. The folder keeps the MAX_FILES copies used last: a
server asked about many dates (`?as_of=`) would otherwise write a file for each, without end.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

MAX_FILES = 64  # rules for one date are about 300 KB: some 20 MB at most, whatever is asked


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "exchange-pathways"


def cached(key: str, build: Callable[[], T]) -> T:
    """The pickled value under `key`, or `build()` stored under it."""
    if os.environ.get("PATHWAYS_NO_CACHE"):
        return build()
    path = cache_dir() / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
        _used(path)
        return value
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename, so a concurrent reader never sees half a file
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
        _prune(path.parent)
    except OSError:
        pass  # a read-only home still works, only slower
    return value


def _used(path: Path) -> None:
    """Mark a copy as just used, so pruning keeps it (access times are not kept everywhere)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Remove all but the MAX_FILES copies used last."""
    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another process
            return 0.0

    for old in sorted(folder.glob("*.pickle"), key=used, reverse=True)[MAX_FILES:]:
        old.unlink(missing_ok=True)
