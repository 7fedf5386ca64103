from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yurd.core"
    label = "core"
