from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.models import AccessAction
from yurd.evidence.models import CustodyEntry, EvidenceItem
from yurd.evidence.selectors import visible_evidence_q
from yurd.evidence.services import evidence_record_view


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    """Read-only. Files enter through evidence_ingest and change through the services, so
    the custody log sees every change."""

    list_display = ["sha256", "title_en", "kind", "sensitivity", "created_at"]
    list_filter = ["kind", "sensitivity"]
    search_fields = ["sha256", "title_en", "title_az", "title_ru", "original_name"]
    # Sensitivity changes go through evidence_change_sensitivity (logged in the custody chain).
    readonly_fields = [
        "public_code",
        "sha256",
        "sha512",
        "size",
        "storage_name",
        "original_name",
        "media_type",
        "sensitivity",
        "exif",
        "ingested_by",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvidenceItem]:
        # The vault's one rule of who sees which item applies in the admin too.
        user = request.user
        if not isinstance(user, User):  # the admin lets in no one who has not logged in
            return super().get_queryset(request).none()
        return super().get_queryset(request).filter(visible_evidence_q(user))

    # Titles name people: the admin's pages are logged like the vault's own.
    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        log_access(actor_from_request(request), AccessAction.LIST, EvidenceItem, detail={"via": "admin"})
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        item = self.get_object(request, object_id)
        if item is not None and response.status_code == 200:
            evidence_record_view(actor=actor_from_request(request), item=item)
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        item = self.get_object(request, object_id)
        if item is not None and response.status_code == 200:
            log_access(actor_from_request(request), AccessAction.VIEW, item, detail={"via": "admin history"})
        return response

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    # Read-only: an edit here would change an item without a custody entry (and
    # `yurd evidence verify` would report it). Changes go through the services.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CustodyEntry)
class CustodyEntryAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only and verified by `yurd evidence verify`."""

    list_display = ["seq", "at", "actor", "action", "item_sha256"]
    list_filter = ["action"]
    search_fields = ["item_sha256", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
