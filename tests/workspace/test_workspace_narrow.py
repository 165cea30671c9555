"""Every workspace page on a 360 px phone (issue 14 point 8): each page a member can read,
as the resolver routes them (the authorization table's readable rows, so a page added later
is walked too), opened in Debian's chromium at 360 px by an administrator of a seeded
institution; none may scroll sideways. Screenshots go to the test's tmp folder (and to
$PATHWAYS_SCREENSHOTS when set)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from ..web.test_browser import _screenshots, browser  # noqa: F401  (browser: a fixture)
from .support import PASSWORD, Server, server_env
from .test_authz import CALLS, _fill, routes

OWN_DATABASE = True
SEED = r"""
import json, sys
sys.path.insert(0, {root!r})
from pathways.web.serve import setup_django, migrate
setup_django(); migrate()
from tests.workspace.support import seed
r = seed("narrow", with_document=True, passwords=True)
ids = {{k: v.pk for k, v in r.items() if hasattr(v, "pk")}}
ids["item"] = {{"pk": r["item"].pk, "step_id": r["item"].step_id}}
print(json.dumps({{"ids": ids, "admin": r["users"]["administrator"].username}}))
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = tmp_path_factory.mktemp("narrow")
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", SEED.format(root=root)], env=server_env(data, None),
                          capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    server = Server(data).start()
    try:
        yield server.base, found
    finally:
        server.stop()


def _records(ids: dict) -> dict:
    return {k: SimpleNamespace(**v) if isinstance(v, dict) else SimpleNamespace(pk=v) for k, v in ids.items()}


def test_no_workspace_page_scrolls_sideways_at_360_px(browser, seeded, tmp_path):  # noqa: F811
    base, found = seeded
    records = _records(found["ids"])
    urls = ["/workspace/login/"] + sorted({_fill(r, CALLS[r.shape], records) for r in routes()
                                           if r.shape in CALLS and CALLS[r.shape].read and not r.text.startswith("api/")
                                           and not r.shape.endswith((".csv", ".json", ".ics", ".css"))
                                           and "documents/<>" not in r.shape and "issued/<>" not in r.shape})
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("Username").fill(found["admin"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/workspace/")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    wide, walked = [], 0
    for url in urls:
        response = page.goto(base + url)
        assert response is not None and response.status == 200, f"{url}: {response.status if response else '-'}"
        walked += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 361:
            culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 362 && !e.closest('.table'))
                .slice(0, 3).map(e => e.tagName + (e.className ? '.' + e.className : '') + ' ' +
                                 Math.round(e.getBoundingClientRect().right))""")
            wide.append(f"{url}: {width} px ({'; '.join(culprits)})")
        name = url.strip("/").removeprefix("workspace").strip("/").replace("/", "-") or "dashboard"
        _screenshots(page, shots, f"workspace-{name}")  # at 360 and 1280 px
    context.close()
    assert walked >= 25, f"only {walked} pages walked"
    assert not wide, "pages that scroll sideways at 360 px:\n" + "\n".join(wide)
