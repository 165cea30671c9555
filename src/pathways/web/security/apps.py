from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "pathways.web.security"
    label = "pathways_security"
    verbose_name = "Security"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the security log's receivers)
