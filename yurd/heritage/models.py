"""Heritage register: sites and dated, sourced observations of their condition."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yurd.core.certainty import Certainty
from yurd.core.fields import PartialDateField
from yurd.core.languages import in_current_language
from yurd.core.models import TimeStampedModel
from yurd.core.partial_dates import PartialDate
from yurd.places.models import NameScript

# How evidence links name a site or an observation (EvidenceLink.target_type).
SITE_TARGET = "heritage.site"
OBSERVATION_TARGET = "heritage.observation"


class SiteType(models.Model):
    """Configurable list (mosque, cemetery, bridge...): data, so another community can use its own."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=100, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("site type")
        verbose_name_plural = _("site types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return in_current_language(en=self.name_en, az=self.name_az, ru=self.name_ru)


class Site(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("primary name"), max_length=200)
    site_type = models.ForeignKey(SiteType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="sites")
    settlement = models.ForeignKey(
        "places.Place", verbose_name=_("settlement"), on_delete=models.PROTECT, related_name="heritage_sites"
    )
    # A GeoJSON Point or Polygon geometry (RFC 7946: longitude first).
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    # Representative point of the geometry, kept by the services for the map and list filters.
    latitude = models.FloatField(_("latitude"), editable=False)
    longitude = models.FloatField(_("longitude"), editable=False)
    period = models.CharField(_("period of construction"), max_length=100, blank=True)
    # Derived, never typed in: the services recompute it from the published observations
    # whenever one is recorded, approved or rejected (see services.site_condition_refresh).
    # Kept for the map and list filters over thousands of sites; dossiers derive it live.
    condition_state = models.CharField(
        _("current condition"), max_length=20, default="unknown", editable=False, db_index=True
    )
    description = models.TextField(_("description"), blank=True)
    related_sites = models.ManyToManyField("self", verbose_name=_("related sites"), blank=True, symmetrical=True)
    is_published = models.BooleanField(
        _("in the public catalogue"), default=False, help_text=_("Published sites appear in the public catalogue.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("heritage site")
        verbose_name_plural = _("heritage sites")
        ordering = ["code"]
        permissions = [
            ("export_sites", _("Can export heritage sites")),
            ("publish_site", _("Can publish sites in the public catalogue")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SiteName(models.Model):
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="names")
    text = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language and script"), max_length=8, choices=NameScript.choices)
    period = models.CharField(_("period of use"), max_length=100, blank=True)
    year_from = models.SmallIntegerField(_("in use from (year)"), null=True, blank=True)
    year_to = models.SmallIntegerField(_("in use until (year)"), null=True, blank=True)

    class Meta:
        verbose_name = _("site name")
        verbose_name_plural = _("site names")
        ordering = ["year_from", "text"]

    def __str__(self) -> str:
        return self.text


class PhysicalState(models.TextChoices):
    NO_VISIBLE_CHANGE = "no_visible_change", _("no visible change")
    POSSIBLY_DAMAGED = "possibly_damaged", _("possibly damaged")
    SLIGHTLY_DAMAGED = "slightly_damaged", _("slightly damaged")
    MODERATELY_DAMAGED = "moderately_damaged", _("moderately damaged")
    SEVERELY_DAMAGED = "severely_damaged", _("severely damaged")
    DESTROYED = "destroyed", _("destroyed")
    NOT_ASSESSABLE = "not_assessable", _("not assessable")


class Extent(models.TextChoices):
    NONE = "none", _("none")
    UP_TO_10 = "1-10", _("1–10 %")
    UP_TO_30 = "11-30", _("11–30 %")
    UP_TO_60 = "31-60", _("31–60 %")
    UP_TO_90 = "61-90", _("61–90 %")
    UP_TO_100 = "91-100", _("91–100 %")
    UNKNOWN = "unknown", _("unknown")


class Alteration(models.TextChoices):
    CONVERTED = "converted", _("converted to other use")
    INSCRIPTIONS_REMOVED = "inscriptions_removed", _("inscriptions or symbols removed")
    RENAMED = "renamed", _("renamed")
    REATTRIBUTED = "reattributed", _("re-attributed (signage, registers, online maps)")
    REBUILT_ALTERED = "rebuilt_altered", _("rebuilt in altered form")
    ACCESS_RESTRICTED = "access_restricted", _("access restricted")


class Method(models.TextChoices):
    FIELD_VISIT = "field_visit", _("field visit")
    SATELLITE = "satellite", _("satellite imagery")
    ARCHIVAL = "archival", _("archival")
    DESK_STUDY = "desk_study", _("desk study")
    TESTIMONY = "testimony", _("testimony")


class Validation(models.TextChoices):
    UNVALIDATED = "unvalidated", _("unvalidated")
    REVIEWED = "reviewed", _("reviewed")
    FIELD_VALIDATED = "field_validated", _("field-validated")


class ObservationStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("awaiting review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


# Publishing these states, or any alteration, needs a second person's approval.
STATES_NEEDING_REVIEW = frozenset({PhysicalState.SEVERELY_DAMAGED, PhysicalState.DESTROYED})


class Observation(TimeStampedModel):
    """What one observer saw or read about a site, when, by which method, and how sure."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="observations")
    physical_state = models.CharField(_("physical state"), max_length=20, choices=PhysicalState.choices)
    extent = models.CharField(_("extent of damage"), max_length=8, choices=Extent.choices, default=Extent.UNKNOWN)
    alterations = models.JSONField(_("alterations"), default=list, blank=True)
    threat = models.CharField(
        _("threat"), max_length=300, blank=True, help_text=_("The activity nearby that threatens the site, if any.")
    )
    certainty = models.CharField(_("certainty"), max_length=12, choices=Certainty.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    validation = models.CharField(
        _("validation"), max_length=16, choices=Validation.choices, default=Validation.UNVALIDATED
    )
    # Either one date, or the interval between two image dates ("between 2019-05 and 2021-08").
    observed_on = PartialDateField(_("observed on"))
    interval_start = PartialDateField(_("between (earlier image date)"))
    interval_end = PartialDateField(_("and (later image date)"))
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ObservationStatus.choices, default=ObservationStatus.PENDING_REVIEW
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["site", "-observed_on", "-interval_end", "-id"]
        permissions = [("review_observation", _("Can approve or reject observations"))]
        indexes = [models.Index(fields=["status", "site"], name="observation_status_site_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.get_physical_state_display()}"

    @property
    def needs_second_reviewer(self) -> bool:
        return self.physical_state in STATES_NEEDING_REVIEW or bool(self.alterations)

    @property
    def when_key(self) -> str:
        """Sortable text: the date, or the later image date of an interval."""
        for date in (self.observed_on, self.interval_end):
            if isinstance(date, PartialDate):
                return date.to_storage()
        return ""

    def alteration_labels(self) -> list[str]:
        labels = dict(Alteration.choices)
        return [str(labels.get(code, code)) for code in self.alterations]
