"""Colleagues (issue 14 point 4): an administrator invites by email (a one-time link to set a
password, which expires), sets roles and deactivates; nobody locks the institution out."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core import mail

from pathways.web.workspace.models import HistoryEntry, Member

from .conftest import signed_in

pytestmark = pytest.mark.usefixtures("rollback")
NEW_PASSWORD = "a fresh and lengthy passphrase 7"


@pytest.fixture
def admin(make_member):
    return make_member("admin-one", role="administrator")


def _invite(client, email="new.colleague@example.org", role="coordinator"):
    return client.post("/workspace/colleagues/", {"email": email, "role": role})


def _link(message) -> str:
    return re.search(r"http://testserver(/workspace/welcome/\S+/)", message.body).group(1)


def test_an_invitation_is_mailed_with_a_link_that_sets_the_password_once(admin):
    mail.outbox.clear()
    client = signed_in(admin)
    assert _invite(client).status_code == 302
    member = Member.objects.get(user__username="new.colleague@example.org")
    assert member.institution == admin.institution and member.role == "coordinator"
    assert not member.user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.colleague@example.org"]
    assert admin.institution.name in mail.outbox[0].subject
    link = _link(mail.outbox[0])

    from django.test import Client

    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert b"Choose a password" in form_page.content
    weak = visitor.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert b"too short" in weak.content
    done = visitor.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/workspace/welcome/done/"
    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert b"no longer works" in again.content  # once only
    signed = Client().post("/workspace/login/", {"username": "new.colleague@example.org", "password": NEW_PASSWORD})
    assert signed.status_code == 302 and signed["Location"] == "/workspace/"
    assert HistoryEntry.objects.filter(model="Member", object_id=member.pk, action="created").exists()


def test_an_invitation_link_expires(admin):
    from django.conf import settings

    mail.outbox.clear()
    _invite(signed_in(admin))
    link = _link(mail.outbox[0])
    from datetime import datetime, timedelta

    from django.test import Client

    from pathways.web.workspace.colleagues import InviteTokens

    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(InviteTokens, "_now", return_value=later):
        page = Client().get(link, follow=True)
    assert b"no longer works" in page.content


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_only_administrators_invite_or_change_colleagues(make_member, role, admin):
    other = make_member(f"someone-{role}", role=role)
    client = signed_in(other)
    assert _invite(client).status_code == 403
    assert client.post(f"/workspace/colleagues/{admin.pk}/", {"action": "deactivate"}).status_code == 403
    assert not Member.objects.filter(user__username="new.colleague@example.org").exists()
    assert b"administrators invite" in client.get("/workspace/colleagues/").content


def test_an_address_that_has_an_account_is_refused_with_the_field_named(admin, make_member):
    make_member("taken@example.org", role="viewer")
    page = _invite(signed_in(admin), email="Taken@example.org")
    assert page.status_code == 200 and b"already has an account" in page.content
    bad = _invite(signed_in(admin), email="not an address")
    assert bad.status_code == 200 and b"Enter a valid email address" in bad.content


def test_roles_change_and_colleagues_are_deactivated_with_history(admin, make_member):
    colleague = make_member("colleague-two", role="viewer")
    client = signed_in(admin)
    client.post(f"/workspace/colleagues/{colleague.pk}/", {"action": "role", "role": "coordinator"})
    colleague.refresh_from_db()
    assert colleague.role == "coordinator"
    client.post(f"/workspace/colleagues/{colleague.pk}/", {"action": "deactivate"})
    colleague.user.refresh_from_db()
    assert not colleague.user.is_active
    entries = HistoryEntry.objects.filter(model="Member", object_id=colleague.pk).order_by("id")
    assert [e.after["role"] for e in entries] == ["coordinator", "coordinator"]
    assert entries.last().before["active"] is True and entries.last().after["active"] is False
    bad = client.post(f"/workspace/colleagues/{colleague.pk}/", {"action": "role", "role": "king"}, follow=True)
    assert b"expected one of" in bad.content


def test_the_institution_keeps_an_administrator_and_nobody_demotes_themselves(admin, make_member):
    client = signed_in(admin)
    page = client.post(f"/workspace/colleagues/{admin.pk}/", {"action": "deactivate"}, follow=True)
    assert b"cannot change your own role" in page.content
    admin.user.refresh_from_db()
    assert admin.user.is_active
    second = make_member("admin-two", role="administrator")
    signed_in(second).post(f"/workspace/colleagues/{admin.pk}/", {"action": "role", "role": "viewer"})
    admin.refresh_from_db()
    assert admin.role == "viewer"  # another administrator remains


def test_another_institution_s_colleague_is_not_found(admin, make_member):
    stranger = make_member("stranger", institution="Another Hospital", role="viewer")
    assert signed_in(admin).post(f"/workspace/colleagues/{stranger.pk}/", {"action": "deactivate"}).status_code == 404
    page = signed_in(admin).get("/workspace/colleagues/").content
    assert b"stranger" not in page
