"""The web server under load: POST /api/v1/evaluate beside the bare GET /api/v1/hello, and a
worker's memory over 100,000 requests.

Speed: starts the README's production command (`pathways serve --port P`, its default
workers: one per core) on a free port of 127.0.0.1 with a data directory of its own, and runs
`wrk -t2 -c32 -d15s --latency` against, in turn, the bare endpoint, /evaluate (full detail,
the default) and /evaluate?detail=summary for one profile sent again and again, and both
details again with a new profile on every request (a nationality, start date and length of
stay never sent before: nothing the engine has cached). The five runs are made
`--rounds` times in turn (3 by default) and each one's median round is shown: this machine's
speed drifts by 10-20% from minute to minute, and a slow minute would otherwise decide
the ratio of whichever endpoint it fell on. It prints requests/s, p50 and p99 for each,
and each evaluation's ratios to the bare endpoint beside issue 16's targets: at least half
its requests/s, and a p99 under three times its p99.

Memory: starts `pathways serve --workers 1` (one process: every request is its own, counted
exactly by wrk), sends 1,000 evaluations, reads the worker's VmRSS (/proc/PID/status), sends
more up to 100,000 in all, reads it again and prints the change (target: within 10%). The
requests cycle through 1,000 distinct profiles (`--memory-profiles`), full and summary
detail, so that what a worker caches is filled by the first reading and any growth after it
is a leak; `--memory-profiles 100000` makes every request new (then the engine's own
caches, bounded at 50,000 verdicts each, fill up as they would on a server asked about
ever new people).

Traffic goes to 127.0.0.1 only; each wrk run is bounded by its duration.
Needs Debian's wrk (`apt-get install wrk`; .ci/run installs it).
Run: .venv/bin/python benchmarks/bench_web.py [--duration 10s] [--rounds 3] [--connections 32]
     [--threads 2] [--workers N] [--memory-requests 100000] [--memory-profiles 1000] [--no-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PATHWAYS = Path(sys.executable).with_name("pathways")
PROFILE = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "host": {"dean_approved_elective": True},
           "desired_contact": "supervised", "start_date": "2026-09-01", "duration_weeks": 8}
COUNTRIES = ["UG", "IN", "NG", "BR", "FR", "MX", "PK", "EG", "PH", "KE"]
DISTINCT = len(COUNTRIES) * 3650 * 52  # distinct profiles the Lua scripts make
TARGET_RPS, TARGET_P99, TARGET_MEMORY = 0.5, 3.0, 10.0

ONE_BODY = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = {body}
"""

# Profile number i: a nationality, a start date and a length of stay, so that every number
# below 10 * 3650 * 52 is a different person. Thread k of n sends numbers start + k,
# start + k + n, ... (modulo `count`); with `limit`, a thread stops after `limit` answers.
MANY_BODIES = """local countries = {countries}
local template = {template}
local count, limit, path, start, step = {count}, {limit}, "{path}", {start}, {threads}
local counter, answered, made = 0, 0, 0
local first = os.time{{year = 2026, month = 9, day = 1, hour = 12}}
offset = 0  -- a global: each thread's own, set by setup()

function setup(thread)
  thread:set("offset", made)
  made = made + 1
end

function request()
  local i = (start + offset + counter * step) % count
  counter = counter + 1
  local country = countries[(i % #countries) + 1]
  local day = os.date("!%Y-%m-%d", first + (math.floor(i / #countries) % 3650) * 86400)
  local weeks = 1 + math.floor(i / (#countries * 3650)) % 52
  local body = string.format(template, country, day, weeks)
  return wrk.format("POST", path, {{["Content-Type"] = "application/json"}}, body)
end

function response(status, headers, body)
  answered = answered + 1
  if limit > 0 and answered >= limit then wrk.thread:stop() end
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _template() -> str:
    """PROFILE with its nationality, start date and length of stay left for string.format."""
    profile = {**PROFILE, "citizenships": ["@C"], "start_date": "@D", "duration_weeks": 0}
    text = json.dumps(profile).replace("%", "%%")
    return text.replace('"@C"', '"%s"').replace('"@D"', '"%s"').replace('"duration_weeks": 0', '"duration_weeks": %d')


def many_bodies(path: str, count: int, threads: int, limit: int = 0, start: int = 0) -> str:
    return MANY_BODIES.format(countries="{" + ", ".join(f'"{c}"' for c in COUNTRIES) + "}",
                              template=_lua_string(_template()), count=count, limit=limit, path=path,
                              threads=threads, start=start)


def _wait(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse(output: str) -> dict:
    """Requests/s, p50 and p99 (ms), and non-2xx/3xx and socket errors from wrk --latency."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: _ms(*re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()) for p in ("50", "99")}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"], "requests": total,
            "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": socket_errors.group(0) if socket_errors else ""}


