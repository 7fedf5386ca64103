"""Audit includes for record pages.

{% load audit %}
{% access_panel household %}   who accessed this record (auditors and administrators only)
{% history_table household %}  who changed it, when, what and why
"""

from __future__ import annotations

from typing import Any

from django import template

from yurd.core.access import access_history, target_of
from yurd.core.history import history_rows
from yurd.core.selectors import ACCESS_LOG_PERMISSION

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("core/_access_panel.html", takes_context=True)
def access_panel(context: template.Context, obj: Any, limit: int = 20) -> dict[str, Any]:
    user = _user(context)
    if obj is None or user is None or not user.has_perm(ACCESS_LOG_PERMISSION):
        return {"show": False}
    target_type, target_code = target_of(obj)
    return {
        "show": True,
        "entries": list(access_history(obj, limit=limit)),
        "target_type": target_type,
        "target_code": target_code,
        "limit": limit,
    }


@register.inclusion_tag("core/_history_table.html", takes_context=True)
def history_table(context: template.Context, obj: Any, limit: int = 50) -> dict[str, Any]:
    user = _user(context)
    if obj is None or user is None or not user.is_authenticated:
        return {"rows": [], "show": False}
    return {"rows": history_rows(obj, limit=limit), "show": True}
