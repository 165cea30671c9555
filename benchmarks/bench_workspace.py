"""The workspace at 10,000 cases on SQLite and PostgreSQL (dashboard, case page, case list, search); the cached result PDF.

For each backend: a fresh database (a SQLite file in a temporary folder; a throwaway
database CREATE DATABASE pathways_test_<random> on the server at PATHWAYS_TEST_DATABASE_URL,
default postgresql://postgres@127.0.0.1:5432/test, dropped at the end), migrated; one
institution with a coordinator and 10,000 cases made in bulk (one evaluation per start week,
reused: plans that cannot, only just, or easily meet their start; each case's checklist; start
dates spread over two years so that some steps are overdue; a history entry for each case's
opening and for its first step ticked), then 50 requests each to the dashboard, a case page,
the case list and a search through Django's test client, signed in as the coordinator. Prints
the median and p95 in milliseconds, the CPU one request costs (this process and PostgreSQL's
backend: the machine's other load inflates it less than the clock), the number of SQL queries
one request makes and its slowest queries, so a slow page says where its time goes. Then the
public result PDF: rendered once, then 50 requests served from the cache (the same bytes,
WeasyPrint not called). Issue 16's targets are printed beside the p95s.

Run: .venv/bin/python benchmarks/bench_workspace.py [--cases 10000] [--requests 50] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _history(inst, user, cases, items) -> list:
    """What the history holds of a case in service: its opening (the case's whole record, profile
    and verdict too, as history.record keeps it) and its first step ticked."""
    from pathways.web.workspace.history import snapshot
    from pathways.web.workspace.models import HistoryEntry

    entries = [HistoryEntry(institution=inst, model="Case", object_id=c.pk, case_ref=c.pk, user=user,
                            action="created", before=None, after=snapshot(c)) for c in cases]
    for item in items:
        if item.pk is not None and item.status == "done":
            after = snapshot(item)
            entries.append(HistoryEntry(institution=inst, model="ChecklistItem", object_id=item.pk, case_ref=item.case_id,
                                        user=user, action="changed", before={**after, "status": "todo"}, after=after))
    return entries


def _fill(n_cases: int) -> tuple:
    from django.contrib.auth import get_user_model

    from pathways.web.workspace.cases import knowledge_key, verdict_of
    from pathways.web.workspace.models import Case, ChecklistItem, HistoryEntry, Institution, Member, Partner
    from tests.workspace.support import PATHWAY, STUDENT

    inst = Institution.objects.create(name="Bench University Hospital", slug="bench")
    user = get_user_model().objects.create(username="bench-coordinator")
    Member.objects.create(user=user, institution=inst, role="coordinator")
    partner = Partner.objects.create(institution=inst, name="Bench Partner", country="UG")
    today = date.today()
    as_of = today
    key = knowledge_key()
    verdicts: dict[date, dict] = {}  # one evaluation per start week, reused: late, tight and easy plans

    def verdict(starts: date) -> dict:
        week = starts - timedelta(days=starts.weekday())
        if week not in verdicts:
            verdicts[week] = verdict_of({**STUDENT, "start_date": week.isoformat()}, PATHWAY, as_of)
        return verdicts[week]

    started = time.perf_counter()
    batch = 1000
    for first in range(0, n_cases, batch):
        cases = []
        for i in range(first, min(first + batch, n_cases)):
            starts = today + timedelta(days=(i % 730) - 180)
            case = Case(institution=inst, trainee_name=f"Trainee {i:05d}", home_country="UG", stage="student",
                        home_institution=partner, profile=STUDENT, pathway_id=PATHWAY, evaluated_on=as_of,
                        knowledge_key=key, starts=starts, ends=starts + timedelta(days=28),
                        status="closed" if i % 10 == 0 else "open")
            case.set_verdict(verdict(starts))  # as cases.create_case does: the verdict and its columns
            cases.append(case)
        cases = Case.objects.bulk_create(cases)
        if cases[0].pk is None:  # older SQLite without RETURNING: read the ids back
            cases = list(Case.objects.filter(institution=inst).order_by("-id")[:len(cases)])
        items = []
        for case in cases:
            steps = case.verdict["steps"]
            for position, step in enumerate(steps):
                due = case.starts - timedelta(days=7 * (len(steps) - position))
                items.append(ChecklistItem(case=case, step_id=step["id"], text=step["text"], actor=step["actor"],
                                           due=due, position=position, status="done" if position == 0 else "todo"))
        items = ChecklistItem.objects.bulk_create(items, batch_size=2000)
        HistoryEntry.objects.bulk_create(_history(inst, user, cases, items), batch_size=1000)
    made = time.perf_counter() - started
    middle = Case.objects.filter(institution=inst, status="open").order_by("id")[n_cases // 2]
    return user, middle, made, ChecklistItem.objects.filter(case__institution=inst).count(), \
        HistoryEntry.objects.filter(institution=inst).count()


def _server_cpu() -> float | None:
    """Seconds of CPU the PostgreSQL backend serving this connection has used (Linux, the server
    on this machine); None on SQLite (its work is the client's) or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]


def _measure(client, url: str, n: int) -> dict:
    """p50 and p95 of `n` requests (wall clock, ms), the CPU one request costs (this process,
    SQLite's work included, plus PostgreSQL's backend: a figure the machine's other load does
    not inflate as much), its number of queries and its three slowest."""
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
    server, cpu = _server_cpu(), time.process_time()
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    cpu = time.process_time() - cpu
    if server is not None:
        after = _server_cpu()
        cpu += (after - server) if after is not None else 0.0
    median, p95 = _percentiles(times)
    return {"median": median, "p95": p95, "cpu": cpu * 1000 / n, "queries": len(captured),
            "slow": sorted(captured, key=lambda q: -q["time"])[:3]}


PDF_QUERY = ("desired_contact=supervised&citizenships=UG&stage=student&enrolled_in_us_school=false&final_year=true"
             "&school_recognized_by_mbc=true&current_us_status=none&duration_weeks=8&host.dean_approved_elective=true")


def _measure_pdf(n: int) -> dict:
    """The public result PDF: one render, then `n` requests served from the cache (the files in
    the data directory), checked to be the render's bytes with no render made."""
    from django.core.cache import caches
    from django.test import Client

    from pathways.web.finder import pdf

    caches[pdf.CACHE].clear()
    client, url = Client(), "/result.pdf?" + PDF_QUERY
    t = time.perf_counter()
    first = client.get(url)
    rendered = (time.perf_counter() - t) * 1000
    assert first.status_code == 200 and first.content.startswith(b"%PDF"), first.status_code
    renders, real = [], pdf.html_to_pdf
    pdf.html_to_pdf = lambda html: renders.append(html) or real(html)
    times = []
    try:
        for _ in range(n):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200 and response.content == first.content
    finally:
        pdf.html_to_pdf = real
    assert not renders, f"{len(renders)} requests rendered the PDF again"
    median, p95 = _percentiles(times)
    return {"render": rendered, "median": median, "p95": p95, "bytes": len(first.content)}


PAGES = ("dashboard", "case page", "case list", "search")
TARGETS = {"dashboard": 100.0, "case page": 30.0, "cached PDF": 50.0}  # issue 16: p95, ms


def run(backend: str, n_cases: int, n_requests: int) -> dict:
    from django.test import Client

    from pathways.web.settings import database
    from tests.workspace.support import activate, create_pg_database, drop_pg_database, migrate

    folder = Path(tempfile.mkdtemp(prefix="bench-workspace-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}" if backend == "sqlite" else create_pg_database()
    previous = activate(database(url))
    try:
        migrate()
        user, case, made, items, history = _fill(n_cases)
        from django.db import connection

        with connection.cursor() as cursor:  # planner statistics (and PostgreSQL's visibility map, which its
            # index-only scans need), as autovacuum keeps them in service
            cursor.execute("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE")
        client = Client()
        client.force_login(user)
        out = {"backend": backend, "fill_s": made, "items": items, "history": history}
        for name, path in zip(PAGES, ("/workspace/", f"/workspace/cases/{case.pk}/", "/workspace/cases/",
                                      "/workspace/cases/?q=trainee+05&risk=overdue&status=open")):
            out[name] = _measure(client, path, n_requests)
        out["cached PDF"] = _measure_pdf(n_requests)
        return out
    finally:
        activate(previous)
        if backend == "postgresql":
            drop_pg_database(url)
        shutil.rmtree(folder, ignore_errors=True)


def _verdict(name: str, p95: float) -> str:
    target = TARGETS.get(name)
    return "" if target is None else f"p95 target {target:.0f} ms: {'met' if p95 < target else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()

    from tests.workspace.support import ensure_django

    ensure_django()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for backend in args.backends.split(","):
        result = run(backend, args.cases, args.requests)
        print(f"\n{backend}: {args.cases} cases, {result['items']} checklist steps, {result['history']} history "
              f"entries made in {result['fill_s']:.1f} s")
        print(f"  {'page':<10} {'median ms':>10} {'p95 ms':>9} {'cpu ms':>7} {'queries':>8}")
        for name in PAGES:
            m = result[name]
            print(f"  {name:<10} {m['median']:>10.1f} {m['p95']:>9.1f} {m['cpu']:>7.1f} {m['queries']:>8}   "
                  f"{_verdict(name, m['p95'])}")
            for q in m["slow"]:
                print(f"      {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")
        m = result["cached PDF"]
        print(f"  {'cached PDF':<10} {m['median']:>10.1f} {m['p95']:>9.1f} {'':>7} {'':>8}   "
              f"{_verdict('cached PDF', m['p95'])} (rendered once in {m['render']:.0f} ms, {m['bytes']:,} bytes)")
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
