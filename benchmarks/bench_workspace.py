"""The workspace with 10,000 cases: the dashboard, a case page, the case list and a search, on SQLite and PostgreSQL.

For each backend: a fresh database (a SQLite file in a temporary folder; a throwaway
database CREATE DATABASE pathways_test_<random> on the server at PATHWAYS_TEST_DATABASE_URL,
default postgresql://postgres@127.0.0.1:5432/test, dropped at the end), migrated; one
institution with a coordinator and 10,000 cases made in bulk (one evaluation, reused, with
its checklist for each case; start dates spread over two years so that some steps are
overdue), then 50 requests each to /workspace/ and /workspace/cases/<id>/ through Django's
test client, signed in as the coordinator. Prints the median and p95 in milliseconds and
the number of SQL queries one request makes (and the slowest queries' share), so a slow page
says where its time goes.

Run: .venv/bin/python benchmarks/bench_workspace.py [--cases 10000] [--requests 50] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _fill(n_cases: int) -> tuple:
    from django.contrib.auth import get_user_model

    from pathways.web.workspace.cases import knowledge_key, verdict_of
    from pathways.web.workspace.models import Case, ChecklistItem, Institution, Member, Partner
    from tests.workspace.support import PATHWAY, STUDENT

    inst = Institution.objects.create(name="Bench University Hospital", slug="bench")
    user = get_user_model().objects.create(username="bench-coordinator")
    Member.objects.create(user=user, institution=inst, role="coordinator")
    partner = Partner.objects.create(institution=inst, name="Bench Partner", country="UG")
    today = date.today()
    as_of = today
    verdict = verdict_of({**STUDENT, "start_date": (today + timedelta(days=200)).isoformat()}, PATHWAY, as_of)
    key = knowledge_key()
    started = time.perf_counter()
    batch = 1000
    for first in range(0, n_cases, batch):
        cases = []
        for i in range(first, min(first + batch, n_cases)):
            starts = today + timedelta(days=(i % 730) - 180)
            cases.append(Case(institution=inst, trainee_name=f"Trainee {i:05d}", home_country="UG", stage="student",
                              home_institution=partner, profile=STUDENT, pathway_id=PATHWAY, evaluated_on=as_of,
                              knowledge_key=key, verdict=verdict, starts=starts, ends=starts + timedelta(days=28),
                              status="closed" if i % 10 == 0 else "open"))
        cases = Case.objects.bulk_create(cases)
        if cases[0].pk is None:  # older SQLite without RETURNING: read the ids back
            cases = list(Case.objects.filter(institution=inst).order_by("-id")[:len(cases)])
        items = []
        for case in cases:
            for position, step in enumerate(verdict["steps"]):
                due = case.starts - timedelta(days=7 * (len(verdict["steps"]) - position))
                items.append(ChecklistItem(case=case, step_id=step["id"], text=step["text"], actor=step["actor"],
                                           due=due, position=position, status="done" if position == 0 else "todo"))
        ChecklistItem.objects.bulk_create(items, batch_size=2000)
    made = time.perf_counter() - started
    middle = Case.objects.filter(institution=inst, status="open").order_by("id")[n_cases // 2]
    return user, middle, made, ChecklistItem.objects.filter(case__institution=inst).count()


def _measure(client, url: str, n: int) -> tuple[float, float, int, list]:
    from django.db import connection

    response = client.get(url)  # warm: templates, the engine
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    captured: list[dict] = []

    def count(execute, sql, params, many, context):  # every query of the request, with its time
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append({"sql": sql, "time": time.perf_counter() - started})

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    slow = sorted(captured, key=lambda q: -q["time"])[:3]
    return statistics.median(times), p95, len(captured), slow


def run(backend: str, n_cases: int, n_requests: int) -> dict:
    from django.test import Client

    from pathways.web.settings import database
    from tests.workspace.support import activate, create_pg_database, drop_pg_database, migrate

    folder = Path(tempfile.mkdtemp(prefix="bench-workspace-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}" if backend == "sqlite" else create_pg_database()
    previous = activate(database(url))
    try:
        migrate()
        user, case, made, items = _fill(n_cases)
        from django.db import connection

        with connection.cursor() as cursor:  # planner statistics, as autovacuum/ANALYZE keeps them in service
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(user)
        out = {"backend": backend, "fill_s": made, "items": items}
        for name, path in (("dashboard", "/workspace/"), ("case page", f"/workspace/cases/{case.pk}/"),
                           ("case list", "/workspace/cases/"),
                           ("search", "/workspace/cases/?q=trainee+05&risk=overdue&status=open")):
            out[name] = _measure(client, path, n_requests)
        return out
    finally:
        activate(previous)
        if backend == "postgresql":
            drop_pg_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()

    from tests.workspace.support import ensure_django

    ensure_django()
    for backend in args.backends.split(","):
        result = run(backend, args.cases, args.requests)
        print(f"\n{backend}: {args.cases} cases, {result['items']} checklist steps made in {result['fill_s']:.1f} s")
        print(f"  {'page':<10} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
        for name in ("dashboard", "case page", "case list", "search"):
            median, p95, count, slow = result[name]
            print(f"  {name:<10} {median:>10.1f} {p95:>9.1f} {count:>8}")
            for q in slow:
                print(f"      {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")


if __name__ == "__main__":
    main()
