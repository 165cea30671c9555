"""The interview and the result in a real browser: Debian's Chromium driven by Playwright.

The test starts `pathways serve` on a free port of 127.0.0.1 (its own data directory),
walks the interview as three people would (a student, a graduate with under 3 years of
training, a graduate with 3 or more) answering each question from the person's facts
("I don't know" for a fact the person lacks), and checks:

- the questions asked are the engine's: the wish first, then the eligibility questions, as
  many as the fewest the rules need (tests/test_interview.py's `fewest`), then the plan's
  start, length and city; the page redirects to /result/ at the end;
- the result page's pathway statuses are the CLI's (`pathways find --json`) for the same
  answers;
- axe-core (vendored in tests/web/vendor/) finds no serious or critical violation on the
  interview, the result and a knowledge page;
- each page transfers under 100 KB (response bodies, fonts aside) and nothing is asked of
  a host other than 127.0.0.1.

Screenshots at 360x740 and 1280x900 go to the test's tmp folder, and to $PATHWAYS_SCREENSHOTS
when it is set. No browser is downloaded: Chromium is /usr/bin/chromium (Debian's package
`chromium`, which .ci/run installs). A missing browser fails the tests; it never skips them.
"""

from __future__ import annotations

from contextlib import contextmanager

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from ..test_interview import DAY, PLANNING, RESIDENT, STUDENT, eligibility, fewest, run

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SIZES = {"phone": (360, 740), "desktop": (1280, 900)}
PAGE_BUDGET = 100 * 1024
AS_OF = DAY.isoformat()

# A graduate with 3 years or more: licensed in California, of extraordinary ability, with an
# employer's sponsorship; the interview ends as soon as an independent pathway is open.
SENIOR = {"citizenships": ["KE"], "us_permanent_resident": False, "stage": "graduate", "postgraduate_years": 6, "practice_years": 12,
          "home_license": True, "california_license": True, "international_renown": True,
          "extraordinary_ability": True, "current_us_status": "none", "host": {"employment_sponsorship": True},
          "desired_contact": "independent"}
# A professor whose interview meets a fact the profile lacks (host.eminence_sponsorship is
# asked; international_renown is not in the profile): "I don't know" is clicked.
PROFESSOR = {"citizenships": ["BD"], "us_permanent_resident": False, "stage": "graduate", "postgraduate_years": 8, "practice_years": 15,
             "home_license": True, "school_recognized_by_mbc": True, "ecfmg_certified": False, "usmle_passed": [],
             "academically_eminent": True, "extraordinary_ability": True, "current_us_status": "none",
             "host": {"eminence_sponsorship": True, "employment_sponsorship": True}, "desired_contact": "supervised"}

PERSONAS = {"student": (STUDENT, "student"), "graduate-under-3": (RESIDENT, "img-under-3"),
            "graduate-3-plus": (SENIOR, "img-3-plus")}


# --- the browser and the server ----------------------------------------------------------


def _sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # a failure, not a skip
        pytest.fail(f"Playwright is not installed ({error}): pip install -e '.[test]' installs it", pytrace=False)
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does). "
                    "These tests never download a browser.", pytrace=False)
    with _sync_playwright()() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pathways_command() -> list[str]:
    script = Path(sys.executable).parent / "pathways"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pathways.cli"]


@contextmanager
def serving(data: Path, env: dict):
    """`pathways serve --port P` on the data directory `data`, in a process of its own, until
    the block ends; its base URL."""
    port = _free_port()
    log = open(data / "serve.log", "w+")
    process = subprocess.Popen([*_pathways_command(), "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/hello", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"`pathways serve --port {port}` did not start:\n{log.read()[-3000:]}", pytrace=False)
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`pathways serve --port P` in a process of its own; its base URL."""
    data = tmp_path_factory.mktemp("serve-data")
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with serving(data, env) as base:
        yield base


class Traffic:
    """Every request the page makes, and the responses since the last `reset`."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.responses: list = []
        page.on("request", self._request)
        page.on("response", self._response)

    def _request(self, request) -> None:
        self.requests.append(request.url)

    def _response(self, response) -> None:
        self.responses.append(response)

    def reset(self) -> None:
        self.responses = []

    def bytes(self) -> tuple[int, list[tuple[str, int]]]:
        """The sum of the response bodies (fonts left out), and each response's size."""
        sizes = []
        for response in self.responses:
            if response.request.resource_type == "font" or not response.url.startswith("http"):
                continue
            try:
                size = len(response.body())
            except Exception:  # a redirect has no body to read
                size = int(response.headers.get("content-length") or 0)
            sizes.append((response.url, size))
        return sum(s for _, s in sizes), sizes

    def foreign(self) -> list[str]:
        return [u for u in self.requests if u.startswith(("http:", "https:", "ws:", "wss:"))
                and urlsplit(u).hostname != "127.0.0.1"]


@pytest.fixture()
def page(browser):
    context = browser.new_context(bypass_csp=True)  # lets axe's script in; nothing else changes
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.traffic = Traffic(page)
    yield page
    context.close()


@pytest.fixture()
def shots(tmp_path):
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder


def _screenshots(page, folder: Path, name: str) -> None:
    extra = os.environ.get("PATHWAYS_SCREENSHOTS")
    before = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        path = folder / f"{name}-{size}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000, path
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(extra) / path.name)
    if before:
        page.set_viewport_size(before)


