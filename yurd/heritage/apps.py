from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "yurd.heritage"
    label = "heritage"

    def ready(self) -> None:
        # Both import models, which exist only once the registry is ready, not when apps.py loads.
        from yurd.evidence.selectors import (  # noqa: PLC0415 - models are not loaded when apps.py is
            register_impersonal_records,
            register_target_group,
        )
        from yurd.heritage.models import OBSERVATION_TARGET, SITE_TARGET  # noqa: PLC0415 - as above
        from yurd.heritage.selectors import evidence_targets_for_site  # noqa: PLC0415 - models are not loaded when apps.py is

        # `yurd evidence bag --site CODE`: the site's evidence and its observations'.
        register_target_group("site", evidence_targets_for_site)
        # Sites and observations name no one: their evidence may be shown to the analyst.
        register_impersonal_records(SITE_TARGET)
        register_impersonal_records(OBSERVATION_TARGET)
