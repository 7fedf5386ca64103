"""Reads of the audit trail: the access log and the change history across models."""

from __future__ import annotations

import datetime
from heapq import merge
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from yurd.core.history import HISTORY_TYPES, HistoryRow, historical_models, history_manager
from yurd.core.models import AccessLogEntry, Job
from yurd.core.record_types import record_type_label

ACCESS_LOG_PERMISSION = "core.view_access_log"
CHANGE_LOG_PERMISSION = "core.view_change_log"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_search(*, user: Any, filters: dict[str, Any]) -> QuerySet[AccessLogEntry]:
    """Access log entries matching the cleaned filters of AccessLogSearchForm, newest first.

    Dates are whole days in the server's time zone, both ends included.
    """
    if not user.has_perm(ACCESS_LOG_PERMISSION):
        raise PermissionDenied
    entries = AccessLogEntry.objects.all()
    if username := (filters.get("username") or "").strip():
        entries = entries.filter(username__iexact=username)
    if action := filters.get("action"):
        entries = entries.filter(action=action)
    if target_type := (filters.get("target_type") or "").strip():
        entries = entries.filter(target_type=target_type.lower())
    if target_code := (filters.get("target_code") or "").strip():
        entries = entries.filter(target_code__iexact=target_code)
    if channel := filters.get("channel"):
        entries = entries.filter(channel=channel)
    if purpose := (filters.get("purpose") or "").strip():
        entries = entries.filter(purpose__icontains=purpose)
    if date_from := filters.get("date_from"):
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to := filters.get("date_to"):
        entries = entries.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def change_log_models() -> list[tuple[str, str]]:
    """(label, verbose name) of every model with a change history, for the filter."""
    return sorted(
        ((model._meta.label_lower, str(model._meta.verbose_name).capitalize()) for model in historical_models()),
        key=lambda item: item[1],
    )


def recent_changes(*, user: Any, model_label: str = "", username: str = "", limit: int = 100) -> list[HistoryRow]:
    """The latest changes across every historical model (or one), newest first."""
    if not user.has_perm(CHANGE_LOG_PERMISSION):
        raise PermissionDenied
    streams = []
    for model in historical_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        historical_model = history_manager(model).model
        records = historical_model.objects.select_related("history_user").order_by("-history_date")
        if username:
            if username.lower() == "system":
                records = records.filter(history_user__isnull=True)
            else:
                records = records.filter(Q(history_user__username__iexact=username))
        fetched = list(records[:limit])
        parents = _parent_codes(model, fetched)
        streams.append([_change_row(record, model, parents) for record in fetched])
    rows = merge(*streams, key=lambda row: row.at, reverse=True)
    return [row for _index, row in zip(range(limit), rows, strict=False)]


# Fields that hold a record's public code (households, people, places: code; claims: case_number).
_CODE_FIELDS = ("code", "case_number", "public_code")


def _own_code(record: Any) -> str:
    return next((str(value) for name in _CODE_FIELDS if (value := getattr(record, name, None))), "")


def _parent_codes(model: Any, records: list[Any]) -> dict[int, str]:
    """For records without a code of their own (a claim's loss item), the code of the record they
    belong to, by history id: one query per model, whatever the number of rows."""
    if not records or _own_code(records[0]):
        return {}
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        names = {related.name for related in field.related_model._meta.concrete_fields}
        code_field = next((name for name in _CODE_FIELDS if name in names), None)
        if code_field is None:
            continue
        keys = {getattr(record, field.attname) for record in records} - {None}
        codes = dict(field.related_model._default_manager.filter(pk__in=keys).values_list("pk", code_field))
        return {
            record.history_id: f"{codes[key]} / {record.id}"
            for record in records
            if (key := getattr(record, field.attname)) in codes
        }
    return {}


def _change_row(record: Any, model: Any, parents: dict[int, str] | None = None) -> HistoryRow:
    code = _own_code(record) or (parents or {}).get(record.history_id) or f"#{record.id}"
    user = record.history_user
    return HistoryRow(
        at=record.history_date,
        username=user.get_username() if user is not None else "system",
        kind=record.history_type,
        kind_label=HISTORY_TYPES.get(record.history_type, record.history_type),
        reason=record.history_change_reason or "",
        record_label=str(code),
        record_type=record_type_label(model._meta.label_lower),
    )


def jobs_for(*, user: Any) -> QuerySet[Job]:
    """The jobs a user may watch: their own, or every job with core.view_all_jobs."""
    jobs = Job.objects.select_related("owner")
    if not user.has_perm("core.view_all_jobs"):
        jobs = jobs.filter(owner=user)
    return jobs.order_by("-created_at")
