from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("pathways.web.api.urls")),
    path("", include("pathways.web.finder.urls")),
]
