from django.urls import path

from . import views

app_name = "finder"
urlpatterns = [
    path("", views.home, name="home"),
    path("interview/", views.interview, name="interview"),
    path("result/", views.result, name="result"),
    path("result.json", views.result_json, name="result-json"),
    path("result.pdf", views.result_pdf, name="result-pdf"),
    path("profile.yaml", views.profile_yaml, name="profile-yaml"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("knowledge/figures/<str:category>.svg", views.figure, name="figure"),
    path("knowledge/<str:kind>.json", views.knowledge_kind_json, name="kind-json"),
    path("knowledge/<str:kind>/", views.knowledge_kind, name="kind"),
    path("knowledge/<str:kind>/<str:item_id>.json", views.knowledge_item_json, name="item-json"),
    path("knowledge/<str:kind>/<str:item_id>/", views.knowledge_item, name="item"),
]
