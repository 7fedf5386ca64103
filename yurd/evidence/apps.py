from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "yurd.evidence"
    label = "evidence"
