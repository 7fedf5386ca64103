from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "yurd.fieldwork"
    label = "fieldwork"
