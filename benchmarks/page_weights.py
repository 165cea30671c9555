"""What a phone downloads for each public page, in each language: a table of KB.

Starts `pathways serve --port P` on a free port of 127.0.0.1 with a data directory of its
own, opens every public page (tests/web/public_pages.py: one address per route) in each of
en, fr, es, pt and ar in Debian's chromium at 360 px with the browser's cache off, and adds
up the bodies of every response the page asks (HTML, CSS, JavaScript, images, fonts; lazy
images loaded): as transferred (gzip where the server compresses) and decoded ("plain", what
the page would weigh without compression). The budget is 100 KB a page, as transferred;
the pages over it are named and the exit code is 1.

Run: .venv/bin/python benchmarks/page_weights.py [--lang en,ar]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def weigh(base: str, languages: list[str]) -> dict[str, dict[str, object]]:
    """{page: {language: Weight}}."""
    from playwright.sync_api import sync_playwright

    from pathways import Engine
    from tests.web.public_pages import PHONE, Scales, in_language, public_pages
    from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

    pages = public_pages(Engine.load())
    table: dict[str, dict[str, object]] = {where: {} for where in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for lang in languages:
            context = browser.new_context(viewport=PHONE)
            page = context.new_page()
            scales = Scales(context, page)
            for where, path in pages.items():
                response = scales.open(page, base + in_language(path, lang))
                if response is None or response.status != 200:
                    raise SystemExit(f"{where} ({lang}): {response and response.status} for {path}")
                table[where][lang] = scales.weight()
            context.close()
        browser.close()
    return table


def show(table: dict, languages: list[str], field: str, title: str) -> None:
    print(f"\n{title}")
    print(f"{'page':28}" + "".join(f"{lang:>8}" for lang in languages))
    for where, row in table.items():
        print(f"{where:28}" + "".join(f"{getattr(row[lang], field) / 1024:8.1f}" for lang in languages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en,fr,es,pt,ar", help="languages, comma-separated")
    args = parser.parse_args()
    languages = [code.strip() for code in args.lang.split(",") if code.strip()]

    from tests.web.public_pages import BUDGET
    from tests.web.test_browser import serving

    with tempfile.TemporaryDirectory(prefix="page-weights-") as tmp:
        env = {**os.environ, "XDG_DATA_HOME": tmp}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        with serving(Path(tmp), env) as base:
            table = weigh(base, languages)
    show(table, languages, "transferred", "KB transferred (gzip), a page with its CSS, JavaScript and images")
    show(table, languages, "plain", "KB decoded (what it would weigh uncompressed)")
    weights = [(row[lang].transferred, where, lang) for where, row in table.items() for lang in languages]
    heaviest = max(weights)
    print(f"\nheaviest: {heaviest[1]} ({heaviest[2]}), {heaviest[0] / 1024:.1f} KB of a {BUDGET // 1024} KB budget")
    over = [f"{where} ({lang}): {size / 1024:.1f} KB" for size, where, lang in weights if size >= BUDGET]
    if over:
        print("over the budget: " + "; ".join(over))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
