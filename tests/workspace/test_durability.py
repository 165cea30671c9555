"""SIGKILL in the middle of a stream of case updates: every update the server acknowledged is
still there after a restart.

`pathways serve --port P` runs in a process group of its own (its own XDG_DATA_HOME: SQLite
by default; a throwaway PostgreSQL database for the half marked `postgres`). A coordinator
signs in through the login form, and threads stream updates to one case while others are
in flight: notes (POST /workspace/cases/<id>/notes/ with the CSRF token), steps ticked back
and forth (POST .../checklist/<item>/) and trainee renames through the JSON API
(PATCH /api/v1/workspace/cases/<id>). Once N updates have been acknowledged (a 2xx or the
302 a form answers with), the whole process group gets SIGKILL: no handler runs, nothing is
flushed. The server is started again on the same data, and every acknowledged update must
be there (a request cut off by the kill may or may not have landed: both are correct).

Why it holds: Django runs each request in autocommit mode (each write its own transaction,
or one `transaction.atomic` block per operation), so the commit happens inside the view,
before the response is written to the socket. A commit is durable once it returns: SQLite
(rollback journal or WAL, synchronous=FULL by default in Python's sqlite3) has fsynced the
journal and the database file, and PostgreSQL (fsync=on, synchronous_commit=on) has flushed
the WAL record. A SIGKILL takes only the process, not the operating system's page cache, so
even an un-fsynced write would survive it; what the test guards against is an
acknowledgement sent before the commit (a response streamed first, a deferred write, a
cache in front of the database, a transaction left open across requests).
"""

from __future__ import annotations

import http.cookiejar
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .support import BACKENDS, PASSWORD, Server, create_pg_database, drop_pg_database, seed_outside, server_env

OWN_DATABASE = True  # the server has its own data directory (conftest.py: no rollback here)
ACKNOWLEDGED_BEFORE_KILL = 60


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 comes back as the answer itself


class Browser:
    """A signed-in session over plain HTTP: cookies, the CSRF token, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, method: str, path: str, data: dict | None = None, as_json: bool = False,
                timeout: float = 20) -> tuple[int, bytes]:
        headers = {"Referer": self.base + "/"}
        body = None
        if method != "GET":
            headers["X-CSRFToken"] = self.csrf()
            if as_json:
                body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
            else:
                body = urllib.parse.urlencode({**(data or {}), "csrfmiddlewaretoken": self.csrf()}).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, username: str) -> None:
        status, _ = self.request("GET", "/workspace/login/")
        assert status == 200, f"the login page answered {status}"
        status, body = self.request("POST", "/workspace/login/", {"username": username, "password": PASSWORD,
                                                                  "next": "/workspace/"})
        assert status == 302, f"signing in as {username} answered {status}: {body[:300]!r}"


@pytest.fixture(params=BACKENDS)
def database_url(request):
    if request.param == "sqlite":
        yield None  # the default: SQLite in XDG_DATA_HOME
    else:
        url = create_pg_database()
        try:
            yield url
        finally:
            drop_pg_database(url)


READ_BACK = r"""
import json, sys
from pathways.web.serve import setup_django
setup_django()
from pathways.web.workspace.models import Note, HistoryEntry, ChecklistItem
case = int(sys.argv[1])
notes = list(Note.objects.filter(case_id=case).values_list("text", flat=True))
history = list(HistoryEntry.objects.order_by("id").values_list("model", "object_id", "after"))
print(json.dumps({"notes": notes, "history": history}))
"""


def _read_back(data: Path, url: str | None, case: int) -> dict:
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", READ_BACK, str(case)], env=server_env(data, url), cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_acknowledged_update_survives_sigkill(tmp_path, database_url):
    records = seed_outside(tmp_path, database_url, "durable")
    case, item = records["case"], records["items"][0]
    server = Server(tmp_path, database_url).start()
    acked = {"note": [], "tick": [], "patch": []}
    refused: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()
    stop = threading.Event()
    try:
        session = Browser(server.base)
        session.sign_in(records["users"]["coordinator"])

        def stream(kind: str, worker: int):
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if kind == "note":
                        value = f"durable note {worker}-{i}"
                        status, body = session.request("POST", f"/workspace/cases/{case}/notes/", {"text": value})
                    elif kind == "tick":
                        value = ["todo", "done"][i % 2]  # starts at done: the step begins as todo
                        status, body = session.request("POST", f"/workspace/cases/{case}/checklist/{item}/",
                                                       {"status": value})
                    else:
                        value = f"Durable Trainee {i}"
                        status, body = session.request("PATCH", f"/api/v1/workspace/cases/{case}",
                                                        {"trainee_name": value}, as_json=True)
                except OSError:
                    return  # the server is gone: this request's fate is unknown, and that is allowed
                with lock:
                    if 200 <= status < 400:
                        acked[kind].append(value)
                        if sum(map(len, acked.values())) >= ACKNOWLEDGED_BEFORE_KILL:
                            enough.set()
                    else:
                        refused.append(f"{kind} {value}: {status} {body[:200]!r}")
                        if len(refused) > 20:
                            enough.set()
                            return

        threads = [threading.Thread(target=stream, args=("note", w), daemon=True) for w in range(3)]
        threads += [threading.Thread(target=stream, args=("tick", 0), daemon=True),
                    threading.Thread(target=stream, args=("patch", 0), daemon=True)]
        for t in threads:
            t.start()
        assert enough.wait(120), f"only {sum(map(len, acked.values()))} updates acknowledged in 120 s"
        server.kill()  # SIGKILL while the threads still have requests in flight
        stop.set()
        for t in threads:
            t.join(30)
    finally:
        stop.set()
        server.kill()
        server.stop()

    assert not refused, f"the server refused updates before the kill: {refused[:5]}"
    with lock:
        snapshot = {k: list(v) for k, v in acked.items()}
    assert all(snapshot.values()), f"each kind of update must be acknowledged at least once: " \
                                   f"{ {k: len(v) for k, v in snapshot.items()} }"

    again = Server(tmp_path, database_url).start()  # migrations and all, as after a crash
    try:
        session = Browser(again.base)
        session.sign_in(records["users"]["coordinator"])
        status, page = session.request("GET", f"/workspace/cases/{case}/")
        assert status == 200
        shown = page.decode()
        missing_on_page = [n for n in snapshot["note"] if n not in shown]
        assert not missing_on_page, f"acknowledged notes not on the case page after restart: {missing_on_page[:10]}"
    finally:
        again.stop()

    stored = _read_back(tmp_path, database_url, case)
    lost_notes = [n for n in snapshot["note"] if n not in stored["notes"]]
    names = [after.get("trainee_name") for model, oid, after in stored["history"]
             if model == "Case" and oid == case and after]
    statuses = [after.get("status") for model, oid, after in stored["history"]
                if model == "ChecklistItem" and oid == item and after]
    lost_patches = [n for n in snapshot["patch"] if n not in names]
    # the ticking thread alternated done/todo, one request at a time: what it was told
    # happened is the start of what the history says happened
    assert not lost_notes, f"{len(lost_notes)} acknowledged notes lost: {lost_notes[:10]}"
    assert not lost_patches, f"{len(lost_patches)} acknowledged renames lost: {lost_patches[:10]}"
    assert statuses[:len(snapshot["tick"])] == snapshot["tick"], (statuses, snapshot["tick"])
