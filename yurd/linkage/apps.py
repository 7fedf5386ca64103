from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "yurd.linkage"
    label = "linkage"

    def ready(self) -> None:
        # Every registry import batch is matched before it is committed.
        from yurd.linkage.importing import match_import_batch  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.registry.imports import register_pre_commit_hook  # noqa: PLC0415 - models are not loaded when apps.py is

        register_pre_commit_hook(match_import_batch)
