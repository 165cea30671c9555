"""Issue 16: the public result PDF is rendered once per answers, date, language and knowledge
base, then served from a cache that every worker process of `pathways serve` shares: files in
the data directory (settings.CACHES["result-pdf"]). What the cache serves is the render's bytes,
the same bytes a fresh render makes. Renders are counted at WeasyPrint itself
(HTML.write_pdf), each one still made. Its speed: benchmarks/bench_workspace.py."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

KAMPALA = ("desired_contact=supervised&citizenships=UG&stage=student&enrolled_in_us_school=false&final_year=true"
           "&school_recognized_by_mbc=true&current_us_status=none&duration_weeks=8&host.dean_approved_elective=true")
URL = "/result.pdf?" + KAMPALA


@pytest.fixture
def emptied(django_setup):
    from django.core.cache import caches

    from pathways.web.finder import pdf

    for alias in ("default", pdf.CACHE):  # the PDFs, and the per-address render counts
        caches[alias].clear()
    yield
    for alias in ("default", pdf.CACHE):
        caches[alias].clear()


@pytest.fixture
def renders(monkeypatch, emptied) -> list:
    """WeasyPrint's renders, counted as they are made."""
    from weasyprint import HTML

    made = []
    real = HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        made.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)
    return made


@pytest.fixture
def fake_renders(monkeypatch, emptied) -> list:
    """Renders replaced by a tiny PDF naming the render's number and the page's language."""
    from pathways.web.finder import pdf

    made = []

    def fake(html: str) -> bytes:
        made.append(html)
        lang = html.split('lang="', 1)[1].split('"', 1)[0] if 'lang="' in html else "?"
        return f"%PDF-1.7 render {len(made)} {lang}".encode()

    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    monkeypatch.setattr(pdf, "available", lambda: True)
    return made


def test_the_second_request_is_served_from_the_cache_with_the_bytes_a_render_makes(client, renders):
    from django.core.cache import caches

    from pathways.web.finder import pdf

    first = client.get(URL, REMOTE_ADDR="10.16.0.1")
    assert first.status_code == 200 and first.content.startswith(b"%PDF") and len(renders) == 1
    again = client.get(URL, REMOTE_ADDR="10.16.0.2")
    assert len(renders) == 1, "the second request rendered the PDF again"
    assert again.status_code == 200 and again.content == first.content
    assert (again["Content-Type"], again["Content-Disposition"]) == (first["Content-Type"], first["Content-Disposition"])
    caches[pdf.CACHE].clear()  # a fresh render: the same bytes as the one the cache kept
    fresh = client.get(URL, REMOTE_ADDR="10.16.0.3")
    assert len(renders) == 2 and fresh.content == first.content


def test_the_cache_is_private_files_in_the_data_directory_that_another_process_serves(client, renders):
    from django.conf import settings

    from pathways.web.finder import pdf
    from pathways.web.settings import data_dir

    config = settings.CACHES[pdf.CACHE]
    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    folder = Path(config["LOCATION"])
    assert folder.is_relative_to(data_dir()), folder
    made = client.get(URL, REMOTE_ADDR="10.16.1.1")
    assert made.status_code == 200 and len(renders) == 1
    files = list(folder.glob("*.djcache"))
    assert len(files) == 1, files
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    # Another process on the same data directory and settings, as a second worker of `pathways
    # serve` is, serves the PDF without rendering it (its WeasyPrint refuses to run).
    script = ("import hashlib, sys, django\n"
              "django.setup()\n"
              "from django.test import Client\n"
              "from pathways.web.finder import pdf\n"
              "def refuse(html):\n"
              "    raise AssertionError('rendered in the second process')\n"
              "pdf.html_to_pdf = refuse\n"
              "r = Client().get(sys.argv[1], REMOTE_ADDR='10.16.1.2')\n"
              "print(r.status_code, hashlib.sha256(r.content).hexdigest())\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pathways.web.settings"}
    other = subprocess.run([sys.executable, "-c", script, URL], capture_output=True, text=True, env=env, timeout=120)
    assert other.returncode == 0, other.stderr[-2000:]
    assert other.stdout.split()[-2:] == ["200", hashlib.sha256(made.content).hexdigest()], other.stdout


def test_each_language_has_its_own_pdf(django_setup, fake_renders):
    from django.test import Client

    english = Client().get(URL, REMOTE_ADDR="10.16.2.1")
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(URL, REMOTE_ADDR="10.16.2.2")
    assert english.status_code == french.status_code == 200
    assert len(fake_renders) == 2 and english.content != french.content
    assert english.content.endswith(b" en") and french.content.endswith(b" fr"), (english.content, french.content)
    again = Client(HTTP_ACCEPT_LANGUAGE="fr").get(URL, REMOTE_ADDR="10.16.2.3")
    assert again.content == french.content and len(fake_renders) == 2


def test_a_new_knowledge_base_misses_the_cache(client, fake_renders, monkeypatch):
    from pathways.web.engine import get_engine

    before = client.get(URL, REMOTE_ADDR="10.16.3.1")
    assert client.get(URL, REMOTE_ADDR="10.16.3.1").content == before.content and len(fake_renders) == 1
    engine = get_engine()
    monkeypatch.setattr(type(engine), "version", property(lambda self: f"{engine._key}-edited"))
    after = client.get(URL, REMOTE_ADDR="10.16.3.1")
    assert after.status_code == 200 and len(fake_renders) == 2 and after.content != before.content
