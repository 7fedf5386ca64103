"""Export jobs: a large export runs in the background and ends as an expiring download."""

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


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExportJob(TimeStampedModel):
    """One requested export. The file lives under MEDIA_ROOT/exports/ and is served
    only through a signed, expiring link (never from /media/)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("records"), max_length=16, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    purpose = models.TextField(_("purpose"))
    # Names are exported only when the requester's role allows it and they asked for it;
    # otherwise every person is a keyed pseudonym for this purpose.
    identified = models.BooleanField(_("with names"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

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

    @property
    def progress_percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
