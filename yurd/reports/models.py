"""Export requests: a large export runs as a background Job and ends as an expiring link."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yurd.core.models import TimeStampedModel


class ExportKind(models.TextChoices):
    PEOPLE = "people", _("people")
    HOUSEHOLDS = "households", _("households")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ExportRequest(TimeStampedModel):
    """What was asked for and why; the core Job carries status and progress. The file
    lives under MEDIA_ROOT/exports/ and is served only through a signed, expiring link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("records"), max_length=16, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    purpose = models.TextField(_("purpose"))
    # Names are exported only when the requester's role allows it and they asked for it;
    # otherwise every person and household is a keyed pseudonym for this purpose.
    identified = models.BooleanField(_("with names"), default=False)
    job = models.OneToOneField(
        "core.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        permissions = [
            ("view_dashboard", _("Can see the overview dashboard")),
            ("view_statistics", _("Can tabulate suppressed statistics")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def public_code(self) -> str:
        return str(self.id)
