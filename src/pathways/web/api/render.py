"""The API's JSON, written with orjson (pathways.json_bytes).

`OrjsonRenderer` writes every endpoint's answer; dates and times still go through ninja's
encoder (Django's format: milliseconds, "Z" for UTC), as do the types orjson does not know
(lazy translations, decimals, pydantic models), so only the speed changes.

`evaluation` writes an evaluation for POST /evaluate from the engine's BatchWriter: each
pathway's text is written once per distinct verdict object (the engine shares one between
everyone its verdict is the same for) and spliced into the answer, and the answer goes out
as it is, not through ninja's response validation (a pydantic pass over 40-100 KB of dicts).
"""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from pathways import DETAILS, BatchWriter, Verdict, json_bytes

CONTENT_TYPE = "application/json; charset=utf-8"

# Per worker process and detail: pathway texts kept (a full one is about 10 KB and holds its
# verdict object); all dropped past the bound, so they take at most ~5 MB of a worker's memory
# whatever it is asked. The people asked about again and again fit: the same profile sent
# twice, and pathways whose verdict is the same for everyone of a category.
CACHED_PATHWAYS = 512
_WRITERS = {detail: BatchWriter(detail, max_cached=CACHED_PATHWAYS) for detail in DETAILS}
_ENCODER = NinjaJSONEncoder()


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data, *, response_status: int) -> bytes:
        return json_bytes(data, default=_ENCODER.default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def evaluation(verdict: Verdict, detail: str) -> HttpResponse:
    """The evaluation as the contract's JSON (section 3, or section 4's summary form)."""
    return json_answer(_WRITERS[detail].encode(verdict))


def json_answer(body: bytes) -> HttpResponse:
    """JSON the engine wrote, sent as it is."""
    return HttpResponse(body, content_type=CONTENT_TYPE)
