"""Roles are groups with permissions. Each app lists what each role may do in its own
`yurd/<app>/roles.py` as ROLE_PERMISSIONS = {Role.X: ["app_label.codename", ...]};
sync_role_groups() gathers them all after every migrate.

The vocabulary and the merging live here, below every app, so that an app low in the
stack (places) can name roles without importing accounts: apps are found through the
app registry, never imported by name.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    REGISTRAR = "registrar", _("registrar")
    ASSESSOR = "assessor", _("assessor")
    REVIEWER = "reviewer", _("reviewer")
    HERITAGE_RESEARCHER = "heritage_researcher", _("heritage researcher")
    ARCHIVIST = "archivist", _("archivist")
    ANALYST = "analyst", _("analyst")
    AUDITOR = "auditor", _("auditor")


def collected_role_permissions() -> dict[str, set[str]]:
    """Every app's ROLE_PERMISSIONS merged: role -> {"app_label.codename"}."""
    merged: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        if not config.name.startswith("yurd."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.roles")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.roles":
                raise
            continue
        for role, permissions in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[str(role)].update(permissions)
    return merged


def sync_role_groups(**_kwargs: object) -> None:
    """Create one group per role and give it exactly the permissions the apps declare."""
    wanted = collected_role_permissions()
    for role, labels in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for label in sorted(labels):
            app_label, codename = label.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                raise LookupError(f"Role {role} names permission {label}, which does not exist.")
            permissions.append(permission)
        group.permissions.set(permissions)


_AUDIT = ["core.view_access_log", "core.view_accesslogentry", "core.view_change_log"]

ROLE_PERMISSIONS = {
    Role.AUDITOR: _AUDIT,
    Role.ADMINISTRATOR: [*_AUDIT, "core.view_all_jobs", "core.run_maintenance"],
}
