"""What the workspace's hard tests share (test_authz, test_postgres, test_durability,
test_workspace_browser, benchmarks/bench_workspace.py):

- `ensure_django()`: Django in a data directory of its own (tests/django_sandbox.py), for
  the benchmark; the tests get it from their conftest;
- a database per backend: SQLite in a temporary file, and PostgreSQL as a throwaway database
  (CREATE DATABASE pathways_test_<random>) on the tests' server (PATHWAYS_TEST_DATABASE_URL,
  or without it a throwaway cluster: tests/conftest.py's `postgres_url`), dropped at the end
  of the session. A missing server fails the tests with a clear message: they never skip;
- `activate(config)`: point Django's `default` connection at one of them (and back);
- `seed(tag)`: an institution with an administrator, a coordinator and a viewer, a partner,
  an agreement, exchanges both ways, a case made from an evaluation (with its checklist),
  a note, a document and a week of contact log;
- `snapshot()`: every workspace row (and every user), to show that a refused write changed nothing;
- `serve(...)`: `pathways serve --port P` in a process group of its own, and `seed_script`
  to make the same records in a fresh data directory from outside the server.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
AS_OF = date(2026, 3, 1)
# The finder's student (tests/test_interview.py): b1-elective is open for them.
STUDENT = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "host": {"dean_approved_elective": True},
           "desired_contact": "supervised"}
PATHWAY = "b1-elective"
PASSWORD = "correct horse battery staple 42"
ROLES = ("administrator", "coordinator", "viewer")


# --- Django and the databases -------------------------------------------------------------


def ensure_django() -> None:
    """Set Django up (its own temporary data directory and SQLite file) unless it already is."""
    from ..django_sandbox import configure

    configure()


def pg_url() -> str:
    return os.environ.get("PATHWAYS_TEST_DATABASE_URL") or PG_DEFAULT


def _pg_connect(url: str):
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"cannot reach the PostgreSQL server at {url!r} ({error}). The tests marked `postgres` need one: "
            "without PATHWAYS_TEST_DATABASE_URL they start a throwaway cluster of their own "
            "(tests/postgres_cluster.py, with Debian's `postgresql` package, which ./scripts/test installs); "
            "with it, it must name a running server. They never skip.", pytrace=False)


def create_pg_database(server: str | None = None) -> str:
    """A throwaway database on the test server (`server`, or PATHWAYS_TEST_DATABASE_URL); its URL."""
    url = server or pg_url()
    name = f"pathways_test_{secrets.token_hex(6)}"
    with _pg_connect(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


def drop_pg_database(url: str, server: str | None = None) -> None:
    name = urlparse(url).path.lstrip("/")
    assert name.startswith("pathways_test_"), name
    with _pg_connect(server or pg_url()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def activate(config: dict) -> dict:
    """Point `default` at `config` (a settings.DATABASES entry); the previous entry."""
    from asgiref.local import Local
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    previous = settings.DATABASES["default"]
    settings.DATABASES["default"] = dict(config)
    connections._settings = None
    connections.__dict__.pop("settings", None)  # a cached_property: filled again on next use
    connections._connections = Local(connections.thread_critical)
    return previous


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def migrated(url: str) -> dict:
    """The settings.DATABASES entry of `url`, its database migrated (`default` left as it was)."""
    from pathways.web.settings import database

    config = database(url)
    previous = activate(config)
    try:
        migrate()
    finally:
        activate(previous)
    return config


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request):
    """The test runs with Django's `default` database on this backend (then back as it was):
    the session's `sqlite_database` or `postgresql_database` (tests/workspace/conftest.py)."""
    config = request.getfixturevalue(f"{request.param}_database")
    previous = activate(config)
    try:
        yield request.param
    finally:
        activate(previous)


# --- records ------------------------------------------------------------------------------


