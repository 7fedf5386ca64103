"""The main navigation, gathered from each app's `navigation.py`.

Each app lists NAVIGATION = [NavItem(label, url_name, permission, order=…, group=…)]; an
item shows to users holding its permission (or to every logged-in user when permission
is empty). Items are shown in the groups of GROUPS, in that order, each group's items by
their order. Exactly one item is current: the one whose address is the longest prefix of
the page's path (Dashboard at /reports/ is not current on /reports/statistics/).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The navigation's groups, in the order the menu shows them.
GROUPS: dict[str, Any] = {
    "registry": _("Registry"),
    "claims": _("Claims"),
    "heritage": _("Heritage and memory"),
    "evidence": _("Evidence"),
    "reports": _("Reports"),
    "administration": _("Administration"),
}


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str = ""
    order: int = 100
    group: str = "administration"


@cache
def _all_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yurd."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.navigation":
                raise
            continue
        items.extend(getattr(module, "NAVIGATION", []))
    group_order = list(GROUPS)
    for item in items:
        if item.group not in GROUPS:
            raise ImproperlyConfigured(f"Navigation item {item.url_name} names an unknown group {item.group!r}.")
    return tuple(sorted(items, key=lambda item: (group_order.index(item.group), item.order)))


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "navigation_groups": []}
    visible = []
    for item in _all_items():
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "group": item.group, "active": False})
    matching = [entry for entry in visible if entry["url"] != "/" and request.path.startswith(entry["url"])]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    groups: list[dict[str, Any]] = []
    for key, label in GROUPS.items():
        entries = [entry for entry in visible if entry["group"] == key]
        if entries:
            active = any(entry["active"] for entry in entries)
            groups.append({"key": key, "label": label, "items": entries, "active": active})
    return {"navigation": visible, "navigation_groups": groups}
