"""Shared base model and the access log."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yurd.core.job_kinds import JobResultSummary, job_kind_label, job_result_summary


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
    # DjangoJSONEncoder: callers may pass dates and decimals in the detail.
    detail = models.JSONField(_("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder)
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
        permissions = [
            ("view_access_log", _("Can search the access log")),
            ("view_change_log", _("Can read the change history of every record")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target_type} {self.target_code}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("finished")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """A long piece of work (import, linkage, export) run by the task worker.

    The Job row is what people watch: the worker writes progress into it as it goes,
    and the page polls it. The django-tasks result id links it to the queue entry.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Technical detail of a failure (exception class and text) for operators; the
    # message above is what the person who started the job reads.
    error = models.TextField(_("error"), blank=True)
    # A file the job produced (an export), relative to MEDIA_ROOT.
    result_file = models.CharField(_("result file"), max_length=255, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # The language of the person who started the job; its messages are written in it.
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_idx")]
        permissions = [
            ("view_all_jobs", _("Can see every user's background jobs")),
            ("run_maintenance", _("Can start maintenance jobs")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", kwargs={"job_id": self.pk})

    @property
    def kind_label(self) -> Any:
        return job_kind_label(self.kind)

    @property
    def result_summary(self) -> JobResultSummary:
        """The result's figures, labelled for the job's page."""
        return job_result_summary(self.kind, self.result)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is not yet known."""
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    def is_visible_to(self, user: object) -> bool:
        """The person who started a job sees it; so do those allowed to see every job."""
        if getattr(user, "is_authenticated", False) is not True:
            return False
        return self.owner_id == getattr(user, "pk", None) or user.has_perm("core.view_all_jobs")  # type: ignore[attr-defined]


class WorkerHeartbeat(models.Model):
    """A running `yurd worker` process, and when it last said it was alive.

    A worker writes `seen_at` every few seconds. A task left running by a worker whose
    heartbeat is older than the lease was abandoned (the process was killed or its
    machine stopped): another worker fails it cleanly or queues it again.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class DerivedKeys(models.Model):
    """With which rules a kind of stored key (search keys, sort keys) was last computed.

    `name` is what yurd.core.derived registered ("sort keys", "places search keys" …);
    `fingerprint` is yurd.names.fingerprint.rules_fingerprint() when they were computed. After
    `yurd migrate`, keys whose fingerprint differs from the running code's are recomputed.
    """

    name = models.CharField(max_length=64, primary_key=True)
    fingerprint = models.CharField(max_length=64)
    refreshed_at = models.DateTimeField(default=timezone.now)
    rows_changed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("derived keys")
        verbose_name_plural = _("derived keys")

    def __str__(self) -> str:
        return f"{self.name}: {self.fingerprint}"
