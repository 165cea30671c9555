"""Who may read and write what in the workspace: every view and API endpoint, for every role,
with two institutions (marked `authz`).

The URLs come from Django's resolver itself (every pattern under /workspace/ and
/api/v1/workspace/), so a view added later is covered as soon as it is routed: a pattern
with no row in CALLS below fails `test_every_workspace_url_has_a_row_in_the_table`.
For each of administrator, coordinator and viewer of institutions A and B, an anonymous
visitor and a signed-in user of no institution:

- a member's reads of their own institution answer 200 and show nothing of the other one;
- every object URL of the other institution answers 404, to reads and writes alike (a
  viewer's write may be refused with 403 before the lookup: that leaks nothing either);
- a viewer's write answers 403;
- an anonymous visitor is sent to the login page (pages) or refused with 401/403 (API);
- after every refused write the database (every workspace table, the users and the stored
  files) is exactly as it was;
- a coordinator's or administrator's write to their own institution is accepted and changes
  the database (so the refusals above are not an artefact of a bad payload); it runs in a
  transaction that is rolled back, so every request sees the same records.

Each test runs on SQLite and on PostgreSQL (the `backend` fixture; the PostgreSQL half is
also marked `postgres`).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Callable

import pytest

from .support import AS_OF, PATHWAY, STUDENT, backend, diff, seed, snapshot  # noqa: F401  (backend: a fixture)

pytestmark = pytest.mark.authz

PREFIXES = ("workspace/", "api/v1/workspace/")
OK_WRITE = (200, 201, 204, 302, 303)


# --- how to call each URL -----------------------------------------------------------------


@dataclass
class Call:
    """How to call one routed URL. `objects` names the record each URL parameter takes, in
    order (a key of the seeded records); `read`: GET is a read every member may make;
    `write`: the method of its write, with `payload(records, n)` giving the body."""

    objects: tuple[str, ...] = ()
    read: bool = False
    write: str | None = None
    payload: Callable | None = None
    json: bool = False
    # a write that may legitimately leave the database unchanged (none so far)
    may_not_change: bool = False
    special: str | None = None
    # a form to write with: a viewer, who cannot write, may be refused it (403) or shown it (200)
    form: bool = False
    # administrators only (erasing a trainee): a coordinator's read and write are refused (403) too
    admin_only: bool = False
    # a page every member reads whose writes are the administrators' (colleagues): a coordinator's write is a 403
    write_admin_only: bool = False
    # a page that writes only the member's own settings (reminders, calendar link): viewers write too
    personal: bool = False


def _case_form(r, n):
    return {"trainee_name": f"New trainee {n}", "trainee_email": "new@example.org", "home_institution": r["partner"].pk,
            "home_country": "UG", "stage": "student", "pathway_id": PATHWAY, "profile": json.dumps(STUDENT),
            "evaluated_on": AS_OF.isoformat(), "starts": "2026-09-01", "ends": "2026-10-01"}


def _case_edit(r, n):
    c = r["case"]
    return {"trainee_name": f"Renamed {n}", "trainee_email": "renamed@example.org", "home_institution": r["partner"].pk,
            "home_country": "UG", "stage": "student", "pathway_id": c.pathway_id,
            "starts": c.starts.isoformat(), "ends": c.ends.isoformat(), "status": "open"}


def _document(r, n):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"title": f"Uploaded {n}", "file": SimpleUploadedFile(f"upload-{n}.txt", b"a letter", "text/plain")}


def _contact_week(r, n):
    return {"week_of": "2026-09-14", "patient_contact_hours": "3", "teaching_hours": "10", "research_hours": "20",
            "observation_hours": "7"}


def _contact_correction(r, n):
    return {"week_of": r["log"].week_of.isoformat(), "patient_contact_hours": "2", "teaching_hours": "12",
            "research_hours": "20", "observation_hours": "6"}


def _partner(r, n):
    return {"name": f"New partner {n}", "country": "KE", "income_group": "LM", "income_group_year": "2026"}


def _agreement(r, n):
    return {"partner": r["partner"].pk, "kind": "mou", "direction": "inbound", "starts": "2026-01-01",
            "ends": "2027-12-31", "places_per_year": "2", "notes": f"Agreement {n}"}


def _exchange(r, n):
    return {"partner": r["partner"].pk, "direction": "inbound", "year": "2026", "heads": "1", "trainee_weeks": "4",
            "usd": "1000.00", "notes": f"Exchange {n}"}


def _import(kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def payload(r, n):
        if kind == "partners":
            text = f"name,country,income_group,income_group_year\nImported partner {n},KE,LM,2026\n"
        else:
            profile = json.dumps(STUDENT).replace('"', '""')
            text = ("trainee_name,home_country,stage,pathway_id,profile,starts,evaluated_on\n"
                    f'Imported trainee {n},UG,student,{PATHWAY},"{profile}",2026-09-01,{AS_OF.isoformat()}\n')
        return {"file": SimpleUploadedFile(f"{kind}.csv", text.encode(), "text/csv")}

    return payload


def _letter(r, n):
    """Issue the case's B-1 acceptance letter as a PDF (its signatory the seeded dean)."""
    from pathways.web.workspace.models import Signatory

    dean = Signatory.objects.filter(institution=r["institution"]).first()
    return {"action": "pdf", "s_host__signatory": str(dean.pk), "f_host__supervisor__name": "Dr Maria Lopez",
            "f_host__supervisor__title": "Professor of Medicine", "f_funding__by": "trainee",
            "f_training__description": f"Internal medicine elective {n}."}


