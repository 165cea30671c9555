from django.urls import path
from django.views.generic.base import RedirectView

from . import views_interview, views_knowledge, views_result, views_simulate

app_name = "finder"
urlpatterns = [
    path("", views_knowledge.home, name="home"),
    # browsers ask for /favicon.ico where a page names no icon (JSON, SVG, PDF): the pages' own icon
    path("favicon.ico", RedirectView.as_view(url="/static/finder/favicon.svg", permanent=True), name="favicon"),
    path("interview/", views_interview.interview, name="interview"),
    path("result/", views_result.result, name="result"),
    path("result.json", views_result.result_json, name="result-json"),
    path("result.pdf", views_result.result_pdf, name="result-pdf"),
    path("profile.yaml", views_result.profile_yaml, name="profile-yaml"),
    path("simulate/", views_simulate.simulate_page, name="simulate"),
    path("simulate.csv", views_simulate.simulate_csv, name="simulate-csv"),
    path("simulate.pdf", views_simulate.simulate_pdf, name="simulate-pdf"),
    path("knowledge/", views_knowledge.knowledge, name="knowledge"),
    path("knowledge/figures/<str:category>.svg", views_knowledge.figure, name="figure"),
    path("knowledge/states/", views_knowledge.states, name="states"),
    path("knowledge/states.json", views_knowledge.states_json, name="states-json"),
    path("knowledge/<str:kind>.json", views_knowledge.knowledge_kind_json, name="kind-json"),
    path("knowledge/<str:kind>/", views_knowledge.knowledge_kind, name="kind"),
    path("knowledge/<str:kind>/<str:item_id>.json", views_knowledge.knowledge_item_json, name="item-json"),
    path("knowledge/<str:kind>/<str:item_id>/", views_knowledge.knowledge_item, name="item"),
]
