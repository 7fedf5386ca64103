"""Testimonies: accounts people gave, their consent, media, transcripts and segments.

A withdrawn consent hides a testimony everywhere at once because every read goes
through selectors.visible_testimonies, which excludes it; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.core.fields import PartialDateField
from yurd.core.languages import in_current_language
from yurd.core.models import TimeStampedModel


class TestimonyLanguage(models.TextChoices):
    AZ = "az", _("Azerbaijani")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    OTHER = "other", _("other")


class ConsentUse(models.TextChoices):
    ARCHIVE = "archive", _("keeping in the archive")
    RESEARCH = "research", _("research")
    LEGAL = "legal", _("claims and legal proceedings")
    PUBLICATION = "publication", _("publication")
    EDUCATION = "education", _("education and exhibitions")


class AccessLevel(models.TextChoices):
    OPEN = "open", _("open to every role that reads testimonies")
    RESTRICTED = "restricted", _("restricted: archivists and administrators")


class TermStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Term(TimeStampedModel):
    """A keyword of the controlled thesaurus; new terms are proposed, then approved."""

    label_en = models.CharField(_("label (English)"), max_length=100, unique=True)
    label_az = models.CharField(_("label (Azerbaijani)"), max_length=100, blank=True)
    label_ru = models.CharField(_("label (Russian)"), max_length=100, blank=True)
    scope_note = models.TextField(_("scope note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TermStatus.choices, default=TermStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thesaurus term")
        verbose_name_plural = _("thesaurus terms")
        ordering = ["label_en"]
        permissions = [("approve_term", _("Can approve or reject proposed thesaurus terms"))]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_current_language(en=self.label_en, az=self.label_az, ru=self.label_ru)


class Testimony(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)  # "T-000123"
    title = models.CharField(_("title"), max_length=300)
    # Empty narrator: the narrator asked to stay anonymous (or is not in the registry).
    narrator = models.ForeignKey(
        "registry.Person",
        verbose_name=_("narrator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="testimonies",
    )
    narrator_description = models.CharField(
        _("narrator (when anonymous)"), max_length=200, blank=True, help_text=_("For example: woman born 1940s")
    )
    interviewer = models.CharField(_("interviewer"), max_length=200)
    recorded_on = PartialDateField(_("date of recording"))
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place of recording"), null=True, blank=True, on_delete=models.PROTECT
    )
    language = models.CharField(_("language"), max_length=8, choices=TestimonyLanguage.choices)
    consent_uses = models.JSONField(_("consented uses"), default=list, blank=True)
    consent_restrictions = models.TextField(_("restrictions"), blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True, db_index=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    access_level = models.CharField(
        _("access level"), max_length=12, choices=AccessLevel.choices, default=AccessLevel.OPEN
    )
    media = models.ForeignKey(
        "evidence.EvidenceItem",
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Photographs, documents or further recordings the narrator showed or gave.
    other_media = models.ManyToManyField(
        "evidence.EvidenceItem", verbose_name=_("other media"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[other_media])

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_restricted_testimony", _("Can read restricted testimonies")),
            ("withdraw_testimony_consent", _("Can record a withdrawal of consent")),
            ("export_testimony", _("Can export testimonies")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def public_code(self) -> str:
        return self.code

    @property
    def consent_use_labels(self) -> list[str]:
        """The consented uses as people read them (the field keeps their codes)."""
        labels = dict(ConsentUse.choices)
        return [str(labels.get(use, use)) for use in self.consent_uses or []]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def media_tag(self) -> str:
        """The HTML element that plays the recording ("audio" or "video")."""
        if self.media is not None and self.media.media_type.startswith("video/"):
            return "video"
        return "audio"


class TranscriptKind(models.TextChoices):
    TRANSCRIPT = "transcript", _("transcript")
    TRANSLATION = "translation", _("translation")


class Transcript(TimeStampedModel):
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="transcripts")
    kind = models.CharField(_("kind"), max_length=12, choices=TranscriptKind.choices, default=TranscriptKind.TRANSCRIPT)
    language = models.CharField(_("language"), max_length=8, choices=TestimonyLanguage.choices)
    text = models.TextField(_("text"))
    # Filled by the services: the folded keys (yurd.names.search_key) and the
    # case-folded text, so one query matches any script on SQLite and PostgreSQL alike.
    search_folded = models.TextField(editable=False, blank=True, default="")
    search_casefold = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["kind", "language"]

    def __str__(self) -> str:
        return f"{self.testimony_id} {self.kind} {self.language}"


class Segment(TimeStampedModel):
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="segments")
    start_seconds = models.PositiveIntegerField(_("start (seconds)"))
    end_seconds = models.PositiveIntegerField(_("end (seconds)"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    transcript_text = models.TextField(_("transcript of this part"), blank=True)
    keywords = models.ManyToManyField(Term, verbose_name=_("keywords"), blank=True, related_name="segments")
    people = models.ManyToManyField("registry.Person", verbose_name=_("people named"), blank=True, related_name="+")
    places = models.ManyToManyField("places.Place", verbose_name=_("places named"), blank=True, related_name="+")
    heritage_sites = models.ManyToManyField(
        "heritage.Site", verbose_name=_("heritage sites named"), blank=True, related_name="+"
    )
    events = models.JSONField(_("events named"), default=list, blank=True)
    search_folded = models.TextField(editable=False, blank=True, default="")
    search_casefold = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["testimony", "start_seconds"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_seconds__gt=models.F("start_seconds")), name="segment_order")
        ]

    def __str__(self) -> str:
        return f"{self.testimony_id} {self.start_seconds}-{self.end_seconds} {self.title}"

    @property
    def start_label(self) -> str:
        minutes, seconds = divmod(self.start_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ConsentEvent(models.Model):
    """Append-only record of every consent act on a testimony (given, changed, withdrawn)."""

    testimony = models.ForeignKey(Testimony, on_delete=models.PROTECT, related_name="consent_events")
    action = models.CharField(_("action"), max_length=16)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.testimony_id} {self.action} {self.at:%Y-%m-%d}"

    @property
    def action_label(self) -> str:
        labels = {
            "given": _("consent given"),
            "changed": _("consent changed"),
            "withdrawn": _("consent withdrawn"),
            "media_unsealed": _("withdrawn media unsealed"),
        }
        return str(labels.get(self.action, self.action))


class MediaUnsealing(models.Model):
    """An administrator's decision to show again an item sealed by a withdrawal of consent.

    A testimony's withdrawal seals its recording and other media everywhere in the vault
    (yurd.testimonies.selectors.testimony_media_q); only this row, written by
    `testimony_media_unseal` with a reason and logged, lifts the seal for one item.
    Append-only.
    """

    testimony = models.ForeignKey(
        Testimony, verbose_name=_("testimony"), on_delete=models.PROTECT, related_name="unsealings"
    )
    item = models.ForeignKey(
        "evidence.EvidenceItem", verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("unsealing of withdrawn media")
        verbose_name_plural = _("unsealings of withdrawn media")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["testimony", "item"], name="unique_media_unsealing")]
        permissions = [("unseal_testimony_media", _("Can unseal the media of a withdrawn testimony"))]

    def __str__(self) -> str:
        return f"{self.testimony_id} {self.item_id} {self.at:%Y-%m-%d}"
