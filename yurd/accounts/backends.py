"""Django's ModelBackend, which accepts permissions read ahead of time.

An API request reads its token, user, roles and permissions in one query
(`yurd.api.authentication`); the permissions it read are handed over as
`user.preloaded_permissions`, so every `has_perm` of that request (the view's role check,
`sees_names`, the selectors) reads that set instead of running ModelBackend's two
queries. Nothing outlives the request: the user object is built anew for each one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.db.models import Model


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        preloaded = getattr(user_obj, "preloaded_permissions", None)
        if preloaded is not None and obj is None and user_obj.is_active and not user_obj.is_anonymous:
            return preloaded
        return super().get_all_permissions(user_obj, obj)
