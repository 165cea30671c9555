"""Colleagues: an administrator invites by email, sets roles, deactivates.

An invitation makes the user with no usable password and mails a one-time link to set one,
built as Django's password-reset links are (PasswordResetTokenGenerator, with a salt of its
own): the token is bound to the password and the last sign-in, so it stops working once the
password is set, and it expires after settings.PASSWORD_RESET_TIMEOUT. Email goes through
Django's email backend (the console unless SMTP is configured: settings.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import HistoryEntry, Member, Role


class InviteTokens(PasswordResetTokenGenerator):
    key_salt = "pathways.web.workspace.colleagues.InviteTokens"


invite_tokens = InviteTokens()


def invite_link(request, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return request.build_absolute_uri(f"/workspace/welcome/{uid}/{invite_tokens.make_token(user)}/")


def _days(seconds: int) -> int:
    return max(1, round(seconds / 86400))


def send_invitation(request, user, inviter) -> None:
    context = {"user": user, "inviter": inviter, "institution": user.member.institution,
               "link": invite_link(request, user), "days": _days(settings.PASSWORD_RESET_TIMEOUT)}
    send_mail(f"You are invited to the {user.member.institution.name} workspace of Exchange Pathways",
              render_to_string("workspace/colleagues/invite_email.txt", context),
              None, [user.email])


@transaction.atomic
def invite(request, email: str, role: str) -> Member:
    """A new member of the inviter's institution, with no password yet; ValidationError when
    the address already has an account (here or elsewhere: accounts belong to one institution)."""
    User = get_user_model()
    email = email.strip().lower()
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "This address already has an account. Change its role below, or "
                                        "ask its own institution's administrator."})
    user = User(username=email, email=email, is_staff=role == Role.ADMINISTRATOR)
    user.set_unusable_password()
    user.save()
    member = Member.objects.create(user=user, institution=request.member.institution, role=role)
    HistoryEntry.objects.create(institution=member.institution, model="Member", object_id=member.pk,
                                user=request.user, action="created", before=None, after=_state(member))
    send_invitation(request, user, request.user)
    return member


def _administrators_left(member: Member, excluding: Member) -> int:
    return (Member.objects.filter(institution=member.institution, role=Role.ADMINISTRATOR, user__is_active=True)
            .exclude(pk=excluding.pk).count())


@transaction.atomic
def change(request, member: Member, role: str | None = None, active: bool | None = None) -> None:
    """Set a colleague's role or whether they may sign in. No one demotes or deactivates
    themselves, and the institution always keeps one active administrator."""
    me = request.member
    losing_admin = member.role == Role.ADMINISTRATOR and (
        (role is not None and role != Role.ADMINISTRATOR) or active is False)
    if member.pk == me.pk and (losing_admin or active is False or (role is not None and role != member.role)):
        raise ValidationError("You cannot change your own role or deactivate yourself; ask another administrator.")
    if losing_admin and _administrators_left(member, member) == 0:
        raise ValidationError("The institution must keep one active administrator.")
    before = _state(member)
    if role is not None:
        member.role = role
        member.user.is_staff = role == Role.ADMINISTRATOR
        member.save(update_fields=["role"])
    if active is not None:
        member.user.is_active = active
    member.user.save(update_fields=["is_active", "is_staff"])
    if before != _state(member):
        HistoryEntry.objects.create(institution=member.institution, model="Member", object_id=member.pk,
                                    user=request.user, action="changed", before=before, after=_state(member))


def _state(member: Member) -> dict:
    """What the history keeps of a colleague: who, their role, whether they may sign in."""
    return {"user": member.user.username, "role": member.role, "active": member.user.is_active}
