from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yurd.reports"
    label = "reports"
