"""The public pages and how much a phone downloads for each, shared by
test_public_pages_browser.py and benchmarks/page_weights.py.

Public: everything outside /workspace/, /admin/, /api/ and /account/ (pathways.web.urls and
finder/urls.py), one address per route: the home page, the interview (its first question and
the nationalities question, whose list of countries makes it the heaviest step), a result for
the Lagos surgeon and for the Kampala student (the home page's demo results), the knowledge
index, each kind's list and one item of each kind (the longest pathway page for pathways),
the states side by side, the simulator and a simulation. The figures (SVG) are weighed as the
images of the pages that show them.

A page's weight is what the browser receives for it: the bodies of every response it asks
(HTML, CSS, JavaScript, images, fonts), as transferred, so compressed when the server
compresses, headers left out; the browser's cache is turned off, so each page pays for its
CSS and scripts as a first visit does, and its lazy images are loaded as scrolling through it
would."""

from __future__ import annotations

from dataclasses import dataclass, field

from .test_phone_browser import AS_OF, KAMPALA, LAGOS

LANGUAGES = ("en", "fr", "es", "pt", "ar")
BUDGET = 100 * 1024  # bytes, a page with its CSS, JavaScript and images
PHONE = {"width": 360, "height": 740}
ICON = "/static/finder/favicon.svg"  # every page names it


def public_pages(engine) -> dict[str, str]:
    """{what the page is: its path}, one per public route."""
    pages = {
        "home": "/",
        "interview, first question": f"/interview/?as_of={AS_OF}",
        "interview, nationalities": f"/interview/?desired_contact=supervised&as_of={AS_OF}",
        "result, Lagos surgeon": "/result/?" + LAGOS,
        "result, Kampala student": "/result/?" + KAMPALA,
        "knowledge index": "/knowledge/",
    }
    for kind in engine.knowledge_kinds():
        pages[f"{kind}"] = f"/knowledge/{kind}/"
        if kind == "pathways":
            pages["a pathway (the longest)"] = "/knowledge/pathways/j1-research-scholar-2111/"
        else:
            first = engine.knowledge(kind)[0]
            pages[f"{kind}: an item"] = f"/knowledge/{kind}/{first.get('id') or first.get('code')}/"
    pages["states side by side"] = "/knowledge/states/"
    pages["simulator"] = "/simulate/"
    pages["a simulation"] = "/simulate/?reform=bpc-2112-visa-pairing&run=1"
    return pages


def in_language(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@dataclass
class Weight:
    transferred: int  # the bodies as sent (compressed where the server compresses)
    plain: int  # the same bodies decoded
    parts: list[tuple[str, int]] = field(default_factory=list)  # (url, bytes transferred)


class Scales:
    """Watches a page's responses, with the browser's cache off (Chrome DevTools Protocol)."""

    def __init__(self, context, page):
        self.responses: list = []
        page.on("response", lambda response: self.responses.append(response))
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def open(self, page, url: str):
        """Load `url` afresh, its lazy images too; its response."""
        self.responses = []
        with page.expect_response(lambda answer: answer.url.endswith(ICON)):  # asked once the page has loaded
            response = page.goto(url, wait_until="load")
            # the lazy images, as a reader scrolling through the page would load them
            page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager' })")
            page.wait_for_function("() => [...document.images].every(image => image.complete)")
        return response

    def weight(self) -> Weight:
        transferred = plain = 0
        parts = []
        for response in self.responses:
            if not response.url.startswith("http") or 300 <= response.status < 400:
                continue  # a redirect's body is not kept by the browser
            size = max(response.request.sizes()["responseBodySize"], 0)
            transferred += size
            plain += len(response.body())
            parts.append((response.url, size))
        return Weight(transferred, plain, parts)
