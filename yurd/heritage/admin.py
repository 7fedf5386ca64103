from __future__ import annotations

from django.contrib import admin

from yurd.heritage.models import SiteType


@admin.register(SiteType)
class SiteTypeAdmin(admin.ModelAdmin):
    """The configurable list of site types. Sites and observations are edited through Yurd's own forms,
    whose services enforce review and keep the derived condition."""

    list_display = ["code", "name_en", "name_az", "name_ru", "order"]
    ordering = ["order"]