def _letterhead(r, n):
    return {"name": f"Letterhead {n}", "address": "2 Example Road\nExample City, CA 90000",
            "signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0", "signatories-MIN_NUM_FORMS": "0",
            "signatories-MAX_NUM_FORMS": "1000"}


def _api_case(r, n):
    return {"trainee_name": f"API trainee {n}", "trainee_email": "api@example.org", "home_country": "UG",
            "stage": "student", "pathway_id": PATHWAY, "profile": STUDENT, "evaluated_on": AS_OF.isoformat(),
            "starts": "2026-09-01", "ends": "2026-10-01"}


def _api_patch(r, n):
    return {"trainee_name": f"Patched {n}", "ends": "2026-10-15"}


CALLS: dict[str, Call] = {
    "workspace/login/": Call(special="login"),
    "workspace/logout/": Call(special="logout"),
    "workspace/": Call(read=True),
    "workspace/cases/": Call(read=True),
    "workspace/cases/new/": Call(read=True, form=True, write="POST", payload=_case_form),
    "workspace/cases/<>/": Call(("case",), read=True),
    "workspace/cases/<>/edit/": Call(("case",), read=True, form=True, write="POST", payload=_case_edit),
    "workspace/cases/<>/erase/": Call(("case",), read=True, form=True, write="POST", admin_only=True,
                                      payload=lambda r, n: {"confirm": str(r["case"].pk)}),
    "workspace/cases/<>/answer/": Call(("case",), write="POST",
                                       payload=lambda r, n: {"fact": "host.dean_approved_elective", "answer": "false"}),
    "workspace/cases/<>/checklist/<>/": Call(("case", "item"), write="POST", payload=lambda r, n: {"status": "done"}),
    "workspace/cases/<>/notes/": Call(("case",), write="POST", payload=lambda r, n: {"text": f"A note {n}"}),
    "workspace/cases/<>/documents/": Call(("case",), write="POST", payload=_document),
    "workspace/cases/<>/documents/<>/": Call(("case", "document"), read=True),
    "workspace/cases/<>/contact-log/": Call(("case",), read=True, write="POST", payload=_contact_week),
    "workspace/cases/<>/contact-log/<>/": Call(("case", "log"), read=True, form=True, write="POST",
                                              payload=_contact_correction),
    "workspace/cases/<>/contact-log/<>/delete/": Call(("case", "log"), write="POST", payload=lambda r, n: {}),
    # letters (issue 13): `=text` is a URL parameter written as it is (the letter kind), not a record
    "workspace/cases/<>/letters/<>/": Call(("case", "=b1-elective-acceptance"), read=True, form=True, write="POST",
                                           payload=_letter),
    "workspace/cases/<>/letters/issued/<>/": Call(("case", "issued_letter"), read=True),
    "workspace/letterhead/": Call(read=True, write="POST", write_admin_only=True, payload=_letterhead),
    "workspace/letter.css": Call(read=True),
    "workspace/me/": Call(read=True, write="POST", personal=True, payload=lambda r, n: {"action": "calendar-new"}),
    "workspace/calendar/<>.ics": Call(special="public"),  # its secret is the key: tests/workspace/test_reminders.py
    "workspace/colleagues/": Call(read=True, write="POST", write_admin_only=True,
                                  payload=lambda r, n: {"email": f"invitee-{n}-{r['tag']}@example.org", "role": "viewer"}),
    "workspace/colleagues/<>/": Call(("member",), write="POST", write_admin_only=True,
                                     payload=lambda r, n: {"action": "role", "role": "coordinator"}),
    "workspace/welcome/<>/<>/": Call(special="public"),  # the invitation's link: tests/workspace/test_colleagues.py
    "workspace/welcome/done/": Call(special="public"),
    "workspace/partners/": Call(read=True),
    "workspace/partners/new/": Call(read=True, form=True, write="POST", payload=_partner),
    "workspace/partners/<>/": Call(("partner",), read=True),
    "workspace/partners/<>/edit/": Call(("partner",), read=True, form=True, write="POST", payload=_partner),
    "workspace/partners/<>/contacts/": Call(("partner",), write="POST",
                                            payload=lambda r, n: {"name": f"Contact {n}", "title": "Registrar"}),
    "workspace/partners/<>/contacts/<>/delete/": Call(("partner", "contact"), write="POST", payload=lambda r, n: {}),
    "workspace/agreements/<>/documents/": Call(("agreement",), write="POST", payload=_document),
    "workspace/agreements/<>/documents/<>/": Call(("agreement", "agreement_document"), read=True),
    "workspace/agreements/": Call(read=True),
    "workspace/agreements/new/": Call(read=True, form=True, write="POST", payload=_agreement),
    "workspace/agreements/<>/": Call(("agreement",), read=True),
    "workspace/agreements/<>/edit/": Call(("agreement",), read=True, form=True, write="POST", payload=_agreement),
    "workspace/exchanges/": Call(read=True),
    "workspace/exchanges/new/": Call(read=True, form=True, write="POST", payload=_exchange),
    "workspace/reciprocity/": Call(read=True),
    "workspace/reciprocity.csv": Call(read=True),
    "workspace/import/cases/template.csv": Call(read=True),
    "workspace/import/cases/": Call(read=True, form=True, write="POST", payload=_import("cases")),
    "workspace/import/partners/": Call(read=True, form=True, write="POST", payload=_import("partners")),
    "workspace/export.json": Call(read=True),
    "api/v1/workspace/cases": Call(read=True, write="POST", payload=_api_case, json=True),
    "api/v1/workspace/cases/<>": Call(("case",), read=True, write="PATCH", payload=_api_patch, json=True),
    "api/v1/workspace/cases/<>/checklist/<>": Call(("case", "item"), write="POST",
                                                   payload=lambda r, n: {"status": "done"}, json=True),
}
# The contract's URLs (docs/workspace-urls.md) that must be routed.
CONTRACT = set(CALLS)


