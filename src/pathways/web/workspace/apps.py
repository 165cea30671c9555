from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "pathways.web.workspace"
    label = "workspace"
    verbose_name = "Institutions' workspace"
