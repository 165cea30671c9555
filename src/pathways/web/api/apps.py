from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pathways.web.api"
    label = "pathways_api"
