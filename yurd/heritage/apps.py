from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "yurd.heritage"
    label = "heritage"
