"""Change history: who changed a record, when, what, and why.

Every domain model carries django-simple-history's `history = HistoricalRecords()`.
Web requests fill in the user through simple-history's middleware; everywhere else
(services, commands, tasks) name the actor and, where the UI asks for one, a reason:

    save_with_reason(household, reason=form.cleaned_data["reason"], user=actor.user)

    with change_context(user=actor.user, reason="Merged duplicate HH-000812"):
        household_merge(...)          # every historical save inside gets both

`history_rows(obj)` turns a record's history into rows with the changed fields, for
the `{% history_table obj %}` include.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalChanges
from simple_history.signals import pre_create_historical_record

# Longest reason simple-history's history_change_reason column accepts.
REASON_MAX_LENGTH = 100


@dataclass(frozen=True)
class _ChangeContext:
    user: Any
    reason: str


_current: contextvars.ContextVar[_ChangeContext | None] = contextvars.ContextVar("yurd_change_context", default=None)


def clean_reason(reason: str) -> str:
    """One line, trimmed to what the history table stores."""
    text = " ".join((reason or "").split())
    if len(text) > REASON_MAX_LENGTH:
        text = text[: REASON_MAX_LENGTH - 1] + "…"
    return text


@contextmanager
def change_context(*, user: Any = None, reason: str = "") -> Iterator[None]:
    """Within the block, every historical record created names `user` and `reason`.

    An explicit `_change_reason` or `_history_user` on an instance still wins, and
    the web middleware's user is replaced only when `user` is given. Blocks nest; the
    innermost applies.
    """
    token = _current.set(_ChangeContext(user=user, reason=clean_reason(reason)))
    try:
        yield
    finally:
        _current.reset(token)


def history_user_set(obj: models.Model, user: Any) -> None:
    """Name the user on the history row of `obj`'s next save or delete.

    django-simple-history reads the attribute in place of the request's user; None names nobody.
    """
    obj._history_user = user  # type: ignore[attr-defined]  # an attribute simple-history reads


def change_reason_set(obj: models.Model, reason: str | None) -> None:
    """Give the reason on the history row of `obj`'s next save or delete (simple-history reads it)."""
    obj._change_reason = reason  # type: ignore[attr-defined]  # an attribute simple-history reads


def save_with_reason(obj: models.Model, *, reason: str, user: Any = None, **save_kwargs: Any) -> None:
    """Save `obj` so its history row says who changed it and why.

    `user` may be None for the system operator (command line without --as).
    """
    change_reason_set(obj, clean_reason(reason))
    if user is not None:
        history_user_set(obj, user)
    try:
        obj.save(**save_kwargs)
    finally:
        # The attributes would otherwise stick to the instance and label its next save.
        for attribute in ("_change_reason", "_history_user"):
            if hasattr(obj, attribute):
                delattr(obj, attribute)


def delete_with_reason(obj: models.Model, *, reason: str, user: Any = None) -> None:
    """Delete `obj`, leaving a history row that says who removed it and why."""
    change_reason_set(obj, clean_reason(reason))
    if user is not None:
        history_user_set(obj, user)
    obj.delete()


@receiver(pre_create_historical_record)
def _apply_change_context(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    context = _current.get()
    if context is None:
        return
    if context.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = context.reason
    if context.user is not None and not hasattr(instance, "_history_user"):
        history_instance.history_user = context.user


# --- Reading history ---------------------------------------------------------------

HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryRow:
    at: datetime
    username: str
    kind: str
    kind_label: Any
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    record_label: str = ""
    record_type: str = ""


def history_manager(obj_or_model: models.Model | type[models.Model]) -> HistoryManager:
    """The manager simple-history adds to a model (on a row: that row's history)."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    name = model._meta.simple_history_manager_attribute  # type: ignore[attr-defined]  # set by simple-history
    return getattr(obj_or_model, name)


def has_history(obj_or_model: models.Model | type[models.Model]) -> bool:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return hasattr(model, "history") and hasattr(model._meta, "simple_history_manager_attribute")


def _display(model: type[models.Model], field_name: str, value: Any) -> Any:
    try:
        model_field = model._meta.get_field(field_name)
    except FieldDoesNotExist:  # a field removed since; show the raw value
        return value
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    if value in (None, ""):
        return "—"
    return value


def _label(model: type[models.Model], field_name: str) -> str:
    try:
        model_field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return field_name
    return str(getattr(model_field, "verbose_name", field_name))


def _username(record: Any) -> str:
    user_id = getattr(record, "history_user_id", None)
    if user_id is None:
        return "system"
    user = record.history_user
    return user.get_username() if user is not None else f"#{user_id}"


def rows_from_records(records: list[Any], model: type[models.Model]) -> list[HistoryRow]:
    """Rows from one record's historical versions, newest first (already loaded).

    Each row's changes compare it with the next older version in `records`; the
    oldest version in the list shows no field changes, as nothing older is loaded.
    """
    rows: list[HistoryRow] = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if older is not None and record.history_type != "-":
            delta = record.diff_against(older)
            changes.extend(
                FieldChange(
                    field=change.field,
                    label=_label(model, change.field),
                    old=_display(model, change.field, change.old),
                    new=_display(model, change.field, change.new),
                )
                for change in delta.changes
            )
        rows.append(
            HistoryRow(
                at=record.history_date,
                username=_username(record),
                kind=record.history_type,
                kind_label=HISTORY_TYPES.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return rows


def history_rows(obj: models.Model, *, limit: int = 50) -> list[HistoryRow]:
    """The change history of one record, newest first, with the fields each change touched."""
    if not has_history(obj):
        return []
    # One extra version so the oldest shown row can still be compared with its predecessor.
    records = list(
        history_manager(obj).select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    rows = rows_from_records(records, type(obj))
    return rows[:limit]


def historical_models() -> list[type[models.Model]]:
    """Every Yurd model that keeps a change history."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in _yurd_app_labels() and has_history(model) and not _is_historical(model)
    ]


def _yurd_app_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name.startswith("yurd.")}


def _is_historical(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)
