"""Field collection: teams, their assigned households, and the submissions devices send.

A submission is kept as received (its XML and attachments) and enters the registry's
staged import (registry.ImportBatch); it never writes to the registry itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.core.models import TimeStampedModel
from yurd.fieldwork.definition import all_forms
from yurd.linkage.explanations import reasons_of, render_reasons


class Team(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="field_teams"
    )
    # Ids of the published forms this team's devices list (definition.PUBLISHED_FORMS).
    forms = models.JSONField(_("forms"), default=all_forms, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("field team")
        verbose_name_plural = _("field teams")
        ordering = ["name"]
        permissions = [
            ("collect", _("Can collect data with a device (OpenRosa)")),
            ("review_submission", _("Can review field submissions and upload exports")),
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(TimeStampedModel):
    """A household a team is to visit; devices of the team's members receive it."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="assignments")
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["team", "household"], name="unique_assignment")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.household_id}"


class DigestAlgorithm(models.TextChoices):
    MD5 = "MD5", "MD5"
    SHA256 = "SHA-256", "SHA-256"


class DeviceCredential(TimeStampedModel):
    """The secret an OpenRosa client proves with HTTP Digest (RFC 7616).

    Digest needs H(username:realm:password) on the server, which Django's salted password
    hashes cannot give; so a device user gets a separate device password, of which only
    these two digests are kept (never the password). Changing the realm invalidates them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="device_credential"
    )
    realm = models.CharField(_("realm"), max_length=100)
    ha1_md5 = models.CharField(max_length=32, editable=False)
    ha1_sha256 = models.CharField(max_length=64, editable=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["ha1_md5", "ha1_sha256"])

    class Meta:
        verbose_name = _("device password")
        verbose_name_plural = _("device passwords")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.realm}"

    def ha1(self, algorithm: str) -> str:
        return self.ha1_sha256 if algorithm == DigestAlgorithm.SHA256 else self.ha1_md5


class SubmissionChannel(models.TextChoices):
    OPENROSA = "openrosa", _("device (OpenRosa)")
    UPLOAD = "upload", _("uploaded export")


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    STAGED = "staged", _("staged for import")
    REJECTED = "rejected", _("rejected")


class Submission(TimeStampedModel):
    # The instanceID the client generated (uuid:...): the same submission sent twice is one row.
    instance_id = models.CharField(_("instance id"), max_length=100, unique=True)
    form_id = models.CharField(_("form"), max_length=100)
    form_version = models.CharField(_("form version"), max_length=50, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=SubmissionChannel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    xml = models.TextField(_("submitted XML"), blank=True)
    values = models.JSONField(_("values"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.RECEIVED
    )
    error = models.TextField(_("error"), blank=True)
    import_batch = models.ForeignKey(
        "registry.ImportBatch",
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    household_code = models.CharField(_("household"), max_length=16, blank=True)
    # Where the submission's household comes from and lives now, resolved on arrival: the
    # scope a reviewer needs to open it (unresolved places: full-scope reviewers only).
    origin_place = models.ForeignKey(
        "places.Place", verbose_name=_("origin"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("current residence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intention_recorded = models.ForeignKey(
        "returns.ReturnIntention", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.instance_id


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="fieldwork/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="unique_submission_attachment")]

    def __str__(self) -> str:
        return self.name


class MatchOutcome(models.TextChoices):
    # The values BatchMatch.outcome takes (yurd.linkage.services.match_batch).
    EXISTING = "existing", _("certain: the commit links this member to the person")
    REVIEW = "review", _("uncertain: the commit queues the pair for adjudication")


class SubmissionMatch(models.Model):
    """What the registry import's matching says of one member of a staged submission (a preview)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="matches")
    member = models.PositiveSmallIntegerField(_("member"))
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=MatchOutcome.choices, default=MatchOutcome.REVIEW)
    probability = models.FloatField(_("probability"))
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("submission match")
        verbose_name_plural = _("submission matches")
        ordering = ["submission", "member", "-probability"]

    def __str__(self) -> str:
        return f"{self.submission_id}#{self.member} ~ {self.person_id}"

    @property
    def explanation_display(self) -> str:
        """The engine's reasons in the reader's language (the stored text is the engine's English)."""
        return "; ".join(render_reasons(reasons_of(self.explanation)))
