"""`pathways serve`: apply migrations, then run the app with waitress (a production WSGI server).

Production-minded by default:

- files are made private (umask 0o077 before anything is written: the data directory 0700,
  the database, the secret key and the uploads 0600);
- waitress reads requests asynchronously, so a slow or half-sent request holds a connection,
  never a worker thread; its limits are tuned (`waitress_options`): idle connections closed
  after 30 s, up to 1000 connections per process, request headers at most 64 KiB, bodies at
  most 64 MiB; its own error answers (400, 413, 431, 500) carry the security headers too;
- `--workers N` worker processes (PATHWAYS_WORKERS; default: one per core this process may
  run on, so the engine, which holds the GIL while it evaluates, uses every core), forked
  from a parent that migrated, loaded the knowledge, loaded the demo and bound the socket
  once; a worker that dies is replaced; SIGTERM or Ctrl-C stops them all, then the parent.
  The lockout and every cache that must be shared live in the database, not in a worker.
  Not gunicorn: its sync and threaded workers read a request on a worker thread, so a hundred
  half-sent requests would hold every thread (tests/workspace/test_hardening.py checks that
  they do not, here);
- `--behind-proxy` (PATHWAYS_BEHIND_PROXY=1): behind a TLS-terminating proxy such as nginx,
  whose X-Forwarded-For/-Proto/-Host waitress trusts (from PATHWAYS_TRUSTED_PROXY; on a
  loopback address, from any local peer) and Django reads (settings.py): https, HSTS, Secure
  cookies, the client's own address for the sign-in lockout.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import sys
import time

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def private_umask() -> None:
    """Files and folders this process makes are its owner's only (0600, 0700)."""
    os.umask(0o077)


def fewer_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives threads that allocate at once arenas of their own (up to eight per core) and
    keeps what each freed, so a worker's eight threads made its memory creep up request after
    request (benchmarks/bench_web.py: +11% from 1,000 to 100,000 requests; +7% with two
    arenas, most of it the API's bounded cache filling). Set in the parent before any thread
    or fork; MALLOC_ARENA_MAX in the environment wins."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-8, arenas)  # M_ARENA_MAX (malloc.h)
    except (OSError, AttributeError):  # pragma: no cover (no glibc: musl, macOS)
        pass


def setup_django() -> None:
    private_umask()  # before settings make the data directory, the database and the key
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _terminal(out):
    """Where a secret may be shown: `out` if it is a terminal, else the process's controlling
    terminal, else nowhere (None): never a file or a pipe that a log collects."""
    try:
        if out.isatty():
            return out
    except (AttributeError, ValueError):
        pass
    try:
        return open("/dev/tty", "w")
    except OSError:
        return None


def workspace_start(out) -> None:
    """Re-evaluate open cases against the knowledge base loaded now; with no institution yet,
    load the demo. Its users' new random passwords are shown once, on the terminal only (not
    where standard output is a file or a pipe: a log); PATHWAYS_DEMO_PASSWORD sets them instead."""
    from .workspace.cases import reevaluate_open_cases
    from .workspace.models import Institution

    flagged = reevaluate_open_cases()
    if flagged:
        out.write(f"The knowledge base changed: {len(flagged)} open case(s) moved; see the workspace's dashboard.\n")
    if not Institution.objects.exists():
        from .workspace.demo import load_demo

        chosen = os.environ.get("PATHWAYS_DEMO_PASSWORD") or None
        result = load_demo(chosen)
        out.write(f"No institution yet: loaded the demo, {result.institution.name!r} ({result.cases} cases). "
                  f"Its users: {', '.join(result.passwords)}.\n")
        if chosen:
            out.write("Their password is PATHWAYS_DEMO_PASSWORD's. Sign in at /workspace/login/.\n")
        else:
            terminal = _terminal(out)
            if terminal is None:
                out.write("Their random passwords are shown only on a terminal, never in a log: "
                          "set them with `pathways demo --password ...`.\n")
            else:
                if terminal is not out:
                    out.write("Their passwords are shown on the terminal only.\n")
                    out.flush()
                terminal.write("Sign in at /workspace/login/ as (shown once, not logged):\n")
                for username, secret in result.passwords.items():
                    terminal.write(f"  {username} / {secret}\n")
                terminal.flush()
                if terminal is not out:
                    terminal.close()
    out.flush()


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}: {value!r} is not a whole number; accepted: a number such as {default}") from None


def cores() -> int:
    """The cores this process may run on (its CPU affinity: a container's or taskset's share)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def worker_count(workers: int | None = None) -> int:
    """`--workers`, else PATHWAYS_WORKERS, else one per core."""
    return max(1, workers if workers is not None else _int("PATHWAYS_WORKERS", cores()))


def _open_files(wanted: int) -> int:
    """The soft limit of open files raised toward `wanted` (within the hard limit); the limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover (not POSIX)
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return wanted if soft == resource.RLIM_INFINITY else soft


