"""`pathways backup FILE` and `pathways restore FILE` on both databases (the `backend`
fixture: SQLite's online backup API; pg_dump/pg_restore for PostgreSQL): a round trip brings
a deleted case back; an existing file, a wrong format and a file of the other database are
refused with the reason. Marked `security` (backups hold every trainee's records: 0600)."""

from __future__ import annotations

import secrets
import stat

import pytest
from typer.testing import CliRunner

from pathways.cli import app

from .support import backend, seed  # noqa: F401  (backend: a fixture)

pytestmark = pytest.mark.security


def _run(*args, input=None):
    return CliRunner().invoke(app, list(args), input=input)


def test_a_backup_and_a_restore_bring_a_deleted_case_back(backend, tmp_path):
    from pathways.web.workspace.models import Case, Partner

    records = seed(f"bk{secrets.token_hex(4)}")
    case, partner = records["case"], records["partner"]
    steps = case.checklist.count()
    file = tmp_path / f"pathways-{backend}.backup"
    made = _run("backup", str(file))
    assert made.exit_code == 0, made.output
    assert f"to {file}" in made.output and file.stat().st_size > 0
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # every trainee's records: the owner's only
    assert file.read_bytes().startswith(b"SQLite format 3\x00" if backend == "sqlite" else b"PGDMP")

    # an existing file is refused unless --force, and left as it was
    before = file.read_bytes()
    again = _run("backup", str(file))
    assert again.exit_code == 2 and "exists already" in again.output and "--force" in again.output
    assert file.read_bytes() == before

    # the case is deleted, the partner renamed, a new partner added
    Case.objects.filter(pk=case.pk).delete()
    Partner.objects.filter(pk=partner.pk).update(name="Renamed after the backup")
    Partner.objects.create(institution=records["institution"], name="Added after the backup", country="KE")
    assert not Case.objects.filter(pk=case.pk).exists()

    # restore asks first (and does nothing when told no), or goes ahead with --force
    refused = _run("restore", str(file), input="n\n")
    assert refused.exit_code == 1 and not Case.objects.filter(pk=case.pk).exists()
    restored = _run("restore", str(file), "--force")
    assert restored.exit_code == 0, restored.output
    assert "restored" in restored.output
    back = Case.objects.get(pk=case.pk)
    assert back.trainee_name == case.trainee_name and back.checklist.count() == steps
    assert Partner.objects.get(pk=partner.pk).name == partner.name
    assert not Partner.objects.filter(name="Added after the backup").exists()
    # and the database works on: a new record after the restore
    Partner.objects.create(institution=records["institution"], name="After the restore", country="NG")

    # --force replaces an existing backup
    forced = _run("backup", str(file), "--force")
    assert forced.exit_code == 0, forced.output


def test_restore_refuses_what_is_not_a_backup_of_this_database(backend, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    wrong = _run("restore", str(text), "--force")
    assert wrong.exit_code == 2 and "is not a backup made by `pathways backup`" in wrong.output
    missing = _run("restore", str(tmp_path / "nowhere.backup"), "--force")
    assert missing.exit_code == 2 and "is not a file" in missing.output
    other = tmp_path / "other.backup"
    if backend == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        said = "is a PostgreSQL dump (pg_dump's custom format), but the database is the SQLite database"
    else:
        import sqlite3

        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
        said = "is an SQLite database, but the database is the PostgreSQL database"
    refused = _run("restore", str(other), "--force")
    assert refused.exit_code == 2 and said in refused.output, refused.output
    if backend == "sqlite":  # an SQLite file that is not this app's
        import sqlite3

        foreign = tmp_path / "foreign.sqlite3"
        sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
        result = _run("restore", str(foreign), "--force")
        assert result.exit_code == 2 and "not one of this app's" in result.output
    directory = _run("backup", str(tmp_path))
    assert directory.exit_code == 2 and "is a directory" in directory.output
