"""`pathways serve --workers N` (issue 16): N worker processes forked from one parent that
migrated and loaded the demo once; each worker answers on its own; one that dies is replaced;
SIGTERM, or Ctrl-C at a terminal (SIGINT to the whole process group), stops them all and the
parent, which exits 0.

PATHWAYS_WORKERS=1 is set beside `--workers 2`, so two workers can only come from the option.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROFILE = {"citizenships": ["UG"], "stage": "student", "final_year": True, "start_date": "2026-09-01"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    script = Path(sys.executable).parent / "pathways"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pathways.cli"]


def _hello(base: str, timeout: float = 5) -> int:
    with urllib.request.urlopen(f"{base}/api/v1/hello", timeout=timeout) as response:
        return response.status


def _evaluate(base: str) -> dict:
    request = urllib.request.Request(f"{base}/api/v1/evaluate?detail=summary", data=json.dumps(PROFILE).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.load(response)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return sorted(found)


def _until(check, seconds: float = 20, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"not within {seconds:.0f} s: {what}", pytrace=False)


class Serving:
    """`pathways serve --port P --workers 2` in a process group of its own."""

    def __init__(self, data: Path):
        self.port, self.log_path = _free_port(), data / "serve.log"
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "XDG_DATA_HOME": str(data), "PATHWAYS_WORKERS": "1",
               "PATHWAYS_DEMO_PASSWORD": "serve-workers-demo-password"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("PATHWAYS_DATABASE_URL", None)  # the tests' Django sandbox sets one: this server has its own, empty
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([*_command(), "serve", "--port", str(self.port), "--workers", "2"], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

        def answers():
            if self.process.poll() is not None:
                pytest.fail(f"`pathways serve` exited {self.process.returncode}:\n{self.text()}", pytrace=False)
            try:
                return _hello(self.base, 2) == 200
            except OSError:
                return False

        _until(answers, 90, "`pathways serve --workers 2` answering")

    def text(self) -> str:
        return self.log_path.read_text()

    def end(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.log.close()


def test_two_workers_each_answering_a_dead_one_replaced_and_sigterm_stops_all(tmp_path):
    server = Serving(tmp_path)
    try:
        workers = _until(lambda: len(_children(server.process.pid)) == 2 and _children(server.process.pid), 10,
                         "two worker processes")
        assert "2 worker processes of 8 threads" in server.text()
        assert server.text().count("No institution yet: loaded the demo") == 1  # in the parent, once
        for alone in workers:  # the other one stopped: this one answers by itself
            other = next(pid for pid in workers if pid != alone)
            os.kill(other, signal.SIGSTOP)
            try:
                assert _hello(server.base) == 200
                assert _evaluate(server.base)["pathways"]
            finally:
                os.kill(other, signal.SIGCONT)
        os.kill(workers[0], signal.SIGKILL)
        replaced = _until(lambda: (lambda now: len(now) == 2 and workers[0] not in now and now)(
            _children(server.process.pid)), 20, "the killed worker replaced")
        assert workers[1] in replaced
        assert _hello(server.base) == 200
        assert f"worker {workers[0]} ended" in server.text()
        os.kill(server.process.pid, signal.SIGTERM)  # the parent only, as a service manager does
        assert server.process.wait(timeout=20) == 0, server.text()
        assert not [pid for pid in replaced if Path(f"/proc/{pid}").exists()
                    and "zombie" not in (Path(f"/proc/{pid}/status").read_text())], "a worker outlived the parent"
        assert "Traceback" not in server.text(), server.text()
        with pytest.raises(OSError):
            _hello(server.base, 2)  # nobody listens any more
    finally:
        server.end()


def test_ctrl_c_stops_the_workers_and_the_parent(tmp_path):
    server = Serving(tmp_path)
    try:
        workers = _until(lambda: len(_children(server.process.pid)) == 2 and _children(server.process.pid), 10,
                         "two worker processes")
        os.killpg(server.process.pid, signal.SIGINT)  # what a terminal sends the foreground group on Ctrl-C
        assert server.process.wait(timeout=20) == 0, server.text()
        _until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 10, "the workers gone")
        assert "Traceback" not in server.text(), server.text()
    finally:
        server.end()
