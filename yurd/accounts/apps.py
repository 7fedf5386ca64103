from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_after_last_app(sender: AppConfig, **kwargs: Any) -> None:
    # post_migrate is sent once per app that has models; every permission exists only
    # after the last of those (an app without models.py never sends it).
    if sender is [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        from yurd.accounts.roles import sync_role_groups  # noqa: PLC0415 - roles imports auth models, not loaded when apps.py is

        sync_role_groups()


class AccountsConfig(AppConfig):
    name = "yurd.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_after_last_app, dispatch_uid="yurd_sync_role_groups")
