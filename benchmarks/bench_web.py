"""The web server under load: POST /api/v1/evaluate next to a bare GET /api/v1/hello.

Starts the README's production command (`pathways serve --port P`, waitress) on a free port
of 127.0.0.1 with a data directory of its own, waits for it, runs `wrk -t2 -c32 -d15s
--latency` against each endpoint in turn (the evaluate body from a Lua script, JSON content
type), prints requests/s and p50/p99 latency for each, and stops the server. Traffic goes
to 127.0.0.1 only, and each run is bounded by wrk's duration.

Needs Debian's wrk (`apt-get install wrk`; .ci/run installs it).
Run: .venv/bin/python benchmarks/bench_web.py [--duration 15s] [--connections 32] [--threads 2]
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
from pathlib import Path

PATHWAYS = Path(sys.executable).with_name("pathways")
PROFILE = {"citizenships": ["UG"], "stage": "student", "enrolled_in_us_school": False, "final_year": True,
           "school_recognized_by_mbc": True, "current_us_status": "none", "host": {"dean_approved_elective": True},
           "desired_contact": "supervised", "start_date": "2026-09-01", "duration_weeks": 8}
LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = {body}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _wait(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
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
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr}")
    return parse(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="15s")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        tmp_path = Path(tmp)
        script = tmp_path / "evaluate.lua"
        script.write_text(LUA.format(body=_lua_string(json.dumps(PROFILE))))
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        command = [str(PATHWAYS), "serve", "--port", str(port)] if PATHWAYS.exists() else \
            [sys.executable, "-m", "pathways.cli", "serve", "--port", str(port)]
        log = open(tmp_path / "serve.log", "w")  # a file, not a pipe: a full pipe would stall the server
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait(f"{base}/api/v1/hello", server)
            # one request each first: the evaluation answers 200 with the contract's JSON
            request = urllib.request.Request(f"{base}/api/v1/evaluate", data=json.dumps(PROFILE).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                first = json.load(response)
            assert first["pathways"], first
            print(f"`pathways serve` (waitress) on {base}; wrk -t{args.threads} -c{args.connections} "
                  f"-d{args.duration} --latency; {os.cpu_count()} cores")
            print(f"{'endpoint':32} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8}")
            for name, url, lua in (("POST /api/v1/evaluate", f"{base}/api/v1/evaluate", script),
                                   ("GET /api/v1/hello", f"{base}/api/v1/hello", None)):
                r = wrk(url, args.threads, args.connections, args.duration, lua)
                print(f"{name:32} {r['rps']:11.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['requests']:9d} "
                      f"{r['non_2xx']:8d}  {r['socket_errors']}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            queue_warnings = (tmp_path / "serve.log").read_text().count("Task queue depth")
            if queue_warnings:
                print(f"(waitress warned {queue_warnings} times that its task queue was deep)")


if __name__ == "__main__":
    main()
