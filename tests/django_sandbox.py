"""Django for the tests: the project's settings over a temporary data directory of their own
(XDG_DATA_HOME, and SQLite in it as PATHWAYS_DATABASE_URL), so that no test touches the data
of the person running them. Nothing happens at import; `configure()` sets Django up once,
however many folders ask, and `restore()` gives the environment back and deletes the folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

KEYS = ("XDG_DATA_HOME", "PATHWAYS_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
_saved: dict[str, str | None] | None = None
_base: Path | None = None


def configure() -> None:
    """Set Django up in a temporary data directory, unless it already is."""
    global _saved, _base
    from django.apps import apps

    if apps.ready:
        return
    _base = Path(tempfile.mkdtemp(prefix="pathways-tests-"))
    _saved = {key: os.environ.get(key) for key in KEYS}
    os.environ.update({"XDG_DATA_HOME": str(_base), "PATHWAYS_DATABASE_URL": f"sqlite:///{_base / 'tests.sqlite3'}",
                       "DJANGO_SETTINGS_MODULE": "pathways.web.settings"})
    import django

    django.setup()


def restore() -> None:
    """The environment as it was before `configure()`, and its data directory deleted."""
    global _saved, _base
    if _saved is not None:
        for key, value in _saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _saved = None
    if _base is not None:
        shutil.rmtree(_base, ignore_errors=True)
        _base = None


def pytest_configure_hook(config) -> None:
    """What a conftest's `pytest_configure` calls: Django set up now, given back at the end."""
    if _saved is None and _base is None:
        config.add_cleanup(restore)
    configure()
