"""Shared fixtures: the knowledge base and engine, loaded once per test session; and the
PostgreSQL server of the tests marked `postgres`."""

from __future__ import annotations

import os

import pytest

from pathways.engine.core import Engine
from pathways.rules.loader import load_knowledge

# Tests that use the PostgreSQL test server but do not carry the `postgres` mark themselves yet.
USE_POSTGRES = {"tests/web/test_settings.py::test_migrations_apply_on_the_local_postgresql_server"}
STARTED: list[str] = []  # what the session started, for the summary


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb):
    return Engine(kb)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid in USE_POSTGRES:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL server of the tests marked `postgres`: PATHWAYS_TEST_DATABASE_URL when it is
    set; otherwise a throwaway cluster of this session's own (tests/postgres_cluster.py), named in
    PATHWAYS_TEST_DATABASE_URL while the session lasts, stopped and deleted at its end."""
    given = os.environ.get("PATHWAYS_TEST_DATABASE_URL")
    if given:
        yield given
        return
    from .postgres_cluster import Cluster

    cluster = Cluster()
    try:
        cluster.start()
        STARTED.append(f"a throwaway cluster at {cluster.url}, ready in {cluster.seconds:.1f} s")
        os.environ["PATHWAYS_TEST_DATABASE_URL"] = cluster.url
        yield cluster.url
    finally:
        os.environ.pop("PATHWAYS_TEST_DATABASE_URL", None)
        cluster.stop()


@pytest.fixture(autouse=True)
def _postgres_for_the_marked_tests(request):
    """A test marked `postgres` gets its server before any of its own fixtures run; the others
    never start one."""
    if request.node.get_closest_marker("postgres"):
        request.getfixturevalue("postgres_url")


def pytest_terminal_summary(terminalreporter):
    for line in STARTED:
        terminalreporter.write_line(f"PostgreSQL for the tests marked `postgres`: {line}")