def wrk(url: str, threads: int, connections: int, duration: str, script: Path | None = None) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr}")
    return parse(done.stdout)


def _post(url: str, body: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


@contextmanager
def server(tmp: Path, *args: str):
    """`pathways serve --port P [args]` on a data directory of its own; yields (base URL, process)."""
    port = _free_port()
    data = tmp / f"data-{port}"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATHWAYS_DEMO_PASSWORD": "bench-web-demo-password"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [str(PATHWAYS)] if PATHWAYS.exists() else [sys.executable, "-m", "pathways.cli"]
    log_path = tmp / f"serve-{port}.log"
    log = open(log_path, "w")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen([*command, "serve", "--port", str(port), *args], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/api/v1/hello", process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        warnings = log_path.read_text().count("Task queue depth")
        if warnings:
            print(f"(waitress warned {warnings} times that its task queue was deep)")


def workers_of(pid: int) -> list[int]:
    """The server's worker processes: its children, or itself when it has none (--workers 1)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return sorted(children) or [pid]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def _row(name: str, r: dict) -> str:
    return (f"{name:44} {r['rps']:10.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['requests']:9d} "
            f"{r['non_2xx']:8d}  {r['socket_errors']}")


def speed(tmp: Path, args) -> None:
    one = tmp / "one.lua"
    one.write_text(ONE_BODY.format(body=_lua_string(json.dumps(PROFILE))))
    workers = ["--workers", str(args.workers)] if args.workers else []
    with server(tmp, *workers) as (base, process):
        pids = workers_of(process.pid)
        for detail in ("full", "summary"):  # one request each first: 200 with the contract's JSON
            status, body = _post(f"{base}/api/v1/evaluate?detail={detail}", PROFILE)
            assert status == 200 and json.loads(body)["pathways"], body[:300]
        print(f"`pathways serve{' ' + ' '.join(workers) if workers else ''}` (waitress, {len(pids)} worker "
              f"process{'es' if len(pids) > 1 else ''}) on {base}; wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration} --latency; {os.cpu_count()} cores; answer sizes: "
              + ", ".join(f"{d} {len(_post(f'{base}/api/v1/evaluate?detail={d}', PROFILE)[1]) / 1000:.0f} KB"
                          for d in ("full", "summary")))
        print(f"{'endpoint':44} {'requests/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8}")
        results = {}
        runs = [("GET /api/v1/hello (bare)", f"{base}/api/v1/hello", None)]
        for detail in ("full", "summary"):
            url = f"{base}/api/v1/evaluate" + ("" if detail == "full" else "?detail=summary")
            runs.append((f"POST /api/v1/evaluate {detail}, one profile", url, one))
            fresh = tmp / f"fresh-{detail}.lua"
            fresh.write_text(many_bodies(url.removeprefix(base), DISTINCT, args.threads,
                                         start=0 if detail == "full" else DISTINCT // 2))
            runs.append((f"POST /api/v1/evaluate {detail}, new profiles", url, fresh))
        rounds: dict[str, list[dict]] = {name: [] for name, _, _ in runs}
        for _ in range(args.rounds):  # in turn, so that a slow minute falls on every endpoint alike
            for name, url, script in runs:
                rounds[name].append(wrk(url, args.threads, args.connections, args.duration, script))
        for name, _, _ in runs:
            results[name] = r = median_round(rounds[name])
            each = ", ".join(f"{x['rps']:.0f}" for x in rounds[name])
            print(_row(name, r) + (f"  (rounds: {each})" if args.rounds > 1 else ""))
        bare = results[runs[0][0]]
        print(f"\nagainst the bare endpoint (targets: requests/s >= {TARGET_RPS}x, p99 < {TARGET_P99}x):")
        for name, _, _ in runs[1:]:
            r = results[name]
            ratio, p99 = r["rps"] / bare["rps"], r["p99_ms"] / bare["p99_ms"]
            met = "met" if ratio >= TARGET_RPS and p99 < TARGET_P99 and not r["non_2xx"] else "NOT met"
            print(f"  {name:44} {ratio:5.2f}x requests/s, {p99:5.2f}x p99: {met}")


def median_round(rounds: list[dict]) -> dict:
    """The round whose requests/s is the median (the lower middle one of an even number)."""
    return sorted(rounds, key=lambda r: r["rps"])[(len(rounds) - 1) // 2]


def _send(base: str, tmp: Path, args, total: int, count: int, threads: int, start: int = 0) -> int:
    """About `total` evaluations (half full, half summary) of profiles numbered from `start` at
    -c connections; the number wrk counted."""
    sent, rate = 0, 300.0
    while sent < total:
        for detail in ("full", "summary"):
            want = (total - sent + 1) // 2 if detail == "full" else total - sent
            if want <= 0:
                break
            script = tmp / f"memory-{detail}.lua"
            path = "/api/v1/evaluate" + ("" if detail == "full" else "?detail=summary")
            script.write_text(many_bodies(path, count, threads, limit=-(-want // threads), start=start + sent))
            seconds = min(300, max(2, int(want / rate * 1.25) + 2))  # wrk waits its whole duration
            started = time.monotonic()
            r = wrk(base + path, threads, args.connections, f"{seconds}s", script)
            if r["non_2xx"]:
                raise SystemExit(f"{r['non_2xx']} answers were not 2xx")
            sent += r["requests"]
            rate = max(50.0, r["requests"] / max(0.1, time.monotonic() - started))
    return sent


def memory(tmp: Path, args) -> None:
    threads, checkpoints = args.threads, [1_000, 10_000, args.memory_requests // 2, args.memory_requests]
    with server(tmp, "--workers", "1") as (base, process):
        pid = workers_of(process.pid)[0]
        print(f"\nmemory of the worker (`pathways serve --workers 1`, pid {pid}; {args.memory_profiles:,} distinct "
              f"profiles, full and summary), VmRSS:")
        sent, readings = 0, []
        for checkpoint in sorted(set(checkpoints)):
            sent += _send(base, tmp, args, checkpoint - sent, args.memory_profiles, threads, sent)
            readings.append((sent, rss_mb(pid)))
            print(f"  after {sent:>7,} requests: {readings[-1][1]:6.1f} MB", flush=True)
        (first, before), (total, after) = readings[0], readings[-1]
        change = (after - before) / before * 100
        print(f"  from {first:,} to {total:,} requests: {change:+.1f}% (target: within {TARGET_MEMORY:g}%: "
              f"{'met' if abs(change) <= TARGET_MEMORY else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="10s", help="each wrk run's")
    parser.add_argument("--rounds", type=int, default=3, help="times the five runs are made in turn")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="the server's --workers (default: its own)")
    parser.add_argument("--memory-requests", type=int, default=100_000)
    parser.add_argument("--memory-profiles", type=int, default=1_000)
    parser.add_argument("--no-memory", action="store_true", help="the speed runs only")
    parser.add_argument("--no-speed", action="store_true", help="the memory run only")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        if not args.no_speed:
            speed(Path(tmp), args)
        if not args.no_memory:
            memory(Path(tmp), args)


if __name__ == "__main__":
    main()
