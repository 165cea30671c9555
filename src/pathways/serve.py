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


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(host: str, port: int, threads: int = 8) -> None:
    if host in LOOPBACK:
        # Plain http on this machine only: a Secure cookie would never be sent back over it,
        # and a cookie that cannot leave the machine gains nothing from the flag.
        os.environ.setdefault("PATHWAYS_INSECURE_COOKIES", "1")
    setup_django()
    migrate()
    from waitress import serve as waitress_serve

    from .web.engine import get_engine
    from .web.wsgi import application

    get_engine()  # load the knowledge before the first visitor
    sys.stdout.write(f"Exchange Pathways on http://{host}:{port}/ (Ctrl-C to stop)\n")
    sys.stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="exchange-pathways")
