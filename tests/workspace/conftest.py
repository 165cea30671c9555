"""Django for the workspace tests: its own data directory and a test database made by
Django's own test utilities (migrations applied), each test inside a transaction that is
rolled back."""

import os
import tempfile
from pathlib import Path

import pytest


def _setup_django() -> None:
    """Django set up when this folder is collected (the tests import models at the top),
    in a data directory of its own; the environment is given back as it was."""
    from django.conf import settings

    if settings.configured:
        return
    base = Path(tempfile.mkdtemp(prefix="pathways-workspace-"))
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "PATHWAYS_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    os.environ.update({"XDG_DATA_HOME": str(base), "PATHWAYS_DATABASE_URL": f"sqlite:///{base / 'workspace.sqlite3'}",
                       "DJANGO_SETTINGS_MODULE": "pathways.web.settings"})
    try:
        import django

        django.setup()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_setup_django()


@pytest.fixture(scope="session")
def django_db(tmp_path_factory):
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
