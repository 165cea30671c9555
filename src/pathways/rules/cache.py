"""A pickled copy of the validated knowledge base, keyed by a hash of its files.

Validation of every YAML file takes far longer than a `pathways find` should; the
copy is rebuilt whenever any knowledge file changes (the hash covers names and
content), so it can never be stale. PATHWAYS_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from .loader import KNOWLEDGE_ROOT, Knowledge, fingerprint, load_knowledge


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "exchange-pathways"


def load_cached(root: Path = KNOWLEDGE_ROOT) -> Knowledge:
    if os.environ.get("PATHWAYS_NO_CACHE"):
        return load_knowledge(root)
    path = cache_dir() / f"knowledge-{fingerprint(root)}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    kb = load_knowledge(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename, so a concurrent reader never sees half a file
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            pickle.dump(kb, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home still works, only slower
    return kb
