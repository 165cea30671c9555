"""`/language/<code>/`: the language switch. It sends the person back to the page they were on,
in that language (the page's address, read from the Referer this site sends to itself, with
`lang=<code>`), so that a page's switch links stay a few bytes each however long its answers
are; the address then carries the choice, and the cookie keeps it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from .languages import codes, remember, with_language


def switch(request, code: str):
    if code not in codes():
        raise Http404(f"no language {code!r}; accepted: {', '.join(codes())}")
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    parts = urlsplit(back)
    response = HttpResponseRedirect(with_language(parts.path or "/", parts.query, code))
    # English's address carries no `lang=`: without this, a remembered choice would answer it
    remember(response, code, settings.SESSION_COOKIE_SECURE)
    return response
