"""Gzip for the public pages and the static files, never for a private response.

A trainee on a phone pays for every byte: compressed, a page with its CSS and htmx weighs
about a third of its plain size (benchmarks/page_weights.py measures it).

BREACH (guessing a secret in a compressed body from its length, the attacker's own text
reflected beside it) needs a secret in the body. The public pages reflect the answers in the
address but hold none: their forms are GETs without a CSRF token, and nothing of a session
is shown. The pages that do hold secrets (CSRF tokens, a member's cases) are the private
ones (`headers.private`: /workspace/, /admin/, /account/, and any page a signed-in user
gets): they stay uncompressed. Django's middleware also pads each gzip header with random
bytes ("Heal the Breach"), which blurs the lengths further.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

from .headers import private


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for anonymous requests outside the private prefixes, whole (200)
    responses only: a 206 is a byte range of the plain file, which gzip would garble."""

    def process_response(self, request, response):
        if response.status_code != 200 or private(request):
            return response
        return super().process_response(request, response)