# --- the resolver -------------------------------------------------------------------------


@dataclass
class Route:
    text: str  # as routed, with converters: workspace/cases/<int:pk>/
    shape: str  # parameters blanked: workspace/cases/<>/
    params: list[tuple[str, str]] = field(default_factory=list)  # (name, converter class name)
    pattern: object = None


def _pattern_text(pattern) -> str:
    text = str(pattern)
    if type(pattern).__name__ == "RegexPattern":
        text = text.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    return text


def routes() -> list[Route]:
    """Every URL pattern under the workspace's prefixes, as the resolver has them."""
    from django.urls import URLResolver, get_resolver

    found: list[Route] = []

    def walk(patterns, prefix: str, params: list):
        for p in patterns:
            text = prefix + _pattern_text(p.pattern)
            converters = getattr(p.pattern, "converters", {}) or {}
            names = re.findall(r"<(?:\w+:)?(\w+)>", _pattern_text(p.pattern))
            here = params + [(n, type(converters[n]).__name__ if n in converters else "str") for n in names]
            if isinstance(p, URLResolver):
                if text.startswith(PREFIXES) or any(pre.startswith(text) for pre in PREFIXES) or text == "":
                    walk(p.url_patterns, text, here)
            elif text.startswith(PREFIXES):
                found.append(Route(text, re.sub(r"<[^>]+>", "<>", text), here, p))

    walk(get_resolver().url_patterns, "", [])
    # /workspace/import/<kind>/: one route for two kinds of import
    out = []
    for r in found:
        if r.shape == "workspace/import/<>/":
            for kind in ("cases", "partners"):
                out.append(Route(r.text, f"workspace/import/{kind}/", [], r.pattern))
        else:
            out.append(r)
    return out


