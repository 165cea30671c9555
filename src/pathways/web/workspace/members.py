"""Institutions and their members, made from the command line (`pathways createuser`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from .models import Institution, Member, Role


def institution_named(name: str) -> Institution:
    institution = Institution.objects.filter(name=name).first()
    if institution is None:
        base = slugify(name)[:50] or "institution"
        slug, n = base, 2
        while Institution.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        institution = Institution.objects.create(name=name, slug=slug)
    return institution


@transaction.atomic
def create_member(username: str, institution_name: str, role: str, password: str | None,
                  email: str = "", check_password: bool = True) -> tuple[Member, bool]:
    """Make (or update) a user with a role in an institution; (member, created).

    The password is checked against Django's validators (ValidationError when weak);
    administrators get `is_staff` for Django's admin. A user already in another
    institution is refused (ValueError)."""
    if role not in Role.values:
        raise ValueError(f"role {role!r}: accepted: {', '.join(Role.values)}")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if check_password and password is not None:
        validate_password(password, user=user or User(username=username, email=email))
    institution = institution_named(institution_name)
    created = user is None
    if created:
        user = User(username=username, email=email)
    elif hasattr(user, "member") and user.member.institution_id != institution.pk:
        raise ValueError(f"{username!r} is a member of {user.member.institution.name!r}, not {institution_name!r}")
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = role == Role.ADMINISTRATOR
    user.save()
    member, _ = Member.objects.update_or_create(user=user, defaults={"institution": institution, "role": role})
    return member, created
