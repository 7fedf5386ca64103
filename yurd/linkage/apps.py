from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "yurd.linkage"
    label = "linkage"
