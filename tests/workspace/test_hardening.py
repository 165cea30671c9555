"""The security probe's findings, each reproduced, in the app and against real `pathways serve`
processes:

1. one lockout (django-axes, in the database) for every sign-in: the workspace's and the
   admin's, per account across addresses and per address, shared by two server processes on
   one SQLite file, kept across a restart, not flushed by 400 other failures; behind the
   proxy the address is the proxy's X-Forwarded-For, elsewhere that header is ignored;
2. passwords of 12 characters at least, a page to change one's own, demo passwords valid;
3. sessions end when idle and after 12 hours; private pages are never stored (no-store);
   Permissions-Policy; waitress's own error answers carry the security headers;
4. `--behind-proxy`: https as the proxy says, HSTS, Secure cookies on a loopback address;
5. 100 half-sent requests do not keep a normal one from its answer;
6. private file modes after a real start (0700 folders, 0600 files, uploads too);
7. the `pathways.security` log (failures, lockouts, 403s; never a password), demo
   passwords never in a log, a read-only database answered 503;
8. the admin shows no other institution's usernames.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import secrets
import socket
import stat
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from .conftest import PASSWORD
from .support import Server, backend, seed  # noqa: F401  (backend: a fixture)

pytestmark = pytest.mark.security

DEMO_PASSWORD = "demo passphrase for the hardening tests 7"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]


def _login(client, username, password, ip="10.0.0.1", path="/workspace/login/", **extra):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def security_log(caplog):
    """The `pathways.security` records (its logger does not propagate to the root's)."""
    logger = logging.getLogger("pathways.security")
    logger.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.INFO)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


# --- 1. the lockout, in the app -------------------------------------------------------------


def test_the_admin_sign_in_is_locked_too_thirty_wrong_passwords_then_the_right_one_is_refused(make_member):
    boss = make_member("boss", role="administrator")
    client = Client()
    client.get("/admin/login/")
    for attempt in range(30):
        _login(client, "boss", f"wrong-{attempt}", path="/admin/login/?next=/admin/")
    right = _login(client, "boss", PASSWORD, path="/admin/login/?next=/admin/")
    assert right.status_code == 429, right.status_code
    assert "locked" in right.content.decode() and not _signed_in(client)
    assert boss.user.is_staff


def test_one_lockout_for_the_workspace_and_the_admin(make_member):
    make_member("boss", role="administrator")
    for attempt in range(3):
        assert _login(Client(), "boss", "wrong", ip="10.1.0.1").status_code == 200
    for attempt in range(2):
        _login(Client(), "boss", "wrong", ip="10.1.0.2", path="/admin/login/")
    for path in ("/workspace/login/", "/admin/login/"):
        client = Client()
        response = _login(client, "boss", PASSWORD, ip="10.1.0.3", path=path)  # a third address
        assert response.status_code == 429 and not _signed_in(client), (path, response.status_code)
        assert int(response["Retry-After"]) == 15 * 60
    page = _login(Client(), "boss", PASSWORD, ip="10.1.0.3").content.decode()
    assert 'action="/workspace/login/"' in page and "locked for 15 minutes" in page  # the sign-in page, with why


def test_five_failures_from_one_address_lock_that_address_for_every_account(make_member):
    make_member("coord")
    for n in range(5):
        _login(Client(), f"nobody-{n}", "wrong", ip="10.2.0.1")
    assert _login(Client(), "coord", PASSWORD, ip="10.2.0.1").status_code == 429
    client = Client()
    assert _login(client, "coord", PASSWORD, ip="10.2.0.2").status_code == 302 and _signed_in(client)


def test_usernames_are_counted_folded():
    for spelling in ("Coord", " coord", "COORD ", "coord", "cOoRd"):
        _login(Client(), spelling, "wrong", ip=f"10.3.0.{len(spelling)}")
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"coord"}


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)  # the 400 failures' dummy hashing, quick
def test_four_hundred_failures_with_random_usernames_do_not_flush_a_lockout(coordinator):
    for attempt in range(5):
        _login(Client(), "coord", "wrong", ip="10.4.0.1")
    assert _login(Client(), "coord", PASSWORD, ip="10.4.0.1").status_code == 429
    for n in range(400):  # four per address: no address is locked, nothing is refused early
        _login(Client(), f"random-{secrets.token_hex(6)}", "wrong", ip=f"10.5.{n // 4 // 250}.{n // 4 % 250}")
    assert _login(Client(), "coord", PASSWORD, ip="10.4.0.1").status_code == 429
    assert _login(Client(), "coord", PASSWORD, ip="10.4.0.9").status_code == 429


