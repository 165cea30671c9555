"""`pathways serve`: apply migrations, then run the app with waitress (a production WSGI server)."""

from __future__ import annotations

import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def workspace_start(out) -> None:
    """Re-evaluate open cases against the knowledge base loaded now; with no institution yet,
    load the demo (its users' passwords printed once, or PATHWAYS_DEMO_PASSWORD)."""
    from .workspace.cases import reevaluate_open_cases
    from .workspace.models import Institution

    flagged = reevaluate_open_cases()
    if flagged:
        out.write(f"The knowledge base changed: {len(flagged)} open case(s) moved; see the workspace's dashboard.\n")
    if not Institution.objects.exists():
        from .workspace.demo import load_demo

        result = load_demo(os.environ.get("PATHWAYS_DEMO_PASSWORD") or None)
        out.write(f"No institution yet: loaded the demo, {result.institution.name!r} ({result.cases} cases). "
                  "Sign in at /workspace/login/ as:\n")
        for username, secret in result.passwords.items():
            out.write(f"  {username} / {secret}\n")
    out.flush()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(host: str, port: int, threads: int = 8) -> None:
    if host in LOOPBACK:
        # Plain http on this machine only: a Secure cookie would never be sent back over it,
        # and a cookie that cannot leave the machine gains nothing from the flag.
        os.environ.setdefault("PATHWAYS_INSECURE_COOKIES", "1")
    setup_django()
    migrate()
    from waitress import serve as waitress_serve

    from .engine import get_engine
    from .wsgi import application

    get_engine()  # load the knowledge before the first visitor
    workspace_start(sys.stdout)
    sys.stdout.write(f"Exchange Pathways on http://{host}:{port}/ (Ctrl-C to stop)\n")
    sys.stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="exchange-pathways")
