"""Sign-in lockout (django-axes: tests/workspace/test_hardening.py has the rest), password
hashing, security headers, and the commands that make users and load the demo."""

from __future__ import annotations

import pytest

from django.test import Client
from typer.testing import CliRunner

from pathways.cli import app
from pathways.web.workspace.demo import DEMO_INSTITUTION, load_demo
from pathways.web.workspace.models import Agreement, Case, Exchange, Institution, Member, Partner

from .conftest import PASSWORD


pytestmark = pytest.mark.usefixtures("rollback")

def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/workspace/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.security
def test_sign_in_works_and_five_failures_lock_the_username_from_every_address(coordinator):
    from axes.models import AccessAttempt

    client = Client()
    assert _login(client, "coord", PASSWORD).status_code == 302
    client = Client()
    for attempt in range(4):
        assert _login(client, "coord", "wrong").status_code == 200
    assert _login(client, "coord", "wrong").status_code == 429  # the fifth locks
    locked = _login(client, "coord", PASSWORD)
    assert locked.status_code == 429 and "locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(Client(), "coord", PASSWORD, ip="10.0.0.2").status_code == 429  # the account, from anywhere
    assert AccessAttempt.objects.filter(username="coord").count() == 1  # in the database, not a cache


@pytest.mark.security
def test_the_lock_lasts_fifteen_minutes_from_the_last_failure(coordinator):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for attempt in range(5):
        _login(Client(), "coord", "wrong", ip="10.0.0.3")
    assert _login(Client(), "coord", PASSWORD, ip="10.0.0.3").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert _login(Client(), "coord", PASSWORD, ip="10.0.0.3").status_code == 429  # 14 minutes on: still locked
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert _login(Client(), "coord", PASSWORD, ip="10.0.0.3").status_code == 302  # the failures dropped out


def test_passwords_are_hashed_with_argon2(coordinator):
    assert coordinator.user.password.startswith("argon2$argon2id$")


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/workspace/", "/workspace/login/", "/static/finder/site.css", "/api/v1/hello", "/nowhere/"):
        response = client.get(url)
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert "unsafe" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


def test_forms_need_csrf_and_an_anonymous_visitor_is_sent_to_sign_in(coordinator):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/workspace/login/", {"username": "coord", "password": PASSWORD}).status_code == 403
    response = Client().get("/workspace/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/workspace/login/?next=")


def test_createuser_makes_a_member_refuses_a_weak_password_and_is_idempotent():
    runner = CliRunner()
    args = ["createuser", "ada", "--institution", "Ada Hospital", "--role", "administrator"]
    weak = runner.invoke(app, [*args, "--password", "password"])
    assert weak.exit_code == 2 and "too common" in weak.output
    assert not Member.objects.filter(user__username="ada").exists()
    ok = runner.invoke(app, [*args, "--password", PASSWORD])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, [*args, "--password", PASSWORD])
    assert again.exit_code == 0 and "updated ada" in again.output
    member = Member.objects.get(user__username="ada")
    assert member.role == "administrator" and member.user.is_staff and member.institution.name == "Ada Hospital"
    assert Institution.objects.filter(name="Ada Hospital").count() == 1
    prompted = runner.invoke(app, ["createuser", "bob", "--institution", "Ada Hospital", "--role", "viewer"],
                             input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    assert Member.objects.get(user__username="bob").user.check_password(PASSWORD)
    assert runner.invoke(app, ["createuser", "c", "--institution", "X", "--role", "boss", "--password", PASSWORD]).exit_code == 2


def test_the_demo_loads_once_with_every_role_and_a_case_with_a_contact_log():
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--password", PASSWORD])
    assert first.exit_code == 0, first.output
    assert "demo-admin" in first.output
    institution = Institution.objects.get(name=DEMO_INSTITUTION)

    def counts():
        return (Case.objects.filter(institution=institution).count(), Partner.objects.filter(institution=institution).count(),
                Agreement.objects.filter(institution=institution).count(),
                Exchange.objects.filter(institution=institution).count(), Member.objects.filter(institution=institution).count())

    before = counts()
    assert 5 <= before[0] <= 8 and before[4] == 3
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert counts() == before
    roles = dict(Member.objects.filter(institution=institution).values_list("user__username", "role"))
    assert roles == {"demo-admin": "administrator", "demo-coordinator": "coordinator", "demo-viewer": "viewer"}
    assert Case.objects.filter(institution=institution, contact_logs__isnull=False).distinct().count() == 1
    assert {e.direction for e in Exchange.objects.filter(institution=institution)} == {"inbound", "outbound"}
    assert len({e.year for e in Exchange.objects.filter(institution=institution)}) == 2
    makerere = Partner.objects.get(institution=institution, name="Makerere University")
    assert (makerere.country, makerere.income_group, makerere.income_group_year) == ("UG", "L", 2025)
    from datetime import date

    from pathways.web.workspace.reports import expiring

    assert expiring(institution, date.today())
    client = Client()
    assert _login(client, "demo-viewer", PASSWORD).status_code == 302
    assert client.get("/workspace/").status_code == 200
    assert load_demo().created is False


def test_the_admin_is_for_administrators_and_shows_their_institution_only(make_member):
    admin = make_member("boss", role="administrator")
    make_member("outsider-admin", institution="Another Hospital", role="administrator")
    Partner.objects.create(institution=admin.institution, name="Ours", country="UG")
    other = Institution.objects.get(name="Another Hospital")
    Partner.objects.create(institution=other, name="Theirs", country="NG")
    client = Client()
    client.force_login(admin.user)
    page = client.get("/admin/workspace/partner/")
    assert page.status_code == 200
    assert "Ours" in page.content.decode() and "Theirs" not in page.content.decode()
    coordinator = Client()
    coordinator.force_login(make_member("helper").user)
    assert coordinator.get("/admin/workspace/partner/").status_code == 302  # not staff: the admin's sign-in


def test_workspace_reevaluate_reports_what_moved(coordinator):
    from pathways.web.workspace.cases import create_case

    from .conftest import CANADIAN

    case = create_case(coordinator.institution, coordinator.user, trainee_name="Claire", trainee_email="",
                       home_country="CA", stage="graduate", profile=CANADIAN, pathway_id="tn-2113",
                       as_of=__import__("datetime").date(2026, 3, 1))
    Case.objects.filter(pk=case.pk).update(knowledge_key="old", verdict={**case.verdict, "status": "needs-info"})
    result = CliRunner().invoke(app, ["workspace", "reevaluate"])
    assert result.exit_code == 0, result.output
    assert "status: needs-info -> open" in result.output and "1 case moved" in result.output
