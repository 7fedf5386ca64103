"""The shared access log: one line in a view, selector, export or command.

    log_access(actor, AccessAction.VIEW, household)              # one record
    log_access(actor, AccessAction.LIST, Household, detail={"count": 40})
    log_access(actor, AccessAction.EXPORT, Person, purpose=form.cleaned_data["purpose"])
    @logs_record_view("registry.household", code_kwarg="code")   # a detail view

What is logged is what a person saw or took away: a view of one record, a list or
search over many, an export or a download. Auditors search the log at
/audit/access/ (`core:access_log`); a record's page shows its own entries with
`{% load audit %}{% access_panel record %}`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import connections, models, router

from yurd.core.actors import Actor, actor_from_request
from yurd.core.models import AccessAction, AccessLogEntry

_TYPE_LENGTH = AccessLogEntry._meta.get_field("target_type").max_length or 64
_CODE_LENGTH = AccessLogEntry._meta.get_field("target_code").max_length or 64


def target_of(target: models.Model | type[models.Model] | str) -> tuple[str, str]:
    """(record type, code) for a model instance, a model class or an explicit label.

    An instance is named by its stable public code (`public_code`, else `code`, else
    its primary key); a class or a label names many records and has no code.
    """
    if isinstance(target, str):
        return target, ""
    if isinstance(target, type) and issubclass(target, models.Model):
        return target._meta.label_lower, ""
    if isinstance(target, models.Model):
        code = getattr(target, "public_code", None) or getattr(target, "code", None) or target.pk
        return target._meta.label_lower, "" if code is None else str(code)
    raise TypeError(f"Cannot log access to {target!r}: pass a model instance, a model class or a label.")


def log_access(
    actor: Actor,
    action: str,
    target: models.Model | type[models.Model] | str,
    *,
    code: str = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Record that `actor` did `action` to `target`, and return the entry.

    - `actor`: who, and through which channel (web, API, command line, task).
    - `action`: an AccessAction (view, list, search, export, download, change).
    - `target`: a model instance (one record), a model class or a "app.model" label
      (many records); `code` overrides the record code taken from an instance.
    - `purpose`: why; required for exports, where an empty purpose raises ValueError.
    - `detail`: anything worth keeping (filters, row count, file name); dates and
      decimals are fine.

    Call it in the same transaction as the read or export it records, so that a
    failed export leaves no entry and a logged one cannot be lost.
    """
    if not isinstance(actor, Actor):
        raise TypeError(f"log_access needs an Actor, not {type(actor).__name__}; see yurd.core.actors.")
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}; use yurd.core.models.AccessAction.")
    purpose = (purpose or "").strip()
    if action == AccessAction.EXPORT and not purpose:
        # Exports must say why; callers validate the form first, this is the last guard.
        raise ValueError("An export must state its purpose.")
    target_type, target_code = target_of(target)
    entry = AccessLogEntry(
        user=actor.user,
        username=actor.username,
        channel=actor.channel,
        action=action,
        target_type=target_type[:_TYPE_LENGTH],
        target_code=str(code or target_code)[:_CODE_LENGTH],
        purpose=purpose,
        detail=detail or {},
        ip_address=actor.ip_address or None,
    )
    _insert(entry)
    return entry


@functools.cache
def _insert_sql(vendor: str, returning: bool) -> tuple[str, list[models.Field[Any, Any]]]:
    """The INSERT of one entry and the fields whose values it takes, in order."""
    meta = AccessLogEntry._meta
    quote = connections[router.db_for_write(AccessLogEntry)].ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(field.column)) for field in fields)}) "  # noqa: S608 - names from _meta
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning:
        sql += f" RETURNING {quote(str(meta.pk.column))}"
    return sql, fields


def _insert(entry: AccessLogEntry) -> None:
    """Save a new entry by one plain INSERT: the same row `entry.save()` writes (each
    value prepared by its field, as the ORM prepares it), without compiling an insert
    query for every read that is logged (about 0.4 ms of Python, issue 8 benchmark). The
    log is append-only and no signal listens to its saves."""
    database = router.db_for_write(AccessLogEntry)
    connection = connections[database]
    returning = bool(connection.features.can_return_columns_from_insert)
    sql, fields = _insert_sql(connection.vendor, returning)
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if returning:
            entry.pk = cursor.fetchone()[0]
        else:  # pragma: no cover - both supported databases return the key
            entry.pk = connection.ops.last_insert_id(cursor, AccessLogEntry._meta.db_table, "id")
    entry._state.adding = False
    entry._state.db = database


def logs_record_view(
    target_type: str, *, code_kwarg: str = "code", action: str = AccessAction.VIEW
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a detail view so that each successful response logs a view of that record.

        @login_required
        @logs_record_view("registry.household", code_kwarg="code")
        def household_detail(request, code): ...

    Only a 2xx response to a logged-in user is logged: a 403, 404 or redirect showed
    nothing. The code comes from the URL keyword `code_kwarg`; a view whose URL has no
    such keyword is a programming error and fails at once rather than logging blanks.
    """
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}.")

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if code_kwarg not in kwargs:
                raise TypeError(f"{view.__name__} is logged by {code_kwarg!r}, which its URL does not provide.")
            response = view(request, *args, **kwargs)
            status = getattr(response, "status_code", 200)
            if 200 <= status < 300 and request.user.is_authenticated:
                log_access(actor_from_request(request), action, target_type, code=str(kwargs[code_kwarg]))
            return response

        return wrapper

    return decorator


def access_history(target: models.Model, *, limit: int = 50) -> models.QuerySet[AccessLogEntry]:
    """Who accessed this record, newest first: for the record's own page."""
    target_type, target_code = target_of(target)
    return AccessLogEntry.objects.filter(target_type=target_type, target_code=target_code).select_related("user")[
        :limit
    ]
