from django.apps import AppConfig


class CasualtiesConfig(AppConfig):
    name = "yurd.casualties"
    label = "casualties"

    def ready(self) -> None:
        from yurd.casualties.capture import capture_tables
        from yurd.estimation import sources

        # `yurd estimate --register` reads the linked register through this source.
        sources.register_source("register", capture_tables)
