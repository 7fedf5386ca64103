from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "yurd.claims"
    label = "claims"
