"""The `pathways.security` log: sign-ins (succeeded, failed, locked out, refused while
locked), sign-outs, with the username as typed and the client's address (as django-axes
resolves it: REMOTE_ADDR, or X-Forwarded-For behind the proxy). Never a password: Django
sends the failed credentials with the password already masked, and only the username is
read from them."""

from __future__ import annotations

import logging
import time

from axes.conf import settings as axes_settings
from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .lockout import username as folded

log = logging.getLogger("pathways.security")
SIGNED_IN_AT = "pathways_signed_in_at"  # the session's start: middleware.SessionTimeoutMiddleware


def address(request) -> str:
    if request is None:
        return "-"
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or "-"


def _path(request) -> str:
    return getattr(request, "path", "-") if request is not None else "-"


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # django-axes's receiver runs first (its app comes first): it has counted this failure,
    # or, when the sign-in was refused because of a lockout, counted nothing.
    if request is not None and getattr(request, "axes_locked_out", False) \
            and getattr(request, "axes_failures_since_start", None) is None:
        return  # refused while locked: user_locked_out says it
    failures = getattr(request, "axes_failures_since_start", None)
    count = f" ({failures} of {axes_settings.AXES_FAILURE_LIMIT})" if failures else ""
    log.warning("sign-in failed: username=%r address=%s path=%s%s",
                folded(None, credentials), address(request), _path(request), count)


@receiver(user_locked_out)
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        log.warning("sign-in refused, locked out: username=%r address=%s path=%s",
                    username, ip_address or address(request), _path(request))
    else:
        log.warning("locked out after %s failed sign-ins: username=%r address=%s path=%s (for %s)",
                    axes_settings.AXES_FAILURE_LIMIT, username, ip_address or address(request), _path(request),
                    axes_settings.AXES_COOLOFF_TIME)


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = int(time.time())
    log.info("signed in: username=%r address=%s path=%s", user.get_username(), address(request), _path(request))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        log.info("signed out: username=%r address=%s", user.get_username(), address(request))
