from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "yurd.heritage"
    label = "heritage"

    def ready(self) -> None:
        # Both import models, which exist only once the registry is ready, not when apps.py loads.
        from yurd.evidence.selectors import register_target_group
        from yurd.heritage.selectors import evidence_targets_for_site

        # `yurd evidence bag --site CODE`: the site's evidence and its observations'.
        register_target_group("site", evidence_targets_for_site)
