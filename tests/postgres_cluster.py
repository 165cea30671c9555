"""A throwaway PostgreSQL cluster of the tests' own, for the tests marked `postgres` when
PATHWAYS_TEST_DATABASE_URL names no server: `initdb` into a temporary directory and
`pg_ctl start` on a free port of 127.0.0.1 (its socket in the same directory), with the
binaries of Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin, the newest).
PostgreSQL refuses to run as root: as root, they run as the `postgres` system user
(`runuser -u postgres`) in a directory that user owns. Stopped and deleted at the end.

Nothing happens at import; `Cluster().start()` does the work, and fails the test (never skips
it) with the reason when no server can be had.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

INSTALL = ("install Debian's `postgresql` package (./scripts/test does) or point PATHWAYS_TEST_DATABASE_URL "
           "at a server; the tests marked `postgres` never skip")


def binaries() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl (or those on PATH)."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0])
    for folder in reversed(found):
        if (folder / "pg_ctl").exists():
            return folder
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    pytest.fail(f"no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin: {INSTALL}.",
                pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One cluster in a temporary directory; `url` names its database `test` as user `postgres`."""

    def __init__(self):
        self.bin = binaries()
        self.folder: Path | None = None
        self.port: int | None = None
        self.started = False
        self.seconds = 0.0  # initdb to accepting connections
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail(f"running as root, PostgreSQL needs the `postgres` system user to run as: {INSTALL}.",
                            pytrace=False)
            self.run_as = ["runuser", "-u", "postgres", "--"]

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([*self.run_as, str(self.bin / args[0]), *args[1:]], cwd=self.folder,
                              capture_output=True, text=True, timeout=timeout)

    def _fail(self, what: str, done: subprocess.CompletedProcess) -> None:
        log = self.folder / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        self.stop()
        pytest.fail(f"the throwaway PostgreSQL cluster did not {what} ({self.bin}): "
                    f"{(done.stdout + done.stderr).strip()[-2000:]}\n{tail}\n({INSTALL})", pytrace=False)

    def start(self) -> "Cluster":
        began = time.monotonic()
        # as root, in /tmp: the `postgres` user must be able to reach it (TMPDIR may be root's own)
        self.folder = Path(tempfile.mkdtemp(prefix="pathways-postgres-", dir="/tmp" if self.run_as else None))
        if self.run_as:
            os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)
        done = self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                         "--locale=C", "--no-sync")
        if done.returncode != 0:
            self._fail("initialise", done)
        for attempt in range(3):  # another process may take the free port first
            self.port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                             "-o", options, "start", timeout=90)
            if done.returncode == 0:
                break
            if attempt == 2:
                self._fail("start", done)
        self.started = True
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True,
                             connect_timeout=10) as conn:
            conn.execute('CREATE DATABASE "test"')
        self.seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop the server (immediately: its data is thrown away) and delete the directory."""
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
            self.started = False
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
