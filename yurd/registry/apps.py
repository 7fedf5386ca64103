from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yurd.registry"
    label = "registry"