def waitress_options(host: str, threads: int, behind_proxy: bool) -> dict:
    """waitress's adjustments: limits against slow and greedy clients, and the proxy."""
    connections = _int("PATHWAYS_CONNECTION_LIMIT", 1000)
    connections = max(100, min(connections, _open_files(connections + 200) - 200))
    options = {
        "threads": threads,
        "ident": "exchange-pathways",
        "connection_limit": connections,  # per process; past it waitress stops accepting for a moment
        "channel_timeout": _int("PATHWAYS_CHANNEL_TIMEOUT", 30),  # seconds a silent connection is kept
        "cleanup_interval": _int("PATHWAYS_CLEANUP_INTERVAL", 10),  # how often that is checked
        "max_request_header_size": 64 * 1024,  # 431 past it
        "max_request_body_size": _int("PATHWAYS_MAX_BODY_MB", 64) * 1024 * 1024,  # 413 past it
        "asyncore_use_poll": True,  # select() stops at 1024 descriptors
        "backlog": 1024,
        "expose_tracebacks": False,
    }
    if behind_proxy:
        trusted = os.environ.get("PATHWAYS_TRUSTED_PROXY", "").strip()
        if not trusted:
            if host not in LOOPBACK:
                raise SystemExit("pathways serve --behind-proxy on a non-loopback address: set PATHWAYS_TRUSTED_PROXY "
                                 "to the proxy's address (or * to trust every peer), or anyone could forge the "
                                 "X-Forwarded-* headers.")
            trusted = "*"  # only this machine can reach a loopback address: its proxy
        options.update(trusted_proxy=trusted, trusted_proxy_count=1,
                       trusted_proxy_headers="x-forwarded-for x-forwarded-host x-forwarded-proto x-forwarded-port")
    # Without a trusted proxy waitress removes every X-Forwarded-* header (its default).
    return options


def warm() -> None:
    """What each worker would otherwise do on its first requests, done once before the fork:
    the knowledge loaded, today's rules compiled, every URL and view imported (the API's
    routes built). The workers start with it and share its memory."""
    from django.urls import get_resolver

    from .engine import get_engine
    from .wsgi import application  # noqa: F401  (Django's handler and its middleware)

    get_engine().find({})
    get_resolver().reverse_dict  # noqa: B018  (imports every urls.py, and so every view)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound once by the parent and shared by its workers."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _secure_channel():
    """waitress's channel whose own error answers carry the security headers."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    from .headers import HEADERS

    class SecureErrorTask(ErrorTask):
        def execute(self):
            self.response_headers.extend([*HEADERS.items(), ("Cache-Control", "no-store")])
            super().execute()

    class SecureChannel(HTTPChannel):
        error_task_class = SecureErrorTask

    return SecureChannel


def run_worker(sock: socket.socket, options: dict) -> None:
    """One process's waitress on the shared socket, until a signal ends it."""
    from waitress.server import create_server

    from .wsgi import application

    server = create_server(application, sockets=[sock], **options)
    server.channel_class = _secure_channel()
    server.run()


class Workers:
    """The parent: forks `count` workers on one socket, replaces one that dies, and on SIGTERM
    or SIGINT stops them all and returns."""

    def __init__(self, sock: socket.socket, options: dict, count: int):
        self.sock, self.options, self.count = sock, options, count
        self.children: dict[int, float] = {}  # pid -> when it started
        self.stopping = False

    def spawn(self) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                run_worker(self.sock, self.options)
            except KeyboardInterrupt:
                pass
            except BaseException:  # noqa: BLE001 (reported, then the parent starts another)
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.children[pid] = time.monotonic()

    def stop(self, signum=None, frame=None) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def run(self) -> None:
        from django.db import connections

        connections.close_all()  # no connection crosses a fork
        gc.collect()
        gc.freeze()  # what the parent made stays out of the workers' collections: shared, not copied
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for _ in range(self.count):
            self.spawn()
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            code = os.waitstatus_to_exitcode(status)
            sys.stderr.write(f"pathways serve: worker {pid} ended ({code}); starting another\n")
            if time.monotonic() - started < 5:
                time.sleep(1)  # not a tight loop when a worker cannot start
            if not self.stopping:
                self.spawn()


def serve(host: str, port: int, threads: int = 8, behind_proxy: bool = False, workers: int | None = None) -> None:
    private_umask()
    fewer_malloc_arenas()
    if behind_proxy:
        os.environ["PATHWAYS_BEHIND_PROXY"] = "1"
    behind_proxy = os.environ.get("PATHWAYS_BEHIND_PROXY", "").strip().lower() in ("1", "true", "yes", "on")
    if host in LOOPBACK and not behind_proxy:
        # Plain http on this machine only: a Secure cookie would never be sent back over it.
        # Behind a proxy the loopback address is where the proxy talks to us: cookies stay Secure.
        os.environ.setdefault("PATHWAYS_INSECURE_COOKIES", "1")
    options = waitress_options(host, threads, behind_proxy)
    count = worker_count(workers) if hasattr(os, "fork") else 1  # a bad PATHWAYS_WORKERS stops us before any work
    setup_django()
    migrate()
    warm()  # before the first visitor, and before the workers fork
    workspace_start(sys.stdout)
    sock = listen(host, port)
    scheme = "https (behind the proxy)" if behind_proxy else "http"
    shown = f"[{host}]" if ":" in host else host
    sys.stdout.write(f"Exchange Pathways on http://{shown}:{port}/ ({scheme}; {count} worker process"
                     f"{'es' if count > 1 else ''} of {threads} threads; Ctrl-C to stop)\n")
    sys.stdout.flush()
    if count == 1:
        run_worker(sock, options)
    else:
        Workers(sock, options, count).run()
