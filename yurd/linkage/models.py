"""Match candidates (the adjudication queue) and reversible merges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yurd.core.models import TimeStampedModel
from yurd.linkage.explanations import render_reasons


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SAME = "same", _("same person")
    DIFFERENT = "different", _("different people")
    UNSURE = "unsure", _("not sure")


class MatchCandidate(TimeStampedModel):
    """Two registry records that may be one person, with the model's probability and reasons.

    A "different people" decision is kept for good: the pair is never proposed again."""

    left = models.ForeignKey(
        "registry.Person", verbose_name=_("first person"), on_delete=models.CASCADE, related_name="+"
    )
    right = models.ForeignKey(
        "registry.Person", verbose_name=_("second person"), on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField(_("match probability"))
    explanation = models.TextField(_("explanation"), blank=True)  # the engine's English, as written
    # The same as codes with parameters (yurd.linkage.matching.reasons), shown in the reader's language.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    origin = models.CharField(_("found by"), max_length=32, blank=True)  # "scan", "import"
    status = models.CharField(_("status"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match candidate")
        verbose_name_plural = _("match candidates")
        ordering = ["-probability", "pk"]
        permissions = [("adjudicate_matchcandidate", _("Can decide whether two records are one person"))]
        indexes = [models.Index(fields=["status", "probability"], name="linkage_candidate_queue_idx")]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.probability:.2f})"

    @property
    def explanation_parts(self) -> list[str]:
        """The reasons in the reader's language; a pair stored without reasons shows its text."""
        if self.reasons:
            return render_reasons(self.reasons)
        return [part.strip() for part in self.explanation.split(";") if part.strip()]


class Merge(TimeStampedModel):
    """One person record absorbed into another. `snapshot` holds the absorbed record and every
    row moved or removed, so that undoing restores both persons exactly."""

    survivor = models.ForeignKey(
        "registry.Person", verbose_name=_("kept person"), on_delete=models.PROTECT, related_name="+"
    )
    absorbed_code = models.CharField(_("merged person code"), max_length=16, db_index=True)
    absorbed_name = models.CharField(_("merged person name"), max_length=300)
    candidate = models.ForeignKey(
        MatchCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    snapshot = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.absorbed_code} → {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
