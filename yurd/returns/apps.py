from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "yurd.returns"
    label = "returns"
