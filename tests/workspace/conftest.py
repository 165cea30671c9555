"""Django for the workspace tests: its own data directory and a test database made by
Django's own test utilities (migrations applied), each test inside a transaction that is
rolled back."""

import pytest

from .. import django_sandbox
from .support import create_pg_database, drop_pg_database, migrated


def pytest_configure(config):
    """Django set up when pytest loads this folder, before it imports the test modules:
    test_cases.py, test_partners_and_reports.py and test_security_and_commands.py import
    models at the top."""
    django_sandbox.pytest_configure_hook(config)


@pytest.fixture(scope="session")
def django_db(tmp_path_factory):
    django_sandbox.configure()
    base = tmp_path_factory.mktemp("workspace")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    try:
        setup_test_environment()
        torn = True
    except RuntimeError:  # already set up by another suite
        torn = False
    # A file, not SQLite's shared memory: other tests here re-point and close the connections.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(base / "test.sqlite3")
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    settings.MEDIA_ROOT = base / "media"
    yield
    connection.creation.destroy_test_db(old, verbosity=0)
    if torn:
        teardown_test_environment()


@pytest.fixture(scope="session")
def sqlite_database(django_db, tmp_path_factory):
    """The `backend` fixture's SQLite database (support.py): a file, migrated once."""
    yield migrated(f"sqlite:///{tmp_path_factory.mktemp('workspace-sqlite') / 'workspace-tests.sqlite3'}")
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def postgresql_database(django_db, postgres_url):
    """The `backend` fixture's PostgreSQL database: a throwaway database on the test server
    (tests/conftest.py's `postgres_url`), migrated once, dropped before the server goes."""
    url = create_pg_database(postgres_url)
    try:
        yield migrated(url)
    finally:
        from django.db import connections

        connections.close_all()
        drop_pg_database(url, postgres_url)


@pytest.fixture(autouse=True)
def rollback(request, django_db):
    from django.core.cache import cache
    from django.db import transaction

    cache.clear()
    # Tests that bring their own database (support.py's `backend` fixture: SQLite and a
    # throwaway PostgreSQL database) or use none in this process (a server of its own, a
    # browser: set OWN_DATABASE = True in the module) are not wrapped in this transaction.
    if "backend" in request.fixturenames or getattr(request.module, "OWN_DATABASE", False):
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def make_member(rollback):
    from pathways.web.workspace.members import create_member

    def make(username, institution="Test University Hospital", role="coordinator"):
        member, _ = create_member(username, institution, role, PASSWORD)
        return member

    return make


@pytest.fixture
def coordinator(make_member):
    return make_member("coord")


def signed_in(member):
    from django.test import Client

    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def client(coordinator):
    return signed_in(coordinator)


STUDENT = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "desired_contact": "supervised",
           "duration_weeks": 8, "host": {"dean_approved_elective": True}}
CANADIAN = {"citizenships": ["CA"], "stage": "graduate", "postgraduate_years": 5, "practice_years": 9,
            "home_license": True, "school_recognized_by_mbc": True, "ecfmg_certified": True,
            "has_ssn_or_itin": False, "current_us_status": "none",
            "host": {"faculty_appointment": True, "employment_sponsorship": True}}
