"""The shared access log: one line in a view, selector, export or command.

log_access(actor, AccessAction.VIEW, household)              # one record
log_access(actor, AccessAction.EXPORT, Person, purpose=...)  # many records
@logs_record_view("registry.household", code_kwarg="code")   # a detail view
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import models

from yurd.core.actors import Actor, actor_from_request
from yurd.core.models import AccessAction, AccessLogEntry


def target_of(target: models.Model | type[models.Model] | str) -> tuple[str, str]:
    """(record type, code) for a model instance, a model class or an explicit label."""
    if isinstance(target, str):
        return target, ""
    if isinstance(target, type):
        return target._meta.label_lower, ""
    code = getattr(target, "public_code", None) or getattr(target, "code", None) or str(target.pk)
    return target._meta.label_lower, str(code)


def log_access(
    actor: Actor,
    action: str,
    target: models.Model | type[models.Model] | str,
    *,
    code: str = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    if action == AccessAction.EXPORT and not purpose.strip():
        # Exports must say why; callers validate the form first, this is the last guard.
        raise ValueError("An export must state its purpose.")
    target_type, target_code = target_of(target)
    return AccessLogEntry.objects.create(
        user=actor.user,
        username=actor.username,
        channel=actor.channel,
        action=action,
        target_type=target_type,
        target_code=code or target_code,
        purpose=purpose,
        detail=detail or {},
        ip_address=actor.ip_address,
    )


def logs_record_view(
    target_type: str, *, code_kwarg: str = "code"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a detail view: a successful (2xx) response logs a VIEW of that record."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300 and request.user.is_authenticated:
                log_access(
                    actor_from_request(request),
                    AccessAction.VIEW,
                    target_type,
                    code=str(kwargs.get(code_kwarg, "")),
                )
            return response

        return wrapper

    return decorator


def access_history(target: models.Model, *, limit: int = 50) -> models.QuerySet[AccessLogEntry]:
    """Who accessed this record, newest first: for the record's own page."""
    target_type, target_code = target_of(target)
    return AccessLogEntry.objects.filter(target_type=target_type, target_code=target_code)[:limit]
