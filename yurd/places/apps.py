from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "yurd.places"
    label = "places"
