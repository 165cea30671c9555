"""Security headers on every response: a Content-Security-Policy that allows only this
site ('self'), no MIME sniffing, the referrer kept to this site, no framing, no powerful
browser features (Permissions-Policy). A private response (anything under /workspace/, /account/,
/admin/ or the workspace's API, and any page a signed-in user gets: exports and documents
too) is never stored by a browser or a proxy: Cache-Control: no-store."""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers

CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY),
}
PRIVATE_PREFIXES = ("/workspace/", "/admin/", "/account/", "/api/v1/workspace/")


def private(request) -> bool:
    if request.path.startswith(PRIVATE_PREFIXES):
        return True
    user = getattr(request, "user", None)  # set by AuthenticationMiddleware (not for static files)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in HEADERS.items():
            if name not in response:
                response[name] = value
        if private(request):
            if "Expires" in response:
                del response["Expires"]
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
        return response