def _axe(page, where: str) -> None:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"axe on {where}: " + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in bad)


def _load(page, url: str, where: str) -> None:
    """Open `url` afresh and check its weight and the hosts it asks."""
    page.traffic.reset()
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{where}: {response and response.status} for {url}"
    total, sizes = page.traffic.bytes()
    assert total < PAGE_BUDGET, f"{where} transfers {total} bytes (budget {PAGE_BUDGET}): {sizes}"
    assert not page.traffic.foreign(), f"{where} asked other hosts: {page.traffic.foreign()}"


# --- answering --------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, (frozenset, set, list, tuple)):
        return ",".join(sorted(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _answer(page, engine, fact: str, facts: dict) -> str | None:
    """Fill in the persona's answer to `fact` and submit; None when "I don't know" was clicked."""
    form = page.locator("form#question")
    if fact not in facts:
        form.get_by_role("button", name="I don't know").click()
        return None
    value = facts[fact]
    kind = engine.kb.facts[fact].type
    if kind == "bool":
        assert form.locator("input[type=radio][name=answer]").count() == 2, f"{fact}: Yes and No"
        form.get_by_label("Yes" if value else "No", exact=True).check()
    elif kind == "enum":
        choice = form.locator(f"input[type=radio][name=answer][value='{value}']")
        assert choice.count() == 1, f"{fact}: no radio for {value!r}"
        choice.check()
    elif kind == "set":
        boxes = form.locator("input[type=checkbox][name=answer]")
        assert boxes.count() >= 1, f"{fact}: checkboxes"
        for i in range(boxes.count()):
            box = boxes.nth(i)
            box.set_checked(box.get_attribute("value") in value)
    elif kind == "number":
        field = form.locator("input[type=number][name=answer]")
        assert field.count() == 1, f"{fact}: a number input"
        field.fill(_text(value))
    elif kind == "codes":  # typed by name, as a person would; the address keeps the codes
        fields = form.locator("input[type=text][name=answer][list=countries]")
        assert fields.count() == 2, f"{fact}: two boxes for nationalities, with the list of countries"
        names = engine.country_names()
        fields.first.fill(", ".join(names[c] for c in sorted(value)))
    else:
        form.locator("[name=answer]").first.fill(_text(value))
    form.get_by_role("button", name="Next", exact=True).click()
    return _text(value)


def _wait_after(page, fact: str) -> None:
    """Until the next question (another fact) or the result page, with its sections, is shown."""
    try:
        page.wait_for_function(
            """(fact) => (location.pathname.startsWith('/result/') &&
                          document.querySelector('section#open, section#reachable, section#needs-info, section#closed')) ||
                 (!location.pathname.startsWith('/result/') &&
                  (document.querySelector('form#question input[name=fact]') || {}).value !== fact)""",
            arg=fact, timeout=15_000)
        page.wait_for_load_state("networkidle")
    except Exception as error:
        main = page.locator("main")
        shown = main.inner_text()[:300] if main.count() else page.content()[:300]
        raise AssertionError(f"after answering {fact!r} the browser is at {page.url} and shows neither a new question "
                             f"nor the result's sections (main: {shown!r}; {type(error).__name__})") from None


def _interview(page, server: str, engine, persona: dict, shots: Path, name: str, as_of: str = AS_OF):
    """Walk the interview; (the facts asked in order, the answers given, the result URL)."""
    facts = dict(engine.check(persona).facts)
    facts["desired_contact"] = persona["desired_contact"]
    _load(page, f"{server}/interview/?as_of={as_of}", "the interview's first page")
    asked: list[str] = []
    given: dict[str, str] = {}
    while not urlsplit(page.url).path.startswith("/result/"):
        form = page.locator("form#question")
        assert form.count() == 1, f"not one form#question at {page.url}"
        assert page.locator("form#question input[name=fact]").count() == 1
        fact = page.locator("form#question input[name=fact]").input_value()
        assert fact not in asked, f"{fact!r} asked twice: {asked}"
        asked.append(fact)
        if len(asked) == 2:
            _screenshots(page, shots, f"{name}-interview")
        assert len(asked) < 40, asked
        text = _answer(page, engine, fact, facts)
        if text is not None:
            given[fact] = text
        _wait_after(page, fact)
    shown = page.locator("main").inner_text()[:300] if page.locator("main").count() else page.content()[:300]
    assert page.locator("section#open, section#reachable, section#needs-info, section#closed").count() >= 1, \
        f"the browser reached {page.url}, but it shows none of the result's groups: {shown!r}"
    return asked, given, page.url


def _profile(given: dict[str, str], engine) -> dict:
    """The contract's profile for the answers given (as the person typed them)."""
    out: dict = {}
    for fact, text in given.items():
        kind = engine.kb.facts[fact].type
        value = {"bool": lambda t: t == "true", "number": lambda t: float(t) if "." in t else int(t),
                 "set": lambda t: [p for p in t.split(",") if p],
                 "codes": lambda t: [p for p in t.split(",") if p]}.get(kind, lambda t: t)(text)
        if fact.startswith("host."):
            out.setdefault("host", {})[fact[5:]] = value
        else:
            out[fact] = value
    return out


def _cli_statuses(profile: dict, tmp_path: Path) -> tuple[str, dict[str, str]]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(profile))
    done = subprocess.run([*_pathways_command(), "find", str(path), "--json", "--as-of", AS_OF],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return data["category"], {p["id"]: p["status"] for p in data["pathways"]}


# the page's groups and the status each stands for: within reach and closed are both blocked
GROUP_STATUS = {"open": "open", "reachable": "blocked", "needs-info": "needs-info", "closed": "blocked"}


def _page_statuses(page) -> dict[str, str]:
    statuses = {}
    for group, status in GROUP_STATUS.items():
        shown = "li" if group == "closed" else "article.pathway"
        for item in page.locator(f"section#{group} {shown}[id^=pathway-]").all():
            pid = item.get_attribute("id")
            assert pid[len("pathway-"):] not in statuses, f"{pid} shown twice"
            statuses[pid[len("pathway-"):]] = status
    return statuses


# --- the tests --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PERSONAS))
def test_the_interview_asks_the_fewest_questions_and_the_result_is_the_clis(name, page, server, engine, shots, tmp_path):
    persona, category = PERSONAS[name]
    asked, given, result_url = _interview(page, server, engine, persona, shots, name)

    assert asked[0] == "desired_contact" and asked[-3:] == PLANNING, asked  # the wish first, the plan last
    assert asked == run(engine, persona), "the page asked other questions than the engine"
    assert len(eligibility(engine, run(engine, persona))) == fewest(engine, persona), f"{len(asked)} questions: {asked}"
    assert urlsplit(result_url).path == "/result/" and urlsplit(result_url).query, result_url
    assert dict(parse_qsl(urlsplit(result_url).query)).get("as_of") == AS_OF, result_url

    _screenshots(page, shots, f"{name}-result")
    _load(page, result_url, "the result page")  # afresh: its weight and hosts
    cli_category, cli = _cli_statuses(_profile(given, engine), tmp_path)
    assert cli_category == category
    assert _page_statuses(page) == cli
    if name == "student":
        assert "open" in cli.values()
        _axe(page, "the result page")


def test_i_do_not_know_moves_the_interview_on_as_the_engine_does(page, server, engine, shots, tmp_path):
    asked, given, result_url = _interview(page, server, engine, PROFESSOR, shots, "professor")
    assert asked == run(engine, PROFESSOR)
    assert set(eligibility(engine, run(engine, PROFESSOR))) - set(given), "no question was answered with I don't know"
    assert "skip=" in result_url
    _load(page, result_url, "the result page")
    assert _page_statuses(page) == _cli_statuses(_profile(given, engine), tmp_path)[1]


# A final-year student in Kampala who has not applied for an elective yet: "No" to the dean's
# approval is not a closed door. She plans a July 2027 elective of six weeks at Stanford.
KAMPALA = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "desired_contact": "supervised",
           "host": {"dean_approved_elective": False}, "start_date": "2027-07-05", "duration_weeks": 6,
           "host_city": "palo-alto"}


def test_a_student_who_has_not_applied_sees_the_b1_elective_within_reach_and_where_to_apply(
        page, server, engine, shots, tmp_path):
    evaluated = "2026-12-01"  # the day she asks, five months before she must begin
    asked, given, result_url = _interview(page, server, engine, KAMPALA, shots, "kampala", evaluated)
    assert "host.dean_approved_elective" in asked and given["host.dean_approved_elective"] == "false"
    assert asked[-3:] == ["start_date", "duration_weeks", "host_city"], asked  # her dates and costs are her own
    _load(page, result_url, "the Kampala student's result")
    elective = page.locator("section#reachable article#pathway-b1-elective")
    assert elective.count() == 1, "the B-1 elective is not within reach"
    where = elective.locator(".where")
    assert where.get_by_role("link", name="Stanford International Visiting Student Program").count() == 1
    assert "To arrange" in elective.inner_text() and "Blocked: to arrange" in elective.inner_text()
    cli = json.loads(subprocess.run([*_pathways_command(), "find", "-", "--json", "--as-of", evaluated],
                                    input=json.dumps(_profile(given, engine)), capture_output=True, text=True,
                                    timeout=120).stdout)
    timeline = next(p for p in cli["pathways"] if p["id"] == "b1-elective")["timeline"]
    assert timeline["likely_start"] in elective.inner_text() and timeline["begin_by"] in elective.inner_text()
    assert timeline["likely_start"] < "2027-07-05" and timeline["begin_by"] >= evaluated
    # she reads the open group first; closed pathways are folded, one reason each
    assert page.locator("section#closed details:not([open])").count() == 1
    for width, height in SIZES.values():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"wider than {width} px"
    _screenshots(page, shots, "kampala-result")
    _axe(page, "the Kampala student's result")


AXE_PAGES = {
    "the interview's first question": f"/interview/?as_of={AS_OF}",
    **{f"the question {fact} with an error": f"/interview/?as_of={AS_OF}&desired_contact=supervised&fact={fact}&answer="
       for fact in ("stage", "citizenships", "postgraduate_years", "usmle_passed")},  # each kind of control
    "a result page": f"/result/?as_of={AS_OF}&desired_contact=supervised&stage=graduate&postgraduate_years=4",
    "the knowledge index": "/knowledge/",
}


def _knowledge_page(engine) -> str:
    return f"/knowledge/pathways/{next(iter(engine.kb.pathways))}/"


@pytest.mark.parametrize("where", list(AXE_PAGES) + ["a knowledge page"])
def test_axe_finds_no_serious_or_critical_violation(where, page, server, engine):
    path = AXE_PAGES.get(where) or _knowledge_page(engine)
    response = page.goto(server + path, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{where}: {response and response.status}"
    _axe(page, where)


WEIGHED = {
    "the interview's first page": f"/interview/?as_of={AS_OF}",
    "the interview's last question for the student": f"/interview/?desired_contact=supervised&stage=student"
        f"&enrolled_in_us_school=false&school_recognized_by_mbc=true&host.dean_approved_elective=true&as_of={AS_OF}",
    "the student's result": f"/result/?desired_contact=supervised&stage=student&enrolled_in_us_school=false"
        f"&school_recognized_by_mbc=true&host.dean_approved_elective=true&citizenships=UG&as_of={AS_OF}",
    "a graduate's result with little known": f"/result/?as_of={AS_OF}&desired_contact=supervised&stage=graduate"
        "&postgraduate_years=4",
    "the knowledge index": "/knowledge/",
}


@pytest.mark.parametrize("where", list(WEIGHED) + ["a knowledge page"])
def test_each_page_transfers_under_100_kb_from_this_host_only(where, page, server, engine):
    _load(page, server + (WEIGHED.get(where) or _knowledge_page(engine)), where)


def test_no_page_asks_another_host(page, server):
    for path in ("/", "/interview/", "/knowledge/", "/knowledge/visas/", "/api/v1/docs"):
        page.traffic.requests.clear()
        page.goto(server + path, wait_until="networkidle")
        assert not page.traffic.foreign(), f"{path} asked other hosts: {page.traffic.foreign()}"