def _fill(route: Route, call: Call, records: dict, mix: dict | None = None) -> str:
    """The URL of `route` for these records (`mix` replaces some of them: another institution's)."""
    if route.shape.startswith("workspace/import/") and not route.params and "<" in route.text:
        return "/" + route.shape
    values = []
    for (name, converter), key in zip(route.params, call.objects):
        if key.startswith("="):  # written as it is
            values.append(key[1:])
            continue
        obj = (mix or {}).get(key) or records[key]
        if key == "item" and converter != "IntConverter" and "step" in name:
            values.append(str(obj.step_id))
        else:
            values.append(str(obj.pk))
    assert len(values) == route.text.count("<"), (route.text, call.objects)
    url = route.text
    for v in values:
        url = re.sub(r"<[^>]+>", v, url, count=1)
    return "/" + url


# --- the people ---------------------------------------------------------------------------


PEOPLE = [f"{role}-{side}" for side in ("A", "B") for role in ("administrator", "coordinator", "viewer")] + \
         ["anonymous", "outsider"]


@pytest.fixture()
def world(backend):
    """Institutions A and B, each with one of everything; their records by side."""
    tag = secrets.token_hex(4)
    return {"A": seed(f"a{tag}"), "B": seed(f"b{tag}")}


def _client_for(person: str, world: dict):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(raise_request_exception=False)  # a view's crash is a 500 in the report, not a stop
    if person == "anonymous":
        return client
    if person == "outsider":
        user, _ = get_user_model().objects.get_or_create(username=f"outsider-{world['A']['tag']}")
        client.force_login(user)
        return client
    role, side = person.split("-")
    client.force_login(world[side]["users"][role])
    return client


def _request(client, method: str, url: str, call: Call, data):
    if method == "GET":
        return client.get(url)
    if call.json:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url, data)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _anonymous_ok(response, api: bool) -> bool:
    if api:
        return response.status_code in (401, 403)
    return response.status_code == 302 and response["Location"].startswith("/workspace/login/")


# --- the tests ----------------------------------------------------------------------------


def test_every_workspace_url_has_a_row_in_the_table(backend):
    shapes = {r.shape: r.text for r in routes()}
    missing = {s: t for s, t in shapes.items() if s not in CALLS}
    assert not missing, ("workspace URLs with no row in tests/workspace/test_authz.py's CALLS (say how to call "
                         f"them, so the authorization matrix covers them): {sorted(missing.values())}")


def test_every_url_of_the_contract_is_routed(backend):
    shapes = {r.shape for r in routes()}
    absent = sorted(CONTRACT - shapes)
    assert not absent, f"docs/workspace-urls.md names URLs the resolver does not route: {absent}"


