from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yurd.api"
    label = "api"
