from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("pathways.web.api.urls")),
    path("admin/", admin.site.urls),
    path("workspace/", include("pathways.web.workspace.urls")),
    path("", include("pathways.web.finder.urls")),
]