@pytest.mark.parametrize("person", PEOPLE)
def test_authorization_matrix(person, world, backend):
    from django.db import transaction

    problems: list[str] = []
    client = _client_for(person, world)
    member = "-" in person
    role, side = person.split("-") if member else (None, None)
    own = world[side] if member else world["A"]
    other = world["B" if side == "A" else "A"]
    n = 0

    def expect(ok: bool, what: str, response):
        if not ok:
            where = response.get("Location", "") if response is not None else ""
            problems.append(f"{what}: {response.status_code if response is not None else '-'} {where}".rstrip())

    for route in routes():
        call = CALLS.get(route.shape)
        if call is None or call.special:
            continue
        api = route.text.startswith("api/")
        targets = [("own", _fill(route, call, own))]
        if call.objects:
            targets.append(("other", _fill(route, call, other)))
            if len([k for k in call.objects if not k.startswith("=")]) > 1:  # own case, the other's step or document
                targets.append(("mixed", _fill(route, call, own, mix={k: other[k] for k in call.objects[1:] if not k.startswith("=")})))
        for whose, url in targets:
            methods = (["GET"] if call.read else []) + ([call.write] if call.write else [])
            for method in methods:
                n += 1
                what = f"{person} {method} {url} ({whose})"
                data = call.payload(own, n) if method != "GET" else None
                if (call.admin_only or (call.write_admin_only and method != "GET")) and whose == "own" \
                        and role == "coordinator":
                    before = snapshot() if method != "GET" else None
                    response = _request(client, method, url, call, data)
                    expect(response.status_code == 403, f"{what}: administrators only, wanted 403", response)
                    if before is not None and diff(before, snapshot()):
                        problems.append(f"{what}: a refused write changed the database: {diff(before, snapshot())}")
                    continue
                if method != "GET" and whose == "own" and member and (role != "viewer" or call.personal):
                    # allowed: it must work; rolled back so the next request sees the same records
                    with transaction.atomic():
                        before = snapshot()
                        response = _request(client, method, url, call, data)
                        changed = snapshot() != before
                        transaction.set_rollback(True)
                    expect(response.status_code in OK_WRITE, f"{what}: an allowed write", response)
                    if response.status_code in OK_WRITE and not changed and not call.may_not_change:
                        problems.append(f"{what}: answered {response.status_code} but changed nothing "
                                        f"(form errors? {_body(response)[:300]!r})")
                    continue
                before = snapshot() if method != "GET" else None
                response = _request(client, method, url, call, data)
                if before is not None:
                    moved = diff(before, snapshot())
                    if moved:
                        problems.append(f"{what}: a refused write changed the database: {moved}")
                if person == "anonymous":
                    expect(_anonymous_ok(response, api), f"{what}: anonymous, wanted "
                           + ("401/403" if api else "a redirect to /workspace/login/"), response)
                elif person == "outsider":
                    expect(response.status_code in (403, 404), f"{what}: a user of no institution, wanted 404/403",
                           response)
                elif whose != "own":
                    wanted = (403, 404) if (role == "viewer" and (method != "GET" or call.form)) else (404,)
                    expect(response.status_code in wanted, f"{what}: another institution's record, wanted "
                           + "/".join(map(str, wanted)), response)
                elif method == "GET":
                    if call.form and role == "viewer":
                        expect(response.status_code in (200, 403),
                               f"{what}: a viewer asking for a form, wanted 200/403", response)
                    else:
                        expect(response.status_code == 200, f"{what}: a read of one's own institution, wanted 200",
                               response)
                    if response.status_code == 200:
                        body = _body(response)
                        leaked = [m for m in other["markers"] if m in body]
                        if leaked:
                            problems.append(f"{what}: shows the other institution's {leaked}")
                else:  # a viewer's write to their own institution
                    expect(response.status_code == 403, f"{what}: a viewer's write, wanted 403", response)
    assert n > 0, "no workspace URL was exercised"
    assert not problems, f"{len(problems)} of {n} requests went wrong:\n" + "\n".join(problems)


@pytest.mark.parametrize("person", PEOPLE)
def test_login_and_logout_pages(person, world, backend):
    from django.contrib.auth import SESSION_KEY

    client = _client_for(person, world)
    assert client.get("/workspace/login/").status_code in (200, 302)
    response = client.post("/workspace/logout/")
    assert response.status_code in (200, 302), response.status_code
    assert SESSION_KEY not in client.session, "still signed in after logging out"
    if person != "anonymous":
        # and signed out, the workspace is closed again
        assert _anonymous_ok(client.get("/workspace/"), api=False)


@pytest.mark.parametrize("person", ["coordinator-B", "administrator-B"])
def test_a_write_cannot_point_at_another_institutions_records(person, world, backend):
    """Form fields that name a record (a partner) refuse the other institution's."""
    client = _client_for(person, world)
    mine, theirs = world["B"], world["A"]
    posts = {
        "/workspace/cases/new/": _case_form(mine, 1) | {"home_institution": theirs["partner"].pk},
        f"/workspace/cases/{mine['case'].pk}/edit/": _case_edit(mine, 2) | {"home_institution": theirs["partner"].pk},
        "/workspace/agreements/new/": _agreement(mine, 3) | {"partner": theirs["partner"].pk},
        f"/workspace/agreements/{mine['agreement'].pk}/edit/": _agreement(mine, 4) | {"partner": theirs["partner"].pk},
        "/workspace/exchanges/new/": _exchange(mine, 5) | {"partner": theirs["partner"].pk},
    }
    from pathways.web.workspace.models import Agreement, Case, Exchange

    for url, data in posts.items():
        client.post(url, data)
    assert not Case.objects.filter(institution=mine["institution"], home_institution=theirs["partner"]).exists()
    assert not Agreement.objects.filter(institution=mine["institution"], partner=theirs["partner"]).exists()
    assert not Exchange.objects.filter(institution=mine["institution"], partner=theirs["partner"]).exists()
    a = theirs["institution"]
    assert Agreement.objects.filter(institution=a).count() == 1
    assert Exchange.objects.filter(institution=a).count() == 2
    assert Case.objects.filter(institution=a).count() == 1


def test_the_admin_is_for_administrators_only(world, backend):
    for person in ("coordinator-A", "viewer-A", "anonymous", "outsider"):
        response = _client_for(person, world).get("/admin/")
        assert response.status_code == 302 and "/login/" in response["Location"], (person, response.status_code)
