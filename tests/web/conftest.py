"""Django for the page tests: its own data directory and database (tests/django_sandbox.py),
migrated once."""

import pytest

from .. import django_sandbox


def pytest_configure(config):
    """Django set up when pytest loads this folder, before it imports the test modules:
    test_schemathesis.py imports the WSGI application (which sets Django up) at the top."""
    django_sandbox.pytest_configure_hook(config)


@pytest.fixture(scope="session", autouse=True)
def django_setup():
    django_sandbox.configure()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # sessions and the workspace's tables (the API's auth reads them)


@pytest.fixture
def client(django_setup):
    from django.test import Client

    return Client()
