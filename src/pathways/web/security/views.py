"""A signed-in user's own password change (Django's views, the workspace's templates), and
the 500 handler."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from .middleware import read_only, unavailable
from .signals import address

log = logging.getLogger("pathways.security")


class _WorkspacePage:
    """The workspace's navigation on the page (its base template shows it for a member)."""

    def dispatch(self, request, *args, **kwargs):
        from ..workspace.access import member_of

        request.member = member_of(request.user)
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeView(_WorkspacePage, auth_views.PasswordChangeView):
    """The old password, then the new one twice, checked by AUTH_PASSWORD_VALIDATORS (12
    characters at least); the session stays signed in (Django updates its hash), others end."""

    template_name = "workspace/password_change.html"
    success_url = "/account/password/done/"

    def form_valid(self, form):
        response = super().form_valid(form)
        log.info("password changed: username=%r address=%s", self.request.user.get_username(), address(self.request))
        return response

    def form_invalid(self, form):
        if "old_password" in form.errors:
            log.warning("password change refused, wrong old password: username=%r address=%s",
                        self.request.user.get_username(), address(self.request))
        return super().form_invalid(form)


class PasswordChangeDoneView(_WorkspacePage, auth_views.PasswordChangeDoneView):
    template_name = "workspace/password_change_done.html"


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a read-only database (also when the write was a middleware's, such as
    saving the session) is a 503 that says so; anything else is Django's plain 500."""
    if read_only(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request, template_name)
