"""WSGI entry point: `waitress-serve pathways.web.wsgi:application` (what `pathways serve` runs)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.web.settings")
application = get_wsgi_application()
