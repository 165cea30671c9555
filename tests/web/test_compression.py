"""Gzip (pathways.web.compress): the public pages and the static files go compressed to a
browser that accepts it; a private response never does (BREACH needs a secret in the body:
the private pages hold CSRF tokens, the public ones hold none, which is checked here too)."""

from __future__ import annotations

import gzip
import re

import pytest

from .test_phone_browser import KAMPALA, LAGOS

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
PUBLIC = ["/", "/interview/", "/interview/?desired_contact=supervised", "/result/?" + LAGOS, "/result/?" + KAMPALA,
          "/knowledge/", "/knowledge/sources/", "/knowledge/pathways/j1-research-scholar-2111/", "/knowledge/states/",
          "/simulate/", "/knowledge/figures/student.svg", "/interview/?lang=ar"]
STATIC = ["/static/finder/vendor/htmx.min.js", "/static/finder/site.css", "/static/finder/interview.js"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("path", PUBLIC + STATIC)
def test_a_public_page_or_file_goes_compressed_and_unpacks_to_the_same_bytes(client, path):
    from django.test import Client

    plain = Client().get(path)
    packed = client.get(path, **GZIP)
    assert plain.status_code == packed.status_code == 200, path
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip", path
    assert "Accept-Encoding" in packed["Vary"], path
    sent, whole = _body(packed), _body(plain)
    assert len(sent) < len(whole) / (2 if len(whole) > 4096 else 1), (path, len(sent), len(whole))  # small: padded
    assert gzip.decompress(sent) == whole, path


def test_the_public_pages_hold_no_csrf_token_and_set_no_csrf_cookie():
    from django.test import Client

    for path in PUBLIC:
        browser = Client()
        body = _body(browser.get(path, **GZIP))
        assert b"csrfmiddlewaretoken" not in gzip.decompress(body), path
        assert "csrftoken" not in browser.cookies, path


def test_a_private_page_is_never_compressed(client):
    login = client.get("/workspace/login/", **GZIP)
    assert login.status_code == 200 and "Content-Encoding" not in login
    assert re.search(rb'name="csrfmiddlewaretoken" value="\w+"', login.content)  # the secret BREACH would guess


def test_a_signed_in_member_gets_the_public_pages_uncompressed(client):
    from pathways.web.workspace.members import create_member

    member, _ = create_member("gzip-coordinator", "Compression Test Hospital", "coordinator",
                              "a long passphrase for the compression test")
    client.force_login(member.user)
    for path in ("/", "/result/?" + KAMPALA, "/knowledge/"):
        page = client.get(path, **GZIP)
        assert page.status_code == 200 and "Content-Encoding" not in page, path
    static = client.get(STATIC[0], **GZIP)  # the static files hold nothing of the member's
    assert static["Content-Encoding"] == "gzip"


def test_a_byte_range_is_sent_as_asked_not_compressed(client):
    part = client.get(STATIC[0], HTTP_RANGE="bytes=0-99", **GZIP)
    assert part.status_code == 206 and "Content-Encoding" not in part
    assert len(_body(part)) == 100
