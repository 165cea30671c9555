"""Middleware: session limits, 403s in the security log, a read-only database answered 503."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .signals import SIGNED_IN_AT, address

log = logging.getLogger("pathways.security")
SEEN_AT = "pathways_seen_at"
TOUCH_EVERY = 60  # seconds: how often a signed-in user's session is renewed
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SessionTimeoutMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE without a request (30 minutes: the
    session, in the database and in the cookie, is renewed at most once a minute rather than
    written on every request) and PATHWAYS_SESSION_MAX_AGE after signing in (12 hours),
    however busy. Renewing is the only write a reading user causes: when the database is
    read-only it is skipped, so that pages can still be read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if _signed_in(request):
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.PATHWAYS_SESSION_MAX_AGE:
                username = request.user.get_username()
                logout(request)
                log.info("session ended (signed in %d hours ago): username=%r address=%s",
                         (now - started) // 3600, username, address(request))
        response = self.get_response(request)
        if _signed_in(request) and now - request.session.get(SEEN_AT, 0) >= TOUCH_EVERY:
            session = request.session
            changed_by_view = session.modified
            session[SEEN_AT] = now
            if not changed_by_view:
                try:
                    session.save()  # SessionMiddleware saves again and renews the cookie
                except DatabaseError:
                    session.modified = False  # read-only: leave the session as it was
        return response


class SecurityEventMiddleware:
    """Every 403 (a viewer's write, a page outside the member's role, a failed CSRF check)
    in the security log, with the user, the address, the method and the path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            user = request.user.get_username() if _signed_in(request) else "-"
            what = "write refused" if request.method not in SAFE_METHODS else "refused"
            log.warning("%s (403): username=%r address=%s %s %s", what, user, address(request), request.method,
                        request.path)
        return response


def read_only(error: BaseException | None) -> bool:
    """A write refused because the database is read-only (SQLite: the file or its folder
    cannot be written; PostgreSQL: a read-only transaction or standby)."""
    if not isinstance(error, (OperationalError, InternalError)):
        return False
    text = str(error).lower()
    return any(words in text for words in ("readonly database", "read-only", "read only"))


def unavailable(request: HttpRequest) -> HttpResponse:
    text = ("The workspace's database is read-only at the moment: pages can be read, but nothing can be saved. "
            "Try again later; an administrator has been told in the server's log.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": text}, status=503)
    else:
        response = render(request, "workspace/unavailable.html", {"message": text}, status=503)
    response["Retry-After"] = "300"
    return response


class ReadOnlyDatabaseMiddleware:
    """A view's write to a read-only database: a 503 page that says so, not a bare 500 (the
    500 handler, views.server_error, does the same for writes made by other middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not read_only(exception):
            return None
        logging.getLogger("pathways").error("the database is read-only: %s %s refused (%s)", request.method,
                                            request.path, exception)
        return unavailable(request)
