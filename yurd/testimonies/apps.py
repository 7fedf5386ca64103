from django.apps import AppConfig


class TestimoniesConfig(AppConfig):
    name = "yurd.testimonies"
    label = "testimonies"

    def ready(self) -> None:
        from yurd.evidence.selectors import register_seal
        from yurd.testimonies.selectors import testimony_media_q

        # A testimony's restriction, scope or withdrawal seals its media in the whole vault.
        register_seal("testimonies", testimony_media_q)
