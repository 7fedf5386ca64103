"""Return intentions: what a household said, on a survey date, about going back.

Every answer is kept; the latest one (by survey date, then by when it was recorded)
is the household's current intention (see selectors.latest_intentions).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.core.models import TimeStampedModel


class Intention(models.TextChoices):
    YES = "yes", _("intends to return")
    CONDITIONAL = "conditional", _("would return under conditions")
    UNDECIDED = "undecided", _("undecided")
    NO = "no", _("does not intend to return")


class ReturnCondition(models.TextChoices):
    SECURITY = "security", _("security")
    HOUSING = "housing", _("housing")
    PROPERTY = "property", _("property restitution")
    LIVELIHOOD = "livelihood", _("livelihood")
    SERVICES = "services", _("services (schools, health, water)")
    DOCUMENTS = "documents", _("documents")


class Timeline(models.TextChoices):
    WITHIN_YEAR = "within_year", _("within a year")
    ONE_TO_THREE = "one_to_three", _("in one to three years")
    LATER = "later", _("later")
    UNKNOWN = "unknown", _("not known")


def check_preferred_place(*, intention: str, preferred_place: object | None) -> None:
    """The one rule every path obeys (pages, API, field submissions, demo data): an answer
    other than "no" names the settlement the household would return to. Raised by
    `ReturnIntention.clean`, which the service runs; forms and the API call it to show the
    message next to their field."""
    if intention != Intention.NO and preferred_place is None:
        raise ValidationError({"preferred_place": _("Name the settlement the household would return to.")})


class ReturnIntention(TimeStampedModel):
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="return_intentions",
    )
    survey_date = models.DateField(_("survey date"))
    intention = models.CharField(_("intention"), max_length=16, choices=Intention.choices)
    preferred_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("preferred settlement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A short list of ReturnCondition values; kept as JSON because it is only ever read whole.
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    returning_members = models.ManyToManyField(
        "registry.Person", verbose_name=_("members who would return"), blank=True, related_name="+"
    )
    timeline = models.CharField(_("timeline"), max_length=16, choices=Timeline.choices, default=Timeline.UNKNOWN)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[returning_members])

    class Meta:
        verbose_name = _("return intention")
        verbose_name_plural = _("return intentions")
        ordering = ["-survey_date", "-id"]
        indexes = [models.Index(fields=["household", "-survey_date", "-id"], name="return_latest_idx")]
        permissions = [
            ("plan_returns", _("Can see the return planning view")),
            ("export_returns", _("Can export return intentions for planners")),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.survey_date} {self.intention}"

    def clean(self) -> None:
        check_preferred_place(intention=self.intention, preferred_place=self.preferred_place_id)

    @property
    def condition_labels(self) -> list[str]:
        labels = dict(ReturnCondition.choices)
        return [str(labels.get(code, code)) for code in self.conditions]
