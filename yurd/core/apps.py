from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yurd.core"
    label = "core"

    def ready(self) -> None:
        # Connects the change-context receiver to simple-history's signal.
        from yurd.core import history  # noqa: F401
