"""The result page as a PDF: the same HTML, the print stylesheet, WeasyPrint.

Stylesheets are read from the apps' static folders; WeasyPrint fetches nothing else, so
no request leaves the machine.

A render costs about half a second of CPU, so it is paid once per answers, date, language and
knowledge base: the PDF is kept in the `result-pdf` cache (files in the data directory, which
every worker process of the server reads; bounded: settings.CACHES), the bytes of the render
served as they were made, and
renders (the cache's misses) are limited per client address (RESULT_PDF_RENDERS_PER_MINUTE,
else 429 with Retry-After) and in number at once (RESULT_PDF_CONCURRENT_RENDERS, else 503)."""

from __future__ import annotations

import hashlib
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError

STYLESHEETS = ("finder/vendor/simple.min.css", "finder/site.css")


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=finders.find(name), url_fetcher=_no_fetch) for name in STYLESHEETS]
    return HTML(string=html, base_url="/", url_fetcher=_no_fetch).write_pdf(stylesheets=sheets)


CACHE = "result-pdf"
COUNTERS = "counters"  # renders per client address and minute, shared by the worker processes
WINDOW_SECONDS = 60
MAX_CACHED_BYTES = 1024 * 1024  # a PDF larger than this is served but not kept (64 entries: at most 64 MB)
_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def available() -> bool:
    """WeasyPrint and the Pango library it needs can be loaded."""
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError):
        return False
    return True


def store():
    try:
        return caches[CACHE]
    except InvalidCacheBackendError:  # settings without the PDF's own cache: the default one
        return default_cache


def cache_key(query: str, as_of, version: str) -> str:
    """The PDF's key: the answers as the finder writes them (normalised: the form's own fields
    dropped, a fact given twice kept once), the day of the evaluation and the knowledge base."""
    digest = hashlib.sha256(f"{query}\n{as_of.isoformat()}\n{version}".encode()).hexdigest()
    return f"pathways:result-pdf:{digest}"


def renders_per_window() -> int:
    return int(getattr(settings, "RESULT_PDF_RENDERS_PER_MINUTE", 6))


def client_address(request) -> str:
    """REMOTE_ADDR; behind the proxy (settings.BEHIND_PROXY), the one X-Forwarded-For entry it
    added (serve.py keeps only that one), else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) == 1:
            return forwarded[0]
    return remote


def _counters():
    """The cache every worker process shares for counts (settings.CACHES["counters"]: files in
    the data directory), else the process's own."""
    try:
        return caches[COUNTERS]
    except InvalidCacheBackendError:
        return default_cache


def render_refused(address: str, now: float | None = None) -> int | None:
    """Count a render for the address; the seconds to wait when it is over the limit, else None."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"pathways:result-pdf-renders:{hashlib.sha256(address.encode()).hexdigest()[:32]}:{window}"
    counts = _counters()
    counts.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = counts.incr(key)
    except ValueError:  # expired between add and incr
        counts.set(key, 1, WINDOW_SECONDS + 5)
        count = 1
    if count > renders_per_window():
        return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    return None


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(int(getattr(settings, "RESULT_PDF_CONCURRENT_RENDERS", 2)))
        return _slots


@contextmanager
def render_slot(timeout: float = 10.0):
    """One of the few renders allowed at once; yields False when none came free in time."""
    slots = _semaphore()
    got = slots.acquire(timeout=timeout)
    try:
        yield got
    finally:
        if got:
            slots.release()
