"""The evidence vault: content-addressed originals, derivatives, links and the custody chain."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yurd.core.fields import PartialDateField
from yurd.core.languages import in_current_language
from yurd.core.models import TimeStampedModel


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photograph")
    SATELLITE_SCENE = "satellite_scene", _("satellite scene")
    ARCHIVAL_DOCUMENT = "archival_document", _("archival document")
    MAP = "map", _("map")
    AUDIO = "audio", _("audio recording")
    VIDEO = "video", _("video recording")
    WEB_CAPTURE = "web_capture", _("web capture")
    OTHER = "other", _("other")


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    RESTRICTED = "restricted", _("restricted")


class EvidenceItem(TimeStampedModel):
    """One original file, identified by the SHA-256 of its bytes. The bytes never change.

    The metadata (title, place, sensitivity...) may be corrected later; the file may not.
    """

    public_code = models.UUIDField(_("public code"), default=uuid.uuid4, unique=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    sha512 = models.CharField(_("SHA-512"), max_length=128, editable=False)
    size = models.BigIntegerField(_("size in bytes"), editable=False)
    storage_name = models.CharField(_("storage path"), max_length=255, editable=False)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.OTHER)
    captured = PartialDateField(_("captured on"))
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=300, blank=True)
    author = models.CharField(_("author or collector"), max_length=200, blank=True)
    method = models.CharField(_("method and tool"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL, db_index=True
    )
    # Read from the photo's EXIF block at ingest; the original file is not touched.
    exif = models.JSONField(_("EXIF metadata"), default=dict, blank=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_restricted_evidence", _("Can see restricted evidence")),
            ("download_evidence", _("Can download original evidence files")),
            ("export_evidence", _("Can export evidence packages")),
            ("verify_custody", _("Can verify files and the custody log")),
            ("change_sensitivity", _("Can change the sensitivity of evidence")),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.sha256[:12]

    @property
    def title(self) -> str:
        """The title in the current language, falling back to any language given."""
        return in_current_language(en=self.title_en, az=self.title_az, ru=self.title_ru)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


class DerivativeRole(models.TextChoices):
    THUMBNAIL = "thumbnail", _("thumbnail")
    PREVIEW = "preview", _("preview")
    REDACTED = "redacted", _("redacted copy")
    TRANSCRIPT = "transcript", _("transcript")


class Derivative(TimeStampedModel):
    """A working copy made from an original (thumbnail, redacted copy...), stored apart from it."""

    item = models.ForeignKey(
        EvidenceItem, verbose_name=_("original"), on_delete=models.CASCADE, related_name="derivatives"
    )
    role = models.CharField(_("role"), max_length=12, choices=DerivativeRole.choices)
    storage_name = models.CharField(_("storage path"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("derivative")
        verbose_name_plural = _("derivatives")
        constraints = [models.UniqueConstraint(fields=["item", "role"], name="unique_derivative_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.item.sha256[:12]}"


class LinkRelation(models.TextChoices):
    DOCUMENTS = "documents", _("documents")
    SUPPORTS = "supports", _("supports")
    CONTRADICTS = "contradicts", _("contradicts")


class EvidenceLink(TimeStampedModel):
    """Evidence about a record of another app, named by type label and public code.

    A generic link (not a foreign key) so that sites, observations, households and claims
    can cite evidence without every app's migrations depending on this one.
    """

    item = models.ForeignKey(EvidenceItem, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(_("record type"), max_length=64)
    target_code = models.CharField(_("record"), max_length=64)
    relation = models.CharField(
        _("relation"), max_length=12, choices=LinkRelation.choices, default=LinkRelation.DOCUMENTS
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        constraints = [
            models.UniqueConstraint(fields=["item", "target_type", "target_code"], name="unique_evidence_link")
        ]
        indexes = [models.Index(fields=["target_type", "target_code"], name="evidence_link_target_idx")]

    def __str__(self) -> str:
        return f"{self.item.sha256[:12]} {self.relation} {self.target_type} {self.target_code}"


class CustodyAction(models.TextChoices):
    INGEST = "ingest", _("ingested")
    VIEW = "view", _("viewed")
    DOWNLOAD = "download", _("downloaded")
    EXPORT = "export", _("exported")
    TRANSFER = "transfer", _("transferred")
    ACCESS_CHANGE = "access_change", _("access level changed")
    DERIVE = "derive", _("working copy made")
    METADATA = "metadata", _("description or links changed")


class CustodyHead(models.Model):
    """The single row every append locks, so two appends can never fork the chain."""

    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("custody chain head")
        verbose_name_plural = _("custody chain head")

    def __str__(self) -> str:
        return f"{self.seq}:{self.entry_hash}"


class CustodyEntry(models.Model):
    """One link of the custody chain. Append-only: entry_hash covers every field and prev_hash."""

    seq = models.BigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.CharField(_("by"), max_length=150)
    channel = models.CharField(_("channel"), max_length=8)
    action = models.CharField(_("action"), max_length=16, choices=CustodyAction.choices)
    item_sha256 = models.CharField(_("item SHA-256"), max_length=64, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous entry hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64)

    class Meta:
        verbose_name = _("custody log entry")
        verbose_name_plural = _("custody log entries")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.item_sha256[:12]}"
