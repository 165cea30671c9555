"""The one place that says who is asking and what they may touch.

Every workspace view and API operation resolves the signed-in member here, reads through
`scoped` (the member's institution only: anything else is a 404) and asks `require_write`
before changing anything (a viewer's write is a 403).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Case, Member

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def member_of(user) -> Member | None:
    """The user's membership, or None (anonymous, or a user of no institution)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return Member.objects.select_related("institution").get(user=user)
    except Member.DoesNotExist:
        return None


def require_write(member: Member) -> None:
    if not member.can_write:
        raise PermissionDenied("viewers read; coordinators and administrators write")


def scoped(member: Member, model):
    """The model's records of the member's institution (through the case for a case's parts)."""
    manager = model._default_manager
    if any(f.name == "institution" for f in model._meta.get_fields()):
        return manager.filter(institution=member.institution)
    return manager.filter(case__institution=member.institution)


def get_scoped(member: Member, model, pk, **extra):
    return get_object_or_404(scoped(member, model), pk=pk, **extra)


def get_case(member: Member, pk) -> Case:
    return get_scoped(member, Case, pk)


def workspace_view(view=None, *, write: bool = False, personal: bool = False):
    """A page of the workspace: a signed-in member (else the login page; a user of no
    institution gets a 404), and writes (any method but GET/HEAD) refused to viewers.
    `write=True` marks a page that exists only to write (a form): 403 to viewers on GET too.
    `personal=True` marks a page that writes only the member's own settings: viewers too."""
    if view is None:
        return lambda v: workspace_view(v, write=write, personal=personal)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = member_of(request.user)
        if member is None:
            raise Http404("you are not a member of an institution")
        if write or (request.method not in SAFE_METHODS and not personal):
            require_write(member)
        request.member = member
        return view(request, *args, **kwargs)

    return wrapped
