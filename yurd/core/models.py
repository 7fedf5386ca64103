"""Shared base model and the access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Channel(models.TextChoices):
    WEB = "web", _("web")
    API = "api", _("API")
    CLI = "cli", _("command line")
    TASK = "task", _("background task")


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    LIST = "list", _("listed")
    SEARCH = "search", _("searched")
    EXPORT = "export", _("exported")
    DOWNLOAD = "download", _("downloaded")
    CHANGE = "change", _("changed")


class AccessLogEntry(models.Model):
    """One read or export of personal data: who, what, when, how, and why for exports.

    Append-only. The user is kept as a username snapshot as well, so the entry still
    says who it was if the account is later removed.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_log_entries",
    )
    username = models.CharField(_("username"), max_length=150)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    # The model's label ("registry.household") and its stable public code ("HH-004211");
    # an empty code means a list, search or export over many records.
    target_type = models.CharField(_("record type"), max_length=64)
    target_code = models.CharField(_("record"), max_length=64, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-id"]
        indexes = [
            # A record's page shows who accessed it.
            models.Index(fields=["target_type", "target_code", "-at"], name="access_target_idx"),
            models.Index(fields=["username", "-at"], name="access_user_idx"),
        ]
        permissions = [("view_access_log", _("Can search the access log"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target_type} {self.target_code}"
