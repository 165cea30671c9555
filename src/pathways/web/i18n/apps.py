from django.apps import AppConfig


class I18nConfig(AppConfig):
    name = "pathways.web.i18n"
    label = "pathways_i18n"
