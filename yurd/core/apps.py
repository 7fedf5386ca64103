from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_tables(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """The shared cache's table (settings.CACHES["shared"]) comes with `yurd migrate`."""
    if sender.label == "core":
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "yurd.core"
    label = "core"

    def ready(self) -> None:
        # Connects the change-context receiver to simple-history's signal (models are not
        # loaded yet when apps.py is imported, so here, not at the top).
        from yurd.core import history  # noqa: F401, PLC0415
        from yurd.core.derived import refresh_after_migrate  # noqa: PLC0415 - it reads models, loaded only now

        post_migrate.connect(_create_cache_tables, dispatch_uid="yurd_create_cache_tables")
        post_migrate.connect(refresh_after_migrate, dispatch_uid="yurd_refresh_derived_keys")
