from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yurd.evidence.models import CustodyEntry, EvidenceItem


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
