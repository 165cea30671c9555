from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "pathways.web.finder"
    label = "finder"
