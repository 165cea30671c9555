"""Issue 16 point 4: the dashboard and the case list at any number of cases. What they filter on
of a case's verdict (its status, can_start and begin_by) is kept in columns of the case
(Case.PLAN_FIELDS), written with the verdict wherever a case is evaluated, indexed, and filled
for the cases made before (migration 0006); the pages are a fixed number of queries whatever
the number of cases. Every test runs on SQLite and on PostgreSQL (the `backend` fixture; the
PostgreSQL half marked `postgres`, never skipped). Their speed: benchmarks/bench_workspace.py."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest

from .support import BACKENDS, PATHWAY, STUDENT, activate, backend, seed, signed_in  # noqa: F401  (backend: a fixture)

TODAY = date.today()
OWN_DATABASE = True  # each test brings its database (conftest.py's rollback leaves it alone)


@pytest.fixture()
def inst(backend):
    return seed(secrets.token_hex(4))


_client = signed_in


def _case(inst, name: str, starts_in_days: int):
    from pathways.web.workspace.cases import create_case

    starts = TODAY + timedelta(days=starts_in_days)
    return create_case(inst["institution"], inst["users"]["coordinator"], trainee_name=name, trainee_email="",
                       home_country="UG", stage="student", profile={**STUDENT, "start_date": starts.isoformat()},
                       pathway_id=PATHWAY, as_of=TODAY, starts=starts, home_institution=inst["partner"])


def _columns(case) -> dict:
    return {name: getattr(case, name) for name in ("plan_status", "plan_can_start", "plan_begin_by")}


def _expected(verdict: dict) -> dict:
    return {"plan_status": verdict["status"], "plan_can_start": verdict["can_start"] or "",
            "plan_begin_by": date.fromisoformat(verdict["begin_by"]) if verdict["begin_by"] else None}


def test_the_columns_are_the_verdicts_whenever_a_case_is_evaluated(inst):
    from pathways.web.workspace.cases import reevaluate_open_cases, update_case
    from pathways.web.workspace.models import Case

    case = _case(inst, "Amara Nakato", 500)  # a start far ahead: the typical plan meets it
    stored = Case.objects.get(pk=case.pk)
    assert _columns(stored) == _expected(stored.verdict) and stored.plan_can_start in ("yes", "likely")
    # a new start date re-evaluates the case: the plan now misses it, and the columns say so
    update_case(stored, inst["users"]["coordinator"], {"starts": TODAY + timedelta(days=20)})
    stored = Case.objects.get(pk=case.pk)
    assert stored.plan_can_start in ("only-if-fast", "no") and _columns(stored) == _expected(stored.verdict)
    # a verdict made under another knowledge base: `pathways workspace reevaluate` writes both
    Case.objects.filter(pk=case.pk).update(knowledge_key="an-older-kb", plan_status="blocked", plan_can_start="yes",
                                           plan_begin_by=None)
    reevaluate_open_cases()
    stored = Case.objects.get(pk=case.pk)
    assert _columns(stored) == _expected(stored.verdict)


def test_reevaluate_puts_right_columns_that_disagree_with_the_verdict(inst):
    """A verdict written around set_verdict (by hand in the database, an older backup restored):
    the re-evaluation command corrects every case's columns, open or closed, whatever its
    knowledge base, and leaves the others alone."""
    from pathways.web.workspace.cases import reevaluate_open_cases, refresh_plan_columns
    from pathways.web.workspace.models import Case

    stale, right = _case(inst, "Stale Columns", 30), _case(inst, "Right Columns", 400)
    Case.objects.filter(pk=stale.pk).update(status="closed", plan_status="", plan_can_start="", plan_begin_by=None)
    before = Case.objects.get(pk=right.pk).updated
    assert Case.objects.filter(pk=stale.pk, plan_can_start="").exists()
    reevaluate_open_cases()
    fixed = Case.objects.get(pk=stale.pk)
    assert fixed.status == "closed" and _columns(fixed) == _expected(fixed.verdict) and fixed.plan_can_start
    assert Case.objects.get(pk=right.pk).updated == before
    assert refresh_plan_columns() == 0  # nothing left to correct


def _queries(client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the session, the engine's first load
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


PAGES = ("/workspace/", "/workspace/cases/", "/workspace/cases/?risk=at-risk", "/workspace/cases/?risk=overdue",
         "/workspace/cases/?risk=late&status=", "/workspace/cases/?q=trainee")


def test_the_pages_make_as_many_queries_for_fifty_cases_as_for_five(inst):
    """Overdue, at-risk, late and easy cases, 5 then 50 of them: the dashboard, the case list and
    its filters and a case's page make the same queries, none of them reading the verdict's JSON."""
    from pathways.web.workspace.models import ChecklistItem

    client = _client(inst["users"]["coordinator"])

    def add(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            case = _case(inst, f"Trainee {n:03d}", (20, 60, 400, -30, 10)[n % 5])
            if n % 5 == 3:  # a step left undone past its day
                ChecklistItem.objects.filter(case=case, position=0).update(due=TODAY - timedelta(days=5 + n))

    add(5, 0)
    case = inst["case"]
    small = {url: _queries(client, url) for url in (*PAGES, f"/workspace/cases/{case.pk}/")}
    add(45, 5)
    html = client.get("/workspace/").content.decode()
    assert "Trainee 003" in html and "Trainee 000" in html  # overdue and at risk: the lists are not empty
    for url, before in small.items():
        after = _queries(client, url)
        assert len(after) == len(before), (url, len(before), len(after), after)
        if url in PAGES:  # a case's own page shows its verdict; the lists never read one
            assert not [q for q in after if '"verdict"' in q], f"{url} read the verdict's JSON"


def _cases_table_columns() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, "workspace_case")}


@pytest.fixture(params=BACKENDS)
def fresh_database(request, django_db):
    """An empty database of its own on the backend, for migrating step by step; dropped after."""
    from pathways.web.settings import database

    from .support import create_pg_database, drop_pg_database

    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'migrations.sqlite3'}"
    else:
        url = create_pg_database(request.getfixturevalue("postgres_url"))
    previous = activate(database(url))
    try:
        yield request.param
    finally:
        activate(previous)
        if request.param == "postgresql":
            drop_pg_database(url, request.getfixturevalue("postgres_url"))


def test_migration_0006_fills_the_columns_of_the_cases_made_before_it(fresh_database):
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "workspace", "0005", interactive=False, verbosity=0)
    assert "plan_can_start" not in _cases_table_columns()
    old = MigrationExecutor(connection).loader.project_state(
        ("workspace", "0005_reminders_calendar_contacts_agreement_documents")).apps
    Institution, Case = old.get_model("workspace", "Institution"), old.get_model("workspace", "Case")
    inst = Institution.objects.create(name="Before 0006", slug="before-0006")
    verdicts = {
        "late": {"status": "open", "can_start": "no", "begin_by": "2026-02-03", "steps": []},
        "easy": {"status": "needs-info", "can_start": "likely", "begin_by": "2027-09-06", "steps": []},
        "no start date": {"status": "open", "can_start": None, "begin_by": None, "steps": []},
        "odd": {"status": "open", "begin_by": "not a date"},
        "empty": {},
    }
    for name, verdict in verdicts.items():
        Case.objects.create(institution=inst, trainee_name=name, home_country="UG", stage="student", profile=STUDENT,
                            pathway_id=PATHWAY, evaluated_on=TODAY, knowledge_key="k", verdict=verdict)
    call_command("migrate", "workspace", "0006", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT trainee_name, plan_status, plan_can_start, plan_begin_by FROM workspace_case")
        found = {name: (status, can_start, str(begin_by) if begin_by else None)
                 for name, status, can_start, begin_by in cursor.fetchall()}
    assert found == {
        "late": ("open", "no", "2026-02-03"),
        "easy": ("needs-info", "likely", "2027-09-06"),
        "no start date": ("open", "", None),
        "odd": ("open", "", None),
        "empty": ("", "", None),
    }
    indexes = connection.introspection.get_constraints(connection.cursor(), "workspace_case")
    assert indexes["case_plan_idx"]["columns"][:4] == ["institution_id", "status", "plan_can_start", "plan_begin_by"]
    assert "case_moved_idx" in indexes
    call_command("migrate", "workspace", "0005", interactive=False, verbosity=0)  # and back
    assert "plan_can_start" not in _cases_table_columns()


def test_migration_0007_finds_the_case_of_each_history_entry_made_before_it(fresh_database):
    """Entries about a case, its steps (one deleted since), notes and weeks get the case's number;
    an institution's other entries, and those an erasure blanked, get none."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "workspace", "0006", interactive=False, verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(("workspace", "0006_plan_columns")).apps
    Institution, Case = old.get_model("workspace", "Institution"), old.get_model("workspace", "Case")
    HistoryEntry = old.get_model("workspace", "HistoryEntry")
    inst = Institution.objects.create(name="Before 0007", slug="before-0007")
    case = Case.objects.create(institution=inst, trainee_name="Amara", home_country="UG", stage="student",
                               profile=STUDENT, pathway_id=PATHWAY, evaluated_on=TODAY, knowledge_key="k", verdict={})
    made = {
        "the case": ("Case", case.pk, None, {"trainee_name": "Amara"}),
        "a step ticked": ("ChecklistItem", 7, {"case": case.pk, "status": "todo"}, {"case": case.pk, "status": "done"}),
        "a step deleted": ("ChecklistItem", 8, {"case": case.pk, "status": "todo"}, None),
        "a note": ("Note", 3, None, {"case": case.pk, "text": "Dean's letter asked for"}),
        "a partner": ("Partner", 2, None, {"name": "Makerere"}),
        "a blanked week": ("ContactLog", 4, None, None),
    }
    ids = {what: HistoryEntry.objects.create(institution=inst, model=model, object_id=pk, action="changed",
                                             before=before, after=after).pk
           for what, (model, pk, before, after) in made.items()}
    call_command("migrate", "workspace", "0007", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, case_ref FROM workspace_historyentry")
        refs = dict(cursor.fetchall())
    assert {what: refs[pk] for what, pk in ids.items()} == {
        "the case": case.pk, "a step ticked": case.pk, "a step deleted": case.pk, "a note": case.pk,
        "a partner": None, "a blanked week": None}
    indexes = connection.introspection.get_constraints(connection.cursor(), "workspace_historyentry")
    assert indexes["history_case_idx"]["columns"] == ["institution_id", "case_ref"]


def test_a_cases_history_is_its_own_and_its_parts_whatever_the_others(inst):
    """The case page's history: the case's entries and its steps', found through case_ref, none
    of another case's; the number of queries the page makes does not grow with the history."""
    from pathways.web.workspace.cases import set_step_status
    from pathways.web.workspace.erasure import history_of
    from pathways.web.workspace.models import HistoryEntry

    case, other = inst["case"], _case(inst, "Other Trainee", 300)
    user = inst["users"]["coordinator"]
    client = _client(user)
    before = len(_queries(client, f"/workspace/cases/{case.pk}/"))
    for item in other.checklist.all():
        set_step_status(item, "done", user)
    step = case.checklist.order_by("position").first()
    set_step_status(step, "done", user)
    found = set(history_of(case).values_list("model", "object_id"))
    assert ("Case", case.pk) in found and ("ChecklistItem", step.pk) in found
    assert not found & set(history_of(other).values_list("model", "object_id"))
    assert set(HistoryEntry.objects.filter(case_ref=case.pk).values_list("model", "object_id")) == found
    assert len(_queries(client, f"/workspace/cases/{case.pk}/")) == before
    assert "ticked" in client.get(f"/workspace/cases/{case.pk}/").content.decode()


def test_the_dashboards_at_risk_list_is_the_risk_filter_less_the_overdue_cases(inst):
    """at_risk_not_overdue_cases (the dashboard's form, read from a week of steps and the plan
    columns) finds the cases cases.at_risk says, less those with an overdue step: late, tight and
    easy plans, steps due this week, next week and past, and a case with every step done."""
    from pathways.web.workspace.cases import (at_risk, at_risk_cases, at_risk_not_overdue_cases, overdue,
                                              overdue_cases)
    from pathways.web.workspace.models import Case, ChecklistItem

    made = [_case(inst, f"Mixed {n}", days) for n, days in enumerate((20, 60, 400, -30, 10, 200, 500))]
    ChecklistItem.objects.filter(case=made[2], position=0).update(due=TODAY + timedelta(days=3))  # due this week
    ChecklistItem.objects.filter(case=made[5], position=0).update(due=TODAY - timedelta(days=2))  # overdue
    ChecklistItem.objects.filter(case=made[6]).update(status="done")  # nothing left to do
    ChecklistItem.objects.filter(case=made[1], position=0).update(due=TODAY + timedelta(days=8))  # next week
    cases = Case.objects.filter(institution=inst["institution"])
    found = set(at_risk_not_overdue_cases(cases, TODAY).values_list("pk", flat=True))
    assert found == (set(at_risk_cases(cases, TODAY).values_list("pk", flat=True))
                     - set(overdue_cases(cases, TODAY).values_list("pk", flat=True)))
    said = {c.pk for c in cases.prefetch_related("checklist") if at_risk(c, TODAY) and not overdue(c, TODAY)}
    assert found == said and made[2].pk in found and made[5].pk not in found and made[6].pk not in found
    assert found - {made[2].pk} and set(c.pk for c in made) - found  # both kinds: some at risk, some not
