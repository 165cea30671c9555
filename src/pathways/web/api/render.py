"""The API's JSON, written with orjson (pathways.json_bytes).

`OrjsonRenderer` writes every endpoint's answer; dates and times still go through ninja's
encoder (Django's format: milliseconds, "Z" for UTC), as do the types orjson does not know
(lazy translations, decimals, pydantic models), so only the speed changes.

`json_answer` sends what the engine wrote for POST /evaluate (Engine.find_full, find_summary)
as it is, not through ninja's response validation (a pydantic pass over 40-100 KB of dicts).
"""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from pathways import json_bytes

CONTENT_TYPE = "application/json; charset=utf-8"

_ENCODER = NinjaJSONEncoder()


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data, *, response_status: int) -> bytes:
        return json_bytes(data, default=_ENCODER.default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def json_answer(body: bytes) -> HttpResponse:
    """JSON the engine wrote, sent as it is."""
    return HttpResponse(body, content_type=CONTENT_TYPE)
