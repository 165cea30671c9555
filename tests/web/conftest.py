"""Django for the page tests: its own database and data directory, set up once."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def django_setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    os.environ["XDG_DATA_HOME"] = str(base)
    os.environ["PATHWAYS_DATABASE_URL"] = f"sqlite:///{base / 'pages.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "pathways.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # sessions and the workspace's tables (the API's auth reads them)


@pytest.fixture
def client(django_setup):
    from django.test import Client

    return Client()
