"""Signing in (throttled per username and address) and out."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import throttle


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/workspace/"
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else "/workspace/"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error, status, username = None, 200, ""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        password = request.POST.get("password", "")
        ip = throttle.client_ip(request)
        if throttle.locked(username, ip):
            error, status = "Too many failed attempts: this account is locked from this address for 15 minutes.", 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is not None:
                throttle.succeeded(username, ip)
                login(request, user)
                return redirect(_next(request))
            if throttle.failed(username, ip):
                error, status = "Too many failed attempts: this account is locked from this address for 15 minutes.", 429
            else:
                error, status = "The username or password is wrong.", 200
    return render(request, "workspace/login.html", {"error": error, "username": username, "next": _next(request)},
                  status=status)


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
