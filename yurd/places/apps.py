from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "yurd.places"
    label = "places"

    def ready(self) -> None:
        # Both import models, which exist only once the registry is ready, not when apps.py loads.
        from yurd.core.tasks import register_integrity_check
        from yurd.places.integrity import PLACE_PATHS

        register_integrity_check(PLACE_PATHS)
