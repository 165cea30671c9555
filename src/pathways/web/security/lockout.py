"""What django-axes calls (settings.AXES_USERNAME_CALLABLE, AXES_LOCKOUT_CALLABLE): the
username it counts failures against, and the answer to a locked-out sign-in: 429 with the
workspace's sign-in page and the reason (JSON under /api/), wherever the sign-in was tried."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The username as typed, folded (stripped, lower case, at most 150 characters), so that
    'Coord ' and 'coord' count against one account."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "data", request.POST).get("username")
    if value is None:
        return None
    return str(value).strip().lower()[:150]


def cool_off_seconds(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def message(request: HttpRequest | None = None) -> str:
    minutes = max(1, cool_off_seconds(request) // 60)
    return (f"Too many failed sign-ins: this account, or sign-in from this address, is locked for {minutes} "
            "minutes. Try again later, or ask an administrator to unlock it.")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    if original_response is not None and original_response.status_code == 429:
        return original_response  # the workspace's sign-in page has answered already
    text = message(request)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": text}, status=429)
    elif request.path.startswith("/admin/"):
        response = render(request, "workspace/locked.html", {"error": text}, status=429)
    else:
        from ..workspace.views_auth import login_context

        response = render(request, "workspace/login.html", {**login_context(request), "error": text, "locked": True},
                          status=429)
    response["Retry-After"] = str(cool_off_seconds(request))
    return response
