from django.urls import path

from . import simulate  # noqa: F401  (registers /simulate and /reforms on the API)
from .views import api

urlpatterns = [path("", api.urls)]
