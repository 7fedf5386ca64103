from django.apps import AppConfig


class CasualtiesConfig(AppConfig):
    name = "yurd.casualties"
    label = "casualties"

    def ready(self) -> None:
        from yurd.casualties.capture import capture_tables  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.estimation import sources  # noqa: PLC0415 - imported with the source it registers

        # `yurd estimate --register` reads the linked register through this source.
        sources.register_source("register", capture_tables)
