"""The gazetteer: places in a hierarchy, each with many names in many scripts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.core.fields import SortKeyField
from yurd.core.models import TimeStampedModel
from yurd.names import search_key as folded_search_key


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    SETTLEMENT = "settlement", _("settlement")


# Depth of each kind in the hierarchy: a place's parent must be of a smaller rank.
KIND_RANK = {PlaceKind.COUNTRY: 0, PlaceKind.REGION: 1, PlaceKind.DISTRICT: 2, PlaceKind.SETTLEMENT: 3}


class CoordinatePrecision(models.TextChoices):
    EXACT = "exact", _("exact")
    APPROXIMATE = "approximate", _("approximate")
    CENTROID = "centroid", _("centroid of the area")
    UNKNOWN = "unknown", _("unknown")


class Place(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys ("12/40/311/"): scope checks and "everything in
    # this district" become one indexed prefix match on both databases.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    name = models.CharField(_("primary name"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    coordinate_precision = models.CharField(
        _("coordinate precision"),
        max_length=16,
        choices=CoordinatePrecision.choices,
        default=CoordinatePrecision.UNKNOWN,
    )
    geonames_id = models.BigIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    # Folded key of the primary name, so a place without PlaceName rows is still found.
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    # The primary name in Azerbaijani alphabetical order: the order of place lists (issue 19).
    name_sort = SortKeyField(sources=("name",))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name_sort", "code"]
        permissions = [("import_places", _("Can import places from files"))]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column of this row only (no other rows, no I/O): keeping it here means
        # every writer, including tests' fixtures, leaves a searchable place.
        self.search_key = folded_search_key(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_key", "name_sort"}
        super().save(*args, **kwargs)

    @property
    def public_code(self) -> str:
        return self.code

    @property
    def rank(self) -> int:
        return KIND_RANK[PlaceKind(self.kind)]

    def expected_path(self) -> str:
        """The path this place should carry, given its parent's (which must be saved)."""
        prefix = self.parent.path if self.parent is not None else ""
        return f"{prefix}{self.pk}/"


class NameScript(models.TextChoices):
    AZ_LATN = "az-Latn", _("Azerbaijani (Latin)")
    AZ_CYRL = "az-Cyrl", _("Azerbaijani (Cyrillic)")
    RU = "ru", _("Russian")
    HY = "hy", _("Armenian")
    EN = "en", _("English")
    OTHER = "other", _("other")


class NameKind(models.TextChoices):
    HISTORICAL = "historical", _("historical")
    OFFICIAL = "official", _("official")
    COMMUNITY = "community", _("community")
    OTHER = "other", _("other")


class PlaceName(TimeStampedModel):
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names")
    text = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language and script"), max_length=8, choices=NameScript.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices, default=NameKind.OTHER)
    year_from = models.SmallIntegerField(_("in use from (year)"), null=True, blank=True)
    year_to = models.SmallIntegerField(_("in use until (year)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    # Canonical Latin search key (see yurd.names), so any script finds any name.
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["year_from", "text"]
        constraints = [
            # Re-importing a gazetteer finds the name it already has instead of adding it twice.
            models.UniqueConstraint(fields=["place", "language", "text"], name="unique_place_name_per_language"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = folded_search_key(self.text)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def years_label(self) -> str:
        if self.year_from is None and self.year_to is None:
            return ""
        start = str(self.year_from) if self.year_from is not None else "…"
        end = str(self.year_to) if self.year_to is not None else "…"
        return f"{start}–{end}"

    def in_use_in(self, year: int) -> bool:
        return (self.year_from is None or self.year_from <= year) and (self.year_to is None or year <= self.year_to)


class PlaceImportStatus(models.TextChoices):
    STAGED = "staged", _("staged, not yet committed")
    COMMITTED = "committed", _("committed")
    DISCARDED = "discarded", _("discarded")


class PlaceImport(TimeStampedModel):
    """A gazetteer file uploaded and validated, waiting for an administrator to commit it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=16)
    # The decoded text, so that committing later reads exactly what was validated.
    content = models.TextField()
    alternate_names = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlaceImportStatus.choices, default=PlaceImportStatus.STAGED
    )
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        verbose_name = _("place import")
        verbose_name_plural = _("place imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