BEHIND = {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"), "AXES_IPWARE_PROXY_COUNT": 0}


def test_the_address_is_the_proxys_x_forwarded_for_only_behind_the_proxy(make_member):
    make_member("coord")
    make_member("other")
    # Not behind a proxy: the header is the client's to forge, and is ignored.
    for n in range(5):
        _login(Client(), f"nobody-{n}", "wrong", ip="10.6.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _login(Client(), "coord", PASSWORD, ip="10.6.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
    with override_settings(**BEHIND):
        # Behind it, every client arrives from the proxy (127.0.0.1): one client's failures
        # lock that client, not the others.
        for n in range(5):
            _login(Client(), f"nobody-{n}", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert _login(Client(), "other", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
        client = Client()
        assert _login(client, "other", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302
        from axes.models import AccessAttempt

        assert AccessAttempt.objects.filter(ip_address="203.0.113.5").exists()
        assert not AccessAttempt.objects.filter(ip_address="127.0.0.1").exists()


# --- 2. passwords ---------------------------------------------------------------------------


def test_passwords_need_twelve_characters_and_the_demo_users_get_valid_ones():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from typer.testing import CliRunner

    from pathways.cli import app
    from pathways.web.workspace.demo import load_demo

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Summer2025")
    weak = CliRunner().invoke(app, ["createuser", "eve", "--institution", "X", "--role", "viewer",
                                    "--password", "Summer2025"])
    assert weak.exit_code == 2 and "at least 12 characters" in weak.output
    validate_password("Summer2025 in Kampala")
    result = load_demo()
    assert set(result.passwords) == {"demo-admin", "demo-coordinator", "demo-viewer"}
    from django.contrib.auth import get_user_model

    for username, secret in result.passwords.items():
        validate_password(secret, user=get_user_model().objects.get(username=username))
        assert len(secret) >= 12


def test_a_signed_in_user_changes_their_own_password(coordinator, security_log):
    anonymous = Client().get("/account/password/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/workspace/login/?next=/account/password/")
    client = Client()
    assert _login(client, "coord", PASSWORD).status_code == 302
    page = client.get("/account/password/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="old_password"' in text and 'name="new_password1"' in text and "Test University Hospital" in text
    assert page["Cache-Control"].count("no-store") == 1
    wrong = client.post("/account/password/", {"old_password": "not it at all, no", "new_password1": "x",
                                                 "new_password2": "x"})
    assert wrong.status_code == 200 and "incorrect" in wrong.content.decode()
    short = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Summer2025",
                                                 "new_password2": "Summer2025"})
    assert short.status_code == 200 and "at least 12 characters" in short.content.decode()
    new = "a new and longer passphrase 2026"
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/account/password/done/"
    assert client.get("/account/password/done/").status_code == 200
    assert client.get("/workspace/").status_code == 200  # still signed in here
    coordinator.user.refresh_from_db()
    assert coordinator.user.check_password(new)
    messages = [r.getMessage() for r in security_log.records]
    assert any("password changed: username='coord'" in m for m in messages)
    assert any("wrong old password" in m for m in messages)
    assert not any(new in m or PASSWORD in m for m in messages)


# --- 3. sessions and headers ----------------------------------------------------------------


def test_sessions_end_after_thirty_idle_minutes_and_twelve_hours_in_all(coordinator):
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from pathways.web.security.middleware import SEEN_AT
    from pathways.web.security.signals import SIGNED_IN_AT

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.PATHWAYS_SESSION_MAX_AGE == 12 * 3600
    client = Client()
    response = _login(client, "coord", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 30 * 60 and cookie["httponly"]
    key = client.session.session_key
    expires = Session.objects.get(session_key=key).expire_date
    assert timedelta(minutes=29) < expires - timezone.now() <= timedelta(minutes=30)
    # a request a minute or more after the last renewal renews it (and the cookie)
    session = client.session
    session[SEEN_AT] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    renewed = client.get("/workspace/")
    assert renewed.status_code == 200 and settings.SESSION_COOKIE_NAME in renewed.cookies
    assert Session.objects.get(session_key=key).expire_date - timezone.now() > timedelta(minutes=29)
    # idle past the age: the database's session has expired, and with it the sign-in
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/workspace/").status_code == 302
    # twelve hours after signing in, however busy
    client = Client()
    _login(client, "coord", PASSWORD)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 12 * 3600 - 5
    session.save()
    ended = client.get("/workspace/")
    assert ended.status_code == 302 and ended["Location"].startswith("/workspace/login/")
    assert not _signed_in(client)


def test_private_answers_are_never_stored_and_every_answer_has_a_permissions_policy(make_member):
    from django.core.files.base import ContentFile

    from pathways.web.workspace.cases import create_case
    from pathways.web.workspace.models import Document

    from .conftest import STUDENT

    admin = make_member("boss", role="administrator")
    case = create_case(admin.institution, admin.user, trainee_name="A Trainee", trainee_email="", home_country="UG",
                       stage="student", profile=STUDENT, pathway_id="b1-elective",
                       as_of=__import__("datetime").date(2026, 3, 1))
    document = Document(case=case, title="Letter", uploaded_by=admin.user)
    document.file.save("letter.txt", ContentFile(b"a letter"), save=True)
    client = Client()
    client.force_login(admin.user)
    private = ["/workspace/", "/workspace/cases/", f"/workspace/cases/{case.pk}/", "/workspace/export.json",
               "/workspace/reciprocity.csv", f"/workspace/cases/{case.pk}/documents/{document.pk}/", "/admin/",
               "/admin/workspace/partner/", "/api/v1/workspace/cases", "/", "/knowledge/"]
    for url in private:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"], url
        assert response["Permissions-Policy"].startswith("camera=()"), url
    assert "no-store" in Client().get("/workspace/login/")["Cache-Control"]
    public = Client().get("/knowledge/")  # nobody signed in: the public pages may be cached as before
    assert "no-store" not in public.get("Cache-Control", "") and "camera=()" in public["Permissions-Policy"]
    static = Client().get("/static/finder/site.css")
    assert "no-store" not in static.get("Cache-Control", "") and "camera=()" in static["Permissions-Policy"]


# --- 7. the security log and the read-only database -----------------------------------------


def test_failures_lockouts_and_refused_writes_are_logged_with_user_and_address_never_a_password(make_member,
                                                                                             security_log):
    from axes.models import AccessAttempt

    make_member("coord")
    viewer = make_member("watcher", role="viewer")
    secret = "my-secret-guess-that-must-not-leak"
    for attempt in range(5):
        _login(Client(), "coord", secret, ip="10.7.0.1")
    _login(Client(), "coord", PASSWORD, ip="10.7.0.1")  # refused: locked
    client = Client()
    client.force_login(viewer.user)
    assert client.post("/workspace/partners/new/", {"name": "X", "country": "UG"}, REMOTE_ADDR="10.7.0.2").status_code == 403
    messages = [r.getMessage() for r in security_log.records]
    failed = [m for m in messages if m.startswith("sign-in failed")]
    assert len(failed) == 5 and all("username='coord' address=10.7.0.1" in m for m in failed), failed
    assert "(5 of 5)" in failed[-1]
    assert any(m.startswith("locked out after 5 failed sign-ins: username='coord' address=10.7.0.1") for m in messages)
    assert any(m.startswith("sign-in refused, locked out: username='coord' address=10.7.0.1") for m in messages)
    assert any(m.startswith("write refused (403): username='watcher' address=10.7.0.2 POST /workspace/partners/new/")
               for m in messages), messages
    everything = "\n".join(messages) + "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert secret not in everything and PASSWORD not in everything


def test_demo_passwords_go_to_a_terminal_only(monkeypatch):
    from pathways.web import serve

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    serve.workspace_start(terminal)
    shown = terminal.getvalue()
    assert re.search(r"demo-admin / \S{12,}", shown), shown
    from pathways.web.workspace.models import Institution

    Institution.objects.all().delete()
    monkeypatch.setattr(serve, "_terminal", lambda out: None)  # a log file, and no controlling terminal
    log = io.StringIO()
    serve.workspace_start(log)
    assert "demo-admin" in log.getvalue() and " / " not in log.getvalue()
    assert "pathways demo --password" in log.getvalue()


@contextmanager
def _read_only(vendor: str):
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    try:
        yield
    finally:
        connection.rollback() if not connection.get_autocommit() else None
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")


def test_a_read_only_database_answers_503_with_a_page_that_says_so(backend):
    records = seed(f"ro{secrets.token_hex(3)}", with_document=False)
    client = Client(raise_request_exception=False)
    client.force_login(records["users"]["coordinator"])
    case = records["case"]
    assert client.get("/workspace/").status_code == 200
    with _read_only(backend):
        page = client.get(f"/workspace/cases/{case.pk}/")  # reading still works
        assert page.status_code == 200
        note = client.post(f"/workspace/cases/{case.pk}/notes/", {"text": "while read-only"})
        assert note.status_code == 503, note.status_code
        assert "read-only" in note.content.decode() and note["Retry-After"] == "300"
        assert "no-store" in note["Cache-Control"]
        step = client.post(f"/api/v1/workspace/cases/{case.pk}/checklist/{records['item'].pk}",
                           '{"status": "done"}', content_type="application/json")
        assert step.status_code == 503 and "read-only" in step.json()["detail"], step.status_code
        login = Client(raise_request_exception=False).post("/workspace/login/", {"username": "x", "password": "y"})
        assert login.status_code == 503, login.status_code  # the failure cannot be counted: refused, said so
    assert client.post(f"/workspace/cases/{case.pk}/notes/", {"text": "writable again"}).status_code == 302


# --- 8. the admin -----------------------------------------------------------------------------


def test_the_admin_shows_no_other_institutions_usernames(make_member):
    boss = make_member("boss", role="administrator")
    stranger = make_member("stranger-from-elsewhere", institution="Another Hospital", role="coordinator")
    client = Client()
    client.force_login(boss.user)
    add = client.get(f"/admin/workspace/member/add/?user={stranger.user.pk}")
    assert add.status_code == 403 and "stranger-from-elsewhere" not in add.content.decode()
    change = client.get(f"/admin/workspace/member/{boss.pk}/change/?user={stranger.user.pk}")
    assert change.status_code == 200 and "stranger-from-elsewhere" not in change.content.decode()
    assert "Another Hospital" not in client.get("/admin/workspace/partner/add/").content.decode()
    for model in ("member", "case", "historyentry", "partner", "agreement"):
        page = client.get(f"/admin/workspace/{model}/")
        assert page.status_code == 200 and "stranger-from-elsewhere" not in page.content.decode(), model
    assert client.get(f"/admin/workspace/member/{stranger.pk}/change/").status_code == 302  # not theirs: gone
    assert client.get("/admin/auth/user/").status_code == 403
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    superuser = Client()
    superuser.force_login(root)
    assert superuser.get(f"/admin/workspace/member/add/?user={stranger.user.pk}").status_code == 200


# --- real server processes ------------------------------------------------------------------


class Http:
    """One client of a server: its cookies, its headers, no redirects followed."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port, self.headers, self.cookies = port, dict(headers or {}), {}
        self.set_cookies: list[str] = []

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None,
                timeout: float = 30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(value)
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.headers, data

    def login(self, username: str, password: str) -> int:
        if "csrftoken" not in self.cookies:
            self.request("GET", "/workspace/login/")
        return self.request("POST", "/workspace/login/", {"username": username, "password": password,
                                                          "next": "/workspace/"})[0]


@contextmanager
def _env(**values):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update({k: v for k, v in values.items() if v is not None})
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _start(data: Path, *args: str, **env) -> Server:
    """`pathways serve --port P [args]` with these environment variables."""
    server = Server(data)
    with _env(**env):
        if args:
            import subprocess

            from .support import pathways_command, server_env

            server.log = open(data / f"serve-{server.port}.log", "a+")
            server.process = subprocess.Popen([*pathways_command(), "serve", "--port", str(server.port), *args],
                                              env=server_env(data, None), stdout=server.log,
                                              stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + 90
            while True:
                try:
                    status, _, _ = Http(server.port).request("GET", "/api/v1/hello", timeout=2,
                                                             headers={"X-Forwarded-Proto": "https"})
                    if status == 200:
                        break
                except OSError:
                    pass
                if server.process.poll() is not None or time.monotonic() > deadline:
                    server.log.seek(0)
                    text = server.log.read()[-3000:]
                    server.stop()
                    pytest.fail(f"`pathways serve {' '.join(args)}` did not start:\n{text}", pytrace=False)
                time.sleep(0.2)
            return server
        return server.start()


SERVER_ENV = {"PATHWAYS_DEMO_PASSWORD": DEMO_PASSWORD, "PATHWAYS_WORKERS": "1", "PATHWAYS_CHANNEL_TIMEOUT": "3",
              "PATHWAYS_CLEANUP_INTERVAL": "1", "PATHWAYS_SECURITY_LOG": None, "PATHWAYS_BEHIND_PROXY": None}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two `pathways serve` processes (one worker each) on one data directory: one SQLite file."""
    data = tmp_path_factory.mktemp("hardening-pair")
    first = _start(data, **SERVER_ENV)  # migrates and loads the demo; then the second
    second = _start(data, **SERVER_ENV)
    try:
        yield data, first, second
    finally:
        first.stop()
        second.stop()


def test_two_server_processes_share_one_lockout_which_outlives_a_restart(pair):
    data, first, second = pair
    assert first.process.pid != second.process.pid
    for attempt in range(3):
        assert Http(first.port).login("demo-viewer", "wrong password!") == 200
    for attempt in range(2):
        status = Http(second.port).login("demo-viewer", "wrong password!")
    assert status == 429  # the fifth failure, counted with the first server's three
    for server in (first, second):
        client = Http(server.port)
        status = client.login("demo-viewer", DEMO_PASSWORD)
        assert status == 429, (server.port, status)
        assert client.request("GET", "/workspace/")[0] == 302  # not signed in
    try:
        first.stop()
        with _env(**SERVER_ENV):
            first.start()  # a restart: the lockout is in the database
        assert Http(first.port).login("demo-viewer", DEMO_PASSWORD) == 429
        logs = "".join((data / f"serve-{s.port}.log").read_text() for s in (first, second))
        assert "locked out after 5 failed sign-ins: username='demo-viewer' address=127.0.0.1" in logs
        assert DEMO_PASSWORD not in logs and "wrong password!" not in logs
    finally:
        _unlock(data)  # for the next tests, which sign in from the same address


def _unlock(data: Path) -> None:
    """django-axes's reset, from a process of its own on the servers' database."""
    import subprocess

    from .support import server_env

    code = "from pathways.web.serve import setup_django; setup_django(); from axes.utils import reset; reset()"
    done = subprocess.run([sys.executable, "-c", code], env=server_env(data, None), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_hundred_half_sent_requests_do_not_stop_a_normal_one(pair):
    data, server, _ = pair
    held = []
    try:
        for n in range(100):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            if n % 2:
                sock.sendall(b"GET /workspace/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # headers never end
            else:
                sock.sendall(b"POST /workspace/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\n\r\nusername=a")  # a body never sent
            held.append(sock)
        started = time.monotonic()
        status, _, body = Http(server.port).request("GET", "/api/v1/hello", timeout=10)
        seconds = time.monotonic() - started
        assert status == 200 and seconds < 3, (status, seconds)
        status, _, _ = Http(server.port).request("GET", "/workspace/login/", timeout=10)
        assert status == 200
        sys.stderr.write(f"\n[slow clients] a normal request answered in {seconds * 1000:.0f} ms beside 100 half-sent\n")
        # and the silent ones are dropped after the channel timeout (3 s here, 30 s by default)
        deadline = time.monotonic() + 15
        closed = 0
        for sock in held:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                closed += sock.recv(1) == b""
            except ConnectionResetError:
                closed += 1
            except socket.timeout:
                pass
        assert closed == 100, closed
    finally:
        for sock in held:
            sock.close()


def test_waitress_error_answers_carry_the_security_headers(pair):
    _, server, _ = pair
    status, headers, body = Http(server.port).request("GET", "/", headers={"X-Big": "a" * 70_000})
    assert status == 431
    assert headers["X-Content-Type-Options"] == "nosniff" and "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store" and headers["X-Frame-Options"] == "DENY"
    assert headers["Permissions-Policy"].startswith("camera=()")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n")
        answer = sock.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.0 400") or answer.startswith("HTTP/1.1 400"), answer[:80]
    assert "X-Content-Type-Options: nosniff" in answer


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]}


def test_uploads_are_private_files_in_private_folders(pair):
    data, server, _ = pair
    client = Http(server.port)
    assert client.login("demo-coordinator", DEMO_PASSWORD) == 302
    _, _, page = client.request("GET", "/workspace/cases/")
    case = re.search(rb'href="/workspace/cases/(\d+)/"', page).group(1).decode()
    boundary = "----hardening" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
             f'{client.cookies["csrftoken"]}\r\n',
             f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA letter\r\n',
             f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="letter.txt"\r\n'
             f'Content-Type: text/plain\r\n\r\nA letter of invitation\r\n', f"--{boundary}--\r\n"]
    status, _, body = _multipart(client, f"/workspace/cases/{case}/documents/", boundary, "".join(parts).encode())
    assert status == 302, (status, body[:300])
    media = data / "exchange-pathways" / "media"
    files = [p for p in media.rglob("*") if p.is_file()]
    assert files, "no uploaded file"
    for path, mode in _modes(media).items():
        kind = "dir" if (media / path).is_dir() else "file"
        assert mode == (0o700 if kind == "dir" else 0o600), (path, oct(mode))


def _multipart(client: Http, path: str, boundary: str, body: bytes):
    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
               "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def test_a_fresh_start_makes_private_files_and_logs_no_password(tmp_path):
    server = _start(tmp_path, **{**SERVER_ENV, "PATHWAYS_DEMO_PASSWORD": None, "PATHWAYS_WORKERS": None})
    try:
        root = tmp_path / "exchange-pathways"
        modes = _modes(root)
        assert modes["."] == 0o700
        for name in ("pathways.sqlite3", "secret-key"):
            assert modes[name] == 0o600, (name, oct(modes[name]))
        for name in ("media", "static"):
            assert modes[name] == 0o700, (name, oct(modes[name]))
        loose = {path: oct(mode) for path, mode in modes.items() if mode & 0o077}
        assert not loose, loose
        log = (tmp_path / f"serve-{server.port}.log").read_text()
        assert "demo-admin" in log and "shown only on a terminal" in log
        assert not re.search(r"demo-\w+ / \S", log), log
        # the default: a worker process per core this process may use, forked from the one that started
        children = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == server.process.pid]
        assert len(children) == len(os.sched_getaffinity(0)), (len(children), log)
    finally:
        server.stop()


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def test_behind_the_proxy_https_hsts_secure_cookies_and_the_forwarded_address(tmp_path):
    env = {**SERVER_ENV, "PATHWAYS_ALLOWED_HOSTS": "pathways.example,127.0.0.1", "PATHWAYS_INSECURE_COOKIES": "1"}
    server = _start(tmp_path, "--behind-proxy", **env)
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "pathways.example",
             "Origin": "https://pathways.example"}
    try:
        plain = Http(server.port).request("GET", "/workspace/login/")
        assert plain[0] == 301 and plain[1]["Location"] == f"https://127.0.0.1:{server.port}/workspace/login/"
        client = Http(server.port, {**proxy, "X-Forwarded-For": "203.0.113.5"})
        status, headers, _ = client.request("GET", "/workspace/login/")
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert client.set_cookies and all("; Secure" in c or "; secure" in c for c in client.set_cookies), \
            client.set_cookies  # Secure although the server listens on 127.0.0.1
        for n in range(5):
            Http(server.port, {**proxy, "X-Forwarded-For": "203.0.113.5"}).login(f"nobody-{n}", "wrong")
        assert Http(server.port, {**proxy, "X-Forwarded-For": "203.0.113.5"}).login("demo-admin", DEMO_PASSWORD) == 429
        other = Http(server.port, {**proxy, "X-Forwarded-For": "203.0.113.6"})
        assert other.login("demo-admin", DEMO_PASSWORD) == 302  # another client behind the same proxy
        assert other.request("GET", "/workspace/")[0] == 200
        log = (tmp_path / f"serve-{server.port}.log").read_text()
        assert "address=203.0.113.5" in log and "address=127.0.0.1" not in log
    finally:
        server.stop()


def test_behind_the_proxy_on_an_open_address_needs_the_proxys_address(monkeypatch):
    from pathways.web.serve import waitress_options

    monkeypatch.delenv("PATHWAYS_TRUSTED_PROXY", raising=False)
    with pytest.raises(SystemExit, match="PATHWAYS_TRUSTED_PROXY"):
        waitress_options("0.0.0.0", 8, True)
    monkeypatch.setenv("PATHWAYS_TRUSTED_PROXY", "10.0.0.5")
    options = waitress_options("0.0.0.0", 8, True)
    assert options["trusted_proxy"] == "10.0.0.5" and options["trusted_proxy_count"] == 1
    assert "trusted_proxy" not in waitress_options("127.0.0.1", 8, False)  # waitress drops X-Forwarded-*
    monkeypatch.delenv("PATHWAYS_TRUSTED_PROXY")
    assert waitress_options("127.0.0.1", 8, True)["trusted_proxy"] == "*"  # only this machine reaches it