def seed(tag: str, *, with_document: bool = True, passwords: bool = False) -> dict:
    """An institution named after `tag` with one of everything; a dict of its records."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from pathways.web.workspace.cases import create_case
    from pathways.web.workspace.models import (Agreement, AgreementDocument, ContactLog, Document, Exchange,
                                               Institution, IssuedLetter, Letterhead, Member, Note, Partner,
                                               PartnerContact, Signatory)

    User = get_user_model()
    inst = Institution.objects.create(name=f"Institution {tag}", slug=f"inst-{tag}".lower()[:60])
    users = {}
    for role in ROLES:
        user = User(username=f"{role}-{tag}".lower(), email=f"{role}-{tag}@example.org".lower(),
                    is_staff=(role == "administrator"))
        if passwords:
            user.set_password(PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        Member.objects.create(user=user, institution=inst, role=role)
        users[role] = user
    partner = Partner.objects.create(institution=inst, name=f"Partner-{tag} University", country="UG",
                                     income_group="L", income_group_year=2026)
    agreement = Agreement.objects.create(institution=inst, partner=partner, kind="taa", direction="both",
                                         starts=date(2025, 1, 1), ends=date(2026, 5, 1), places_per_year=4,
                                         notes=f"Agreement-{tag}")
    inbound = Exchange.objects.create(institution=inst, partner=partner, direction="inbound", year=2025, heads=3,
                                      trainee_weeks=24, usd=30000, notes=f"Exchange-in-{tag}")
    outbound = Exchange.objects.create(institution=inst, partner=partner, direction="outbound", year=2025, heads=2,
                                       trainee_weeks=16, usd=12000, notes=f"Exchange-out-{tag}")
    case = create_case(inst, users["coordinator"], trainee_name=f"Trainee-{tag} Okello", trainee_email="t@example.org",
                       home_country="UG", stage="student", profile=STUDENT, pathway_id=PATHWAY, as_of=AS_OF,
                       starts=date(2026, 9, 1), ends=date(2026, 10, 1), home_institution=partner)
    items = list(case.checklist.all())
    assert len(items) >= 2, f"the case's checklist has {len(items)} steps"
    note = Note.objects.create(case=case, author=users["coordinator"], text=f"Note-{tag}")
    document = None
    if with_document:
        document = Document(case=case, title=f"Document-{tag}", uploaded_by=users["coordinator"])
        document.file.save(f"letter-{tag}.txt", ContentFile(f"Letter of {tag}".encode()), save=True)
    log = ContactLog.objects.create(case=case, week_of=date(2026, 9, 7), patient_contact_hours=4, teaching_hours=10,
                                    research_hours=20, observation_hours=6)
    # the letterhead and a signatory (the letters' pages), and a letter issued on the case (issue 13)
    Letterhead.objects.create(institution=inst, name=f"Letterhead-{tag} School of Medicine",
                              address="1 Example Road\nExample City, CA 90000")
    Signatory.objects.create(institution=inst, name=f"Signatory-{tag} Dean", title="Dean", signs_as="dean")
    issued = None
    if with_document:
        issued = IssuedLetter(case=case, kind="b1-elective-acceptance", name="Acceptance letter", template_version=1,
                              knowledge_version="seed", format="pdf", data={"trainee": {"name": case.trainee_name}},
                              issued_by=users["coordinator"])
        issued.file.save(f"issued-{tag}.pdf", ContentFile(b"%PDF-1.4 a letter"), save=True)
    contact = PartnerContact.objects.create(partner=partner, name=f"Contact-{tag} Mbabazi", title="Dean",
                                            email="dean@example.org")
    signed = AgreementDocument(agreement=agreement, title=f"Signed-{tag} agreement", uploaded_by=users["administrator"])
    signed.file.save(f"signed-{tag}.txt", ContentFile(f"Signed agreement of {tag}".encode()), save=True)
    return {"tag": tag, "institution": inst, "users": users, "member": users["viewer"].member,
            "partner": partner, "agreement": agreement,
            "exchanges": [inbound, outbound], "case": case, "item": items[0], "items": items, "note": note,
            "document": document, "log": log, "contact": contact, "agreement_document": signed, "issued_letter": issued,
            # strings that only this institution's pages may show
            "markers": [f"Trainee-{tag}", f"Partner-{tag}", f"Note-{tag}", f"Document-{tag}", f"Agreement-{tag}",
                        f"Contact-{tag}", f"Signed-{tag}", f"Letterhead-{tag}", f"Signatory-{tag}"]}


def snapshot() -> dict:
    """Every row of the workspace's tables and of the users, and the stored files."""
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import get_user_model

    models = list(apps.get_app_config("workspace").get_models()) + [get_user_model()]
    rows = {}
    for model in models:
        rows[model._meta.label] = sorted((tuple(sorted((k, repr(v)) for k, v in r.items()))
                                          for r in model._default_manager.order_by().values()), key=repr)
    media = Path(settings.MEDIA_ROOT)
    rows["files"] = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return rows


def diff(before: dict, after: dict) -> list[str]:
    out = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key, []), after.get(key, [])
        if b != a:
            added = [x for x in a if x not in b][:2]
            gone = [x for x in b if x not in a][:2]
            out.append(f"{key}: {len(b)} -> {len(a)} rows; added {added}; removed/changed {gone}")
    return out


# --- a server of its own ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pathways_command() -> list[str]:
    script = Path(sys.executable).parent / "pathways"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pathways.cli"]


def server_env(data: Path, database_url: str | None) -> dict:
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATHWAYS_INSECURE_COOKIES": "1"}
    for key in ("DJANGO_SETTINGS_MODULE", "PATHWAYS_DATABASE_URL"):
        env.pop(key, None)
    if database_url:
        env["PATHWAYS_DATABASE_URL"] = database_url
    return env


SEED_SCRIPT = r"""
import json, sys
sys.path.insert(0, {root!r})
from pathways.web.serve import setup_django, migrate
setup_django(); migrate()
from tests.workspace.support import seed
records = seed({tag!r}, with_document=False, passwords=True)
print(json.dumps({{"case": records["case"].pk, "items": [i.pk for i in records["items"]],
                  "steps": [i.step_id for i in records["items"]], "partner": records["partner"].pk,
                  "users": {{r: u.username for r, u in records["users"].items()}}}}))
"""


def seed_outside(data: Path, database_url: str | None, tag: str) -> dict:
    """Migrate and seed the database a server in `data` would use, from a process of its own."""
    import json

    root = str(Path(__file__).resolve().parents[2])
    env = server_env(data, database_url)
    done = subprocess.run([sys.executable, "-c", SEED_SCRIPT.format(root=root, tag=tag)], env=env,
                          capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, f"seeding failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """`pathways serve --port P` in a process group of its own."""

    def __init__(self, data: Path, database_url: str | None = None, port: int | None = None):
        self.data, self.database_url = data, database_url
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = None

    def start(self, timeout: float = 90) -> "Server":
        self.log = open(self.data / f"serve-{self.port}.log", "a+")
        self.process = subprocess.Popen([*pathways_command(), "serve", "--port", str(self.port)],
                                        env=server_env(self.data, self.database_url), stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/hello", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                text = self.log.read()[-3000:]
                self.stop()
                pytest.fail(f"`pathways serve --port {self.port}` did not start:\n{text}", pytrace=False)
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the whole process group: no handler runs, nothing is flushed."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log:
            self.log.close()
            self.log = None


def signed_in(user):
    """A test client signed in as `user`, answering errors as pages (never raising)."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client
