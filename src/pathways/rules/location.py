"""Where the knowledge base lives, and a hash of its files (the cache key).

Kept apart from the loader so that finding the cache key imports nothing heavy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

KNOWLEDGE_ROOT = Path(__file__).resolve().parent.parent / "knowledge"


CODE_ROOT = Path(__file__).resolve().parent.parent


def fingerprint(root: Path = KNOWLEDGE_ROOT) -> str:
    """A hash of every knowledge file's name and content, and of the code that compiles
    and evaluates them (a cached copy made by other code is never used)."""
    digest = hashlib.sha256()
    code = [p for folder in ("rules", "engine") for p in sorted((CODE_ROOT / folder).glob("*.py"))]
    for path in sorted(root.rglob("*.yaml")) + code:
        digest.update(path.name.encode() if path in code else str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
