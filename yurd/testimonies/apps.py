from django.apps import AppConfig


class TestimoniesConfig(AppConfig):
    name = "yurd.testimonies"
    label = "testimonies"

    def ready(self) -> None:
        from yurd.evidence.selectors import register_seal  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.testimonies.selectors import testimony_media_q  # noqa: PLC0415 - models are not loaded when apps.py is

        # A testimony's restriction, scope or withdrawal seals its media in the whole vault.
        register_seal("testimonies", testimony_media_q)
