"""HEAD answered with GET's headers and no body (RFC 9110, section 9.3.2).

Django runs a view for HEAD as for GET and keeps the body it made, and waitress sends what
the application gives it: a HEAD came back with the whole page. Only Django's test client
drops the body (test/client.py's conditional_content_removal), so tests made in-process
never saw it, and ConditionalGetMiddleware only answers 304s. This middleware, first in
MIDDLEWARE so that it sees every response (errors and static files too), drops it.
"""

from __future__ import annotations


class HeadWithoutBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            _drop_body(response)
        return response


def _drop_body(response) -> None:
    """No body; the Content-Length of the body GET would send, as RFC 9110 lets a HEAD say."""
    if response.streaming:
        response.streaming_content = []  # a file stays open until the server closes the response
    else:
        response.setdefault("Content-Length", str(len(response.content)))
        response.content = b""
