"""The gazetteer: places in a hierarchy, each with many names in many scripts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.core.models import TimeStampedModel


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    SETTLEMENT = "settlement", _("settlement")


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_code(self) -> str:
        return self.code

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
    # Canonical Latin search key (see yurd.linkage.matching), so any script finds any name.
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["year_from", "text"]

    def __str__(self) -> str:
        return self.text
