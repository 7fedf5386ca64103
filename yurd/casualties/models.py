"""The register of deaths, injuries and disappearances, and the source lists that name them.

A source list (an official report, a community list, cemetery records …) arrives as a
file; each of its rows becomes a ListEntry, kept as the list wrote it. Record linkage
joins entries that are one person into a CasualtyPerson, so each person shows every
list that names them, and the lists' overlaps feed multiple systems estimation
(yurd.estimation) of how many people no list names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yurd.accounts.scopes import scope_q
from yurd.core.fields import PartialDateField, SortKeyField
from yurd.core.models import TimeStampedModel

if TYPE_CHECKING:
    from yurd.accounts.models import User


class ListKind(models.TextChoices):
    OFFICIAL_REPORT = "official_report", _("official report")
    COMMUNITY_LIST = "community_list", _("community list")
    TESTIMONIES = "testimonies", _("testimonies")
    CEMETERY_RECORDS = "cemetery_records", _("cemetery records")
    PRESS_LIST = "press_list", _("press list")
    OTHER = "other", _("other")


class SourceList(TimeStampedModel):
    """A list that names people who died, were injured or disappeared: a source, never the truth."""

    # Short and stable: the list's column in capture tables and `yurd estimate --register`.
    code = models.SlugField(_("short name"), max_length=32, unique=True)
    name = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ListKind.choices)
    compiler = models.CharField(_("compiled by"), max_length=200, blank=True)
    compiled_on = PartialDateField(_("compiled on"))
    period_from = PartialDateField(_("covers from"))
    period_to = PartialDateField(_("covers to"))
    area = models.ForeignKey(
        "places.Place",
        verbose_name=_("area covered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("source list")
        verbose_name_plural = _("source lists")
        ordering = ["code"]
        permissions = [("view_register_figures", _("Can see the register's counts and estimates"))]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def public_code(self) -> str:
        return self.code


class EventKind(models.TextChoices):
    DEATH = "death", _("death")
    INJURY = "injury", _("injury")
    DISAPPEARANCE = "disappearance", _("disappearance")


class Certainty(models.TextChoices):
    DEFINITE = "definite", _("definite")
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class CasualtyPersonQuerySet(models.QuerySet["CasualtyPerson"]):
    def visible_to(self, user: User | None) -> CasualtyPersonQuerySet:
        """People whose event took place within the reader's scope (None: the system).

        The place of the event stands for both bases of a scope (origin and residence):
        the people of a register died, were hurt or went missing where they lived.
        A person whose place is unknown is seen only by readers without a scope limit.
        """
        return self.filter(scope_q(user, origin="place", residence="place"), merged_into__isnull=True)

    def current(self) -> CasualtyPersonQuerySet:
        """Every person not merged into another, whoever reads: for counts and estimates."""
        return self.filter(merged_into__isnull=True)


class CasualtyPerson(TimeStampedModel):
    """One person of the register, joined from the list entries that name them."""

    code = models.CharField(_("code"), max_length=16, unique=True)  # "CP-000123"
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casualty_records",
    )
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_year = models.SmallIntegerField(_("birth year"), null=True, blank=True)
    event = models.CharField(_("event"), max_length=16, choices=EventKind.choices, default=EventKind.DEATH)
    event_date = PartialDateField(_("date of the event"))
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place_text = models.CharField(_("place (as written)"), max_length=200, blank=True)
    wave = models.ForeignKey(
        "registry.Wave", verbose_name=_("wave"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    circumstances = models.TextField(_("circumstances (as recorded)"), blank=True)
    # Surname then given name in Azerbaijani alphabetical order: the register's order (issue 19).
    name_sort = SortKeyField(sources=("surname", "given_name"))
    # Set when a reviewer decided this record is the same person as another: its entries moved there.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CasualtyPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person in the register")
        verbose_name_plural = _("people in the register")
        ordering = ["name_sort", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def public_code(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part) or self.code


class ListEntry(TimeStampedModel):
    """One row of a source list, as the list wrote it."""

    source_list = models.ForeignKey(
        SourceList, verbose_name=_("list"), on_delete=models.PROTECT, related_name="entries"
    )
    record_id = models.CharField(_("record id in the list"), max_length=100)
    person = models.ForeignKey(
        CasualtyPerson,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = PartialDateField(_("birth date"))
    event = models.CharField(_("event"), max_length=16, choices=EventKind.choices, default=EventKind.DEATH)
    event_date = PartialDateField(_("date of the event"))
    place_text = models.CharField(_("place (as written)"), max_length=200, blank=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wave = models.ForeignKey(
        "registry.Wave", verbose_name=_("wave"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    circumstances = models.TextField(_("circumstances (as recorded)"), blank=True)
    certainty = models.CharField(_("certainty"), max_length=16, choices=Certainty.choices, default=Certainty.HIGH)
    registry_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raw = models.JSONField(_("row as read"), default=dict)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["source_list", "record_id"]
        constraints = [models.UniqueConstraint(fields=["source_list", "record_id"], name="unique_list_entry_record")]

    def __str__(self) -> str:
        return f"{self.source_list_id}#{self.record_id}"

    @property
    def name_as_written(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part) or self.full_name


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("checked")
    COMMITTED = "committed", _("committed")


class ListImport(TimeStampedModel):
    """A file staged for one list: every row checked and kept with its errors before anything is written."""

    source_list = models.ForeignKey(
        SourceList, verbose_name=_("list"), on_delete=models.PROTECT, related_name="imports"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.VALIDATED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rejected rows"), default=0)
    entries_created = models.PositiveIntegerField(_("entries created"), default=0)
    entries_unchanged = models.PositiveIntegerField(_("entries already on the list"), default=0)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class ListImportRow(models.Model):
    """One staged row: the cells as read, the errors found ([{"column", "message"}]) and the parsed values."""

    batch = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    data = models.JSONField(_("data"), default=dict)
    errors = models.JSONField(_("errors"), default=list)
    values = models.JSONField(_("parsed values"), default=dict)
    is_valid = models.BooleanField(_("valid"), default=True)

    class Meta:
        verbose_name = _("list import row")
        verbose_name_plural = _("list import rows")
        ordering = ["batch", "number"]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.number}"


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SAME = "same", _("same person")
    DIFFERENT = "different", _("different people")


class CasualtyMatch(TimeStampedModel):
    """Two people of the register who may be one, for a person to decide.

    The registry's queue (linkage.MatchCandidate) holds registry people only; this one
    holds the register's, whose merge moves list entries rather than households and
    kinship. A "different people" decision is kept: the pair is never proposed again.
    """

    left = models.ForeignKey(CasualtyPerson, on_delete=models.CASCADE, related_name="+")
    # The other side: another person of the register, or a person the registry records as
    # deceased (then "same person" links the register's person to the registry's).
    right = models.ForeignKey(CasualtyPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    registry_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the registry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="casualty_matches",
    )
    probability = models.FloatField(_("match probability"))
    explanation = models.TextField(_("explanation"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Who ran the linking that proposed the pair (None: a command-line or task run without a user).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("possible match in the register")
        verbose_name_plural = _("possible matches in the register")
        ordering = ["-probability", "pk"]
        permissions = [("adjudicate_casualtymatch", _("Can decide whether two register records are one person"))]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="unique_casualty_match_pair"),
            models.UniqueConstraint(
                fields=["left", "registry_person"],
                condition=models.Q(registry_person__isnull=False),
                name="unique_casualty_registry_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(right__isnull=False, registry_person__isnull=True)
                | models.Q(right__isnull=True, registry_person__isnull=False),
                name="casualty_match_one_counterpart",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id or f'registry {self.registry_person_id}'}"

    @property
    def explanation_parts(self) -> list[str]:
        return [part.strip() for part in self.explanation.split(";") if part.strip()]


class EstimateRun(models.Model):
    """An estimate computed from the register's capture histories, kept until the histories change.

    The bootstrap takes seconds; pages read the run whose fingerprint (the capture tables
    and the settings) matches the register as it stands, and compute a new one otherwise.
    """

    fingerprint = models.CharField(max_length=64, db_index=True)
    stratify = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register estimate")
        verbose_name_plural = _("register estimates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.fingerprint[:12]
