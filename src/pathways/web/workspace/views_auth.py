"""Signing in and out. Every sign-in (this page's, the admin's) goes through django-axes
(settings.AUTHENTICATION_BACKENDS): five failures within 15 minutes lock the account from
every address, and the address for every account, for 15 minutes, in the database (shared
by every worker process, kept across restarts). A locked sign-in answers 429 with this page
and the reason (security/lockout.py); failures and lockouts go to the `pathways.security` log."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/workspace/"
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else "/workspace/"


def login_context(request: HttpRequest) -> dict:
    username = request.POST.get("username", "")[:150] if request.method == "POST" else ""
    return {"error": None, "username": username, "next": _next(request)}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    context = login_context(request)
    if request.method == "POST":
        user = authenticate(request, username=context["username"], password=request.POST.get("password", ""))
        if user is not None:
            login(request, user)
            return redirect(context["next"])
        if getattr(request, "axes_locked_out", False):
            from ..security.lockout import lockout_response

            return lockout_response(request)
        context["error"] = "The username or password is wrong."
    return render(request, "workspace/login.html", context)


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/workspace/login/")


def logout_page(request: HttpRequest) -> HttpResponse:
    """GET: a button to sign out (signing out is a POST, with CSRF)."""
    if request.method == "POST":
        return logout_view(request)
    return render(request, "workspace/logout.html", {})
