from django.apps import AppConfig


class TestimoniesConfig(AppConfig):
    name = "yurd.testimonies"
    label = "testimonies"
