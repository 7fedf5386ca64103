"""Role permissions for API views: the same Django permissions the pages check."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

SAFE = ("GET", "HEAD", "OPTIONS")


class RolePermission(BasePermission):
    """Reads need every permission in the view's `read_permissions`; writes those in
    `write_permissions`. Scope (which records) is the selectors' business."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        needed = (
            getattr(view, "read_permissions", [])
            if request.method in SAFE
            else getattr(view, "write_permissions", None)
        )
        if needed is None:
            return False
        return all(user.has_perm(permission) for permission in needed)
