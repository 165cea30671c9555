"""Login throttling: five failures for one username from one address within fifteen
minutes lock that pair out for fifteen minutes. Kept in Django's cache (per process with
the default local-memory cache; set CACHES to a shared cache for several workers)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60


def _key(kind: str, username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()[:32]
    return f"pathways:login:{kind}:{digest}"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def locked(username: str, ip: str, now: float | None = None) -> bool:
    until = cache.get(_key("lock", username, ip))
    return bool(until and (now or time.time()) < until)


def failed(username: str, ip: str, now: float | None = None) -> bool:
    """Count a failure; True when it locks the pair."""
    now = now or time.time()
    key = _key("fail", username, ip)
    recent = [t for t in cache.get(key, []) if now - t < WINDOW_SECONDS] + [now]
    cache.set(key, recent, WINDOW_SECONDS)
    if len(recent) >= MAX_FAILURES:
        cache.set(_key("lock", username, ip), now + LOCK_SECONDS, LOCK_SECONDS)
        cache.delete(key)
        return True
    return False


def succeeded(username: str, ip: str) -> None:
    cache.delete(_key("fail", username, ip))
