"""`pathways backup FILE` and `pathways restore FILE`: the whole database in one file and back.

The database is Django's `default` (settings.py's `database()` of PATHWAYS_DATABASE_URL, or
SQLite in the data directory):

- SQLite: SQLite's online backup API (`sqlite3.Connection.backup`), a consistent copy even
  while the server writes; the backup is itself an SQLite database. A restore copies it back
  the same way, page by page, in one step.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`
  (the connection's password passed in the environment, never on the command line), with the
  newest of the pg_dump found on PATH or in /usr/lib/postgresql/<version>/bin.

A backup is written next to its name first, readable by its owner only (0600: it holds
every trainee's records), then moved into place; an existing FILE is refused unless `force`.
A restore checks the file's format against the database's (an SQLite file into a PostgreSQL
database, or the reverse, is refused with the reason) and applies the migrations after it.

The uploaded documents (MEDIA_ROOT) are files, not rows: they are not in the backup.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why and what to do."""


def _config() -> dict:
    from django.conf import settings

    return settings.DATABASES["default"]


def _kind(config: dict) -> str:
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"the database's engine {engine!r} is neither SQLite nor PostgreSQL")


def describe(config: dict | None = None) -> str:
    config = config or _config()
    if _kind(config) == "sqlite":
        return f"the SQLite database {config['NAME']}"
    where = f"{config.get('HOST') or 'localhost'}:{config.get('PORT') or 5432}"
    return f"the PostgreSQL database {config['NAME']!r} on {where}"


def file_format(path: Path) -> str | None:
    """sqlite, postgresql (pg_dump's custom format), or None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    return None


def _private_temp(target: Path) -> Path:
    """An empty file beside `target`, readable by its owner only."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


def _sqlite_path(config: dict) -> Path:
    name = str(config["NAME"])
    if name in ("", ":memory:") or name.startswith("file::memory:"):
        raise BackupError("the database is in memory: there is nothing on disk to back up or restore into")
    return Path(name)


def backup(target: Path, force: bool = False) -> str:
    """Write the database to `target`; a sentence saying what was written."""
    target = Path(target)
    config = _config()
    kind = _kind(config)
    if target.is_dir():
        raise BackupError(f"{target} is a directory: give the name of the backup file to write")
    if target.exists() and not force:
        raise BackupError(f"{target} exists already: give another name, or --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory: make it first, or give another name")
    temp = _private_temp(target)
    try:
        if kind == "sqlite":
            source_path = _sqlite_path(config)
            if not source_path.exists():
                raise BackupError(f"there is no database at {source_path} yet: nothing to back up")
            if source_path.resolve() == target.resolve():
                raise BackupError("the backup file cannot be the database itself")
            source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
            try:
                copy = sqlite3.connect(temp)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
            finally:
                source.close()
        else:
            _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={temp}",
                             f"--dbname={config['NAME']}"], config)
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return f"backed up {describe(config)} to {target} ({target.stat().st_size:,} bytes)"


def restore(source: Path) -> str:
    """Replace the database's records with the backup's; a sentence saying what was done."""
    source = Path(source)
    config = _config()
    kind = _kind(config)
    if not source.is_file():
        raise BackupError(f"{source} is not a file: give a file made by `pathways backup`")
    found = file_format(source)
    if found is None:
        raise BackupError(f"{source} is not a backup made by `pathways backup`: neither an SQLite database "
                          "nor a pg_dump custom-format archive")
    if found != kind:
        made = "an SQLite database" if found == "sqlite" else "a PostgreSQL dump (pg_dump's custom format)"
        raise BackupError(f"{source} is {made}, but the database is {describe(config)}: restore it into a "
                          f"{'SQLite' if found == 'sqlite' else 'PostgreSQL'} database "
                          "(PATHWAYS_DATABASE_URL names the database)")
    from django.db import connections

    connections.close_all()
    if kind == "sqlite":
        target_path = _sqlite_path(config)
        if source.resolve() == target_path.resolve():
            raise BackupError("the backup file is the database itself")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            try:
                ok = backup_db.execute("PRAGMA quick_check").fetchone()[0]
                tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            except sqlite3.DatabaseError as error:
                raise BackupError(f"{source} is a damaged SQLite file: {error}") from None
            if ok != "ok":
                raise BackupError(f"{source} is a damaged SQLite file: {ok}")
            if "django_migrations" not in tables:
                raise BackupError(f"{source} is an SQLite database, but not one of this app's (no django_migrations table)")
            target_path.parent.mkdir(parents=True, exist_ok=True)
            live = sqlite3.connect(target_path, timeout=30)
            try:
                backup_db.backup(live)
            finally:
                live.close()
        finally:
            backup_db.close()
    else:
        _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                            "--exit-on-error", f"--dbname={config['NAME']}", str(source)], config)
    return f"restored {describe(config)} from {source}"


def _pg_binary(name: str) -> str:
    """The newest `name` (pg_dump, pg_restore): /usr/lib/postgresql/<version>/bin, else PATH."""
    found = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    found.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parent.parent.name)] or [0])
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"{name} is not installed: install PostgreSQL's client programs "
                      "(Debian: apt-get install postgresql-client)")


def _run(name: str, args: list[str], config: dict) -> None:
    env = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            env[variable] = str(config[key])
    done = subprocess.run([_pg_binary(name), *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{name} failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")
