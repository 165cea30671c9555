"""Where the app keeps its data: SQLite by default, PostgreSQL when PATHWAYS_DATABASE_URL says so."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pathways.web.settings import database


def test_database_urls_are_read_without_guessing():
    assert database(None)["ENGINE"].endswith("sqlite3")
    pg = database("postgresql://me:s%40cret@db.example:6543/pathways")
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == \
        ("django.db.backends.postgresql", "me", "s@cret", "db.example", "6543", "pathways")
    assert database("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ValueError, match="unsupported scheme 'mysql'"):
        database("mysql://x/y")


def test_migrations_apply_on_the_local_postgresql_server(tmp_path):
    url = os.environ.get("PATHWAYS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    env = {**os.environ, "PATHWAYS_DATABASE_URL": url, "XDG_DATA_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "pathways.web.settings"}
    code = "from pathways.web.serve import setup_django, migrate; setup_django(); migrate(); " \
           "from django.db import connection; print(connection.vendor)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "postgresql"
