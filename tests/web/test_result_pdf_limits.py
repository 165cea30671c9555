"""Issue 10: the public result PDF costs about half a second of CPU to render. It is kept in a
bounded cache by its normalised answers, date and knowledge base, and renders are limited
per client address (429 with Retry-After) and in number at once (503). Marked `security`."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.security

KAMPALA = ("desired_contact=supervised&citizenships=UG&stage=student&enrolled_in_us_school=false&final_year=true"
           "&school_recognized_by_mbc=true&current_us_status=none&duration_weeks=8&host.dean_approved_elective=true")


@pytest.fixture
def caches_cleared(django_setup):
    from django.core.cache import caches

    from pathways.web.finder import pdf

    for alias in ("default", pdf.CACHE, pdf.COUNTERS):
        caches[alias].clear()
    yield
    for alias in ("default", pdf.CACHE, pdf.COUNTERS):
        caches[alias].clear()


@pytest.fixture
def renders(monkeypatch, caches_cleared):
    """Count renders; each one a tiny PDF, so that the limits can be reached quickly."""
    from pathways.web.finder import pdf

    made = []

    def fake(html: str) -> bytes:
        made.append(html)
        return b"%PDF-1.7 fake " + str(len(made)).encode()

    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    monkeypatch.setattr(pdf, "available", lambda: True)
    return made


def test_the_pdf_is_rendered_once_per_answers_date_and_knowledge(client, caches_cleared):
    pytest.importorskip("weasyprint")
    began = time.perf_counter()
    first = client.get("/result.pdf?" + KAMPALA, REMOTE_ADDR="10.1.0.1")
    missed = time.perf_counter() - began
    began = time.perf_counter()
    again = client.get("/result.pdf?" + KAMPALA + "&fact=x&answer=y", REMOTE_ADDR="10.1.0.2")  # the form's keys: the same answers
    hit = time.perf_counter() - began
    assert first.status_code == again.status_code == 200 and first.content.startswith(b"%PDF")
    assert again.content == first.content
    assert hit < missed / 3, (hit, missed)
    print(f"result.pdf: rendered in {missed * 1000:.0f} ms, from the cache in {hit * 1000:.0f} ms, {len(first.content):,} bytes")


def test_the_cache_key_changes_with_the_answers_the_date_and_the_knowledge(client, renders, monkeypatch):
    from pathways.web.engine import get_engine

    assert client.get("/result.pdf?" + KAMPALA).status_code == 200
    assert client.get("/result.pdf?" + KAMPALA).status_code == 200
    assert len(renders) == 1
    client.get("/result.pdf?" + KAMPALA + "&as_of=2026-03-01")
    client.get("/result.pdf?" + KAMPALA + "&duration_weeks=4")
    assert len(renders) == 3
    engine = get_engine()
    monkeypatch.setattr(type(engine), "version", property(lambda self: "another-knowledge-base"))
    client.get("/result.pdf?" + KAMPALA)
    assert len(renders) == 4


def test_renders_are_limited_per_client_address_with_retry_after(client, renders):
    from django.conf import settings

    limit = settings.RESULT_PDF_RENDERS_PER_MINUTE
    assert 1 <= limit <= 20
    for n in range(limit):
        response = client.get(f"/result.pdf?{KAMPALA}&duration_weeks={n + 1}", REMOTE_ADDR="10.2.0.1")
        assert response.status_code == 200, n
    refused = client.get(f"/result.pdf?{KAMPALA}&duration_weeks=99", REMOTE_ADDR="10.2.0.1")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 61
    assert "Try again in" in refused.content.decode()
    assert len(renders) == limit
    # a PDF already made is still served to that address (no render), and another address may render
    assert client.get(f"/result.pdf?{KAMPALA}&duration_weeks=1", REMOTE_ADDR="10.2.0.1").status_code == 200
    assert client.get(f"/result.pdf?{KAMPALA}&duration_weeks=99", REMOTE_ADDR="10.2.0.2").status_code == 200
    assert len(renders) == limit + 1


def test_the_window_ends_and_renders_are_allowed_again(caches_cleared):
    from pathways.web.finder import pdf

    now = 16_667 * 60 + 20.0  # 20 s into a minute
    for _ in range(pdf.renders_per_window()):
        assert pdf.render_refused("10.3.0.1", now=now) is None
    wait = pdf.render_refused("10.3.0.1", now=now)
    assert wait is not None and 40 <= wait <= 41
    assert pdf.render_refused("10.3.0.1", now=now + wait) is None


def test_the_count_is_shared_by_the_worker_processes(caches_cleared, monkeypatch):
    """Issue 16: `pathways serve` forks several workers; each kept its own count, so an address
    could render the limit once per worker. The count lives in files of the data directory: a
    worker that never counted (its own cache objects, as after a fork) refuses the next render."""
    from django.conf import settings
    from django.core.cache.backends.filebased import FileBasedCache

    from pathways.web.finder import pdf

    now = 16_668 * 60 + 5.0
    for _ in range(pdf.renders_per_window()):
        assert pdf.render_refused("10.3.0.2", now=now) is None
    other = settings.CACHES[pdf.COUNTERS]
    fresh = FileBasedCache(other["LOCATION"], {"TIMEOUT": other["TIMEOUT"], "OPTIONS": other["OPTIONS"]})
    monkeypatch.setattr(pdf, "_counters", lambda: fresh)
    assert pdf.render_refused("10.3.0.2", now=now) is not None
    assert pdf.render_refused("10.3.0.3", now=now) is None  # another address: its own count


def test_too_many_renders_at_once_get_503(client, renders, monkeypatch):
    from pathways.web.finder import pdf

    slots = pdf._semaphore()
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        real = pdf.render_slot
        monkeypatch.setattr(pdf, "render_slot", lambda timeout=10.0: real(timeout=0.05))
        busy = client.get("/result.pdf?" + KAMPALA, REMOTE_ADDR="10.4.0.1")
        assert busy.status_code == 503 and busy["Retry-After"] == "5"
    finally:
        for _ in range(taken):
            slots.release()
    assert taken == 2 and not renders
    assert client.get("/result.pdf?" + KAMPALA, REMOTE_ADDR="10.4.0.1").status_code == 200
