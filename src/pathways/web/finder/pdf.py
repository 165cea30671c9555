"""The result page as a PDF: the same HTML, the print stylesheet, WeasyPrint.

Stylesheets are read from the apps' static folders; WeasyPrint fetches nothing else, so
no request leaves the machine."""

from __future__ import annotations

from django.contrib.staticfiles import finders

STYLESHEETS = ("finder/vendor/simple.min.css", "finder/site.css")


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=finders.find(name), url_fetcher=_no_fetch) for name in STYLESHEETS]
    return HTML(string=html, base_url="/", url_fetcher=_no_fetch).write_pdf(stylesheets=sheets)
