from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "yurd.places"
    label = "places"

    def ready(self) -> None:
        # Both import models, which exist only once the registry is ready, not when apps.py loads.
        from yurd.core.derived import register_key_refresher  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.core.tasks import register_integrity_check  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.places.integrity import PLACE_PATHS  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.places.services import places_reindex  # noqa: PLC0415 - models are not loaded when apps.py is

        register_integrity_check(PLACE_PATHS)
        # `yurd migrate` recomputes the places' search keys when the folding rules changed.
        register_key_refresher("places search keys", places_reindex)
