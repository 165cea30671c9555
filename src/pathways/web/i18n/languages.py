"""Which language a request is answered in, and the words the pages need about it."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

PARAM = "lang"  # the address's own say: ?lang=fr
RIGHT_TO_LEFT = {"ar"}
# English only: the institutions' workspace, the admin, the JSON API (its contract is English)
ENGLISH_ONLY = ("/workspace/", "/admin/", "/api/", "/account/")


def codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


# read from the raw query string: parsing it whole (request.GET) would meet a hostile one before
# the page's own bounded reader does (finder/answers.py), and answer a bare 400
_PARAM = re.compile(rf"(?:^|&){PARAM}=([a-z]{{2}})(?=&|$)")
_PAIR = re.compile(rf"(?:^|&){PARAM}=[^&]*")


def asked(request) -> str | None:
    """The language the address asks for, if it is one of ours."""
    found = _PARAM.findall(request.META.get("QUERY_STRING", ""))
    return found[-1] if found and found[-1] in codes() else None


def chosen(request) -> str:
    """The address's language, else the cookie's, else the browser's best match, else English."""
    for found in (asked(request), request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        if found in codes():
            return found
    return translation.get_language_from_request(request, check_path=False) or settings.LANGUAGE_CODE


def with_language(path: str, query: str, code: str, explicit: bool = False) -> str:
    """An address in another language, its other parameters kept as written; English's without
    `lang=` unless `explicit` (a link that must win over a remembered choice)."""
    query = _PAIR.sub("", query).lstrip("&")
    if code != settings.LANGUAGE_CODE or explicit:
        query = f"{query}&{PARAM}={code}" if query else f"{PARAM}={code}"
    return path + (f"?{query}" if query else "")


def switch_url(request, code: str, explicit: bool = False) -> str:
    """The current page's address in another language."""
    return with_language(request.path, request.META.get("QUERY_STRING", ""), code, explicit)


def remember(response, code: str, secure: bool) -> None:
    """Keep an explicit choice of language for the next pages (a cookie, a year)."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 86400, samesite="Lax",
                        secure=secure, httponly=True)


class LanguageMiddleware:
    """Activate the request's language; remember an explicit choice in a cookie; say which
    language answered (Content-Language) and that the answer depends on it (Vary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = settings.LANGUAGE_CODE if request.path.startswith(ENGLISH_ONLY) else chosen(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        wanted = asked(request)
        remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if wanted and wanted != remembered and not request.path.startswith(ENGLISH_ONLY):
            remember(response, wanted, settings.SESSION_COOKIE_SECURE)
        translation.deactivate()
        return response


def context(request) -> dict:
    """For every page: the language, its direction, the switch to the others, and whether the
    page is a translation (it then says English is authoritative and links to it)."""
    code = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    names = dict(settings.LANGUAGES)
    return {
        "lang": code, "lang_dir": "rtl" if code in RIGHT_TO_LEFT else "ltr",
        "lang_is_translation": code != settings.LANGUAGE_CODE,
        # with `lang=en`: a remembered French choice must not answer the English link in French
        "lang_english_url": switch_url(request, settings.LANGUAGE_CODE, explicit=True),
        # short links (the switch view sends the person back to this page in that language)
        "lang_switch": [{"code": c, "name": names[c], "url": f"/language/{c}/", "current": c == code}
                        for c in codes()],
    }
