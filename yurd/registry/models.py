"""Households, people, kinship, displacement, consent and heir lines.

Sensitive field groups (contact details, identity documents) live in their own tables,
so that a query for lists never fetches them and access to them is checked apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.accounts.scopes import scope_q
from yurd.core.certainty import Certainty
from yurd.core.fields import PartialDateField, SortKeyField, with_sort_keys
from yurd.core.models import TimeStampedModel

if TYPE_CHECKING:
    from yurd.accounts.models import User


class CodeSequence(models.Model):
    """Last number handed out for one kind of public code ("household", "person", "heir_line").

    Incremented with a single UPDATE inside the caller's transaction, so two registrars
    saving at once never receive the same code (the row lock serialises them).
    """

    name = models.CharField(max_length=32, primary_key=True)
    last = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("code sequence")
        verbose_name_plural = _("code sequences")

    def __str__(self) -> str:
        return f"{self.name}={self.last}"


class Wave(models.Model):
    """A displacement wave; configuration data (the three default waves come in a data migration)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    year_from = models.SmallIntegerField(_("from year"))
    year_to = models.SmallIntegerField(_("to year"))

    class Meta:
        verbose_name = _("displacement wave")
        verbose_name_plural = _("displacement waves")
        ordering = ["year_from"]

    def __str__(self) -> str:
        return self.name


class HouseholdQuerySet(models.QuerySet["Household"]):
    def visible_to(self, user: User | None) -> HouseholdQuerySet:
        """The households within the reader's scope: the one definition every read of
        households starts from (None: the system, which sees all)."""
        return self.filter(scope_q(user, origin="origin_place", residence="current_place"))

    def unscoped(self) -> HouseholdQuerySet:
        """Every household, whoever reads: for writes, integrity checks and the system.
        A read shown to a person must use visible_to instead."""
        return self.all()


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User | None) -> PersonQuerySet:
        """The people whose household lies within the reader's scope (None: the system)."""
        return self.filter(scope_q(user, origin="household__origin_place", residence="household__current_place"))

    def unscoped(self) -> PersonQuerySet:
        """Every person, whoever reads: for writes, integrity checks and the system."""
        return self.all()


class Household(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)  # "HH-004211"
    origin_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("origin settlement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households_originating",
    )
    wave = models.ForeignKey(Wave, verbose_name=_("wave"), null=True, blank=True, on_delete=models.PROTECT)
    displacement_date = PartialDateField(_("displacement date"))
    destination_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("first destination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("current residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households_resident",
    )
    # Provenance: the list or form this household came from, and its id there.
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_ref = models.CharField(_("source record id"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Reads for a person start from Household.objects.visible_to(user); see HouseholdQuerySet.
    objects = HouseholdQuerySet.as_manager()
    # History is read by record (id) and by date; lookups by place or code are not.
    history = HistoricalRecords(no_db_index=["code", "origin_place", "wave", "destination_place", "current_place"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        # Scopes and list filters select households by origin, residence and wave together
        # (yurd.registry.selectors); these answer any mix of them without reading the rows.
        indexes = [
            models.Index(fields=["origin_place", "current_place", "wave"], name="household_origin_filter_idx"),
            models.Index(fields=["current_place", "origin_place", "wave"], name="household_current_filter_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="unique_household_source_ref",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def public_code(self) -> str:
        return self.code


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    UNKNOWN = "", _("unknown")


class HouseholdRole(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    GRANDCHILD = "grandchild", _("grandchild")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class Person(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)  # "P-0012345"
    # person_household_deceased_idx starts with the household: no index of its own.
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members", db_index=False
    )
    household_role = models.CharField(
        _("role in household"), max_length=16, choices=HouseholdRole.choices, default=HouseholdRole.OTHER
    )
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True, default=Sex.UNKNOWN)
    birth_date = PartialDateField(_("birth date"))
    birth_place_text = models.CharField(_("birth place (as written)"), max_length=200, blank=True)
    birth_place = models.ForeignKey(
        "places.Place", verbose_name=_("birth place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deceased = models.BooleanField(_("deceased"), default=False)
    death_date = PartialDateField(_("death date"))
    # Canonical Latin keys of every known form of the name (see yurd.names),
    # space-separated: the search box matches any script against them.
    search_text = models.TextField(editable=False, blank=True, default="")
    # Surname then given name in Azerbaijani alphabetical order: the list's order (issue 19).
    name_sort = SortKeyField(sources=("surname", "given_name"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_ref = models.CharField(_("source record id"), max_length=100, blank=True)
    # Reads for a person start from Person.objects.visible_to(user); see PersonQuerySet.
    objects = PersonQuerySet.as_manager()
    # History is read by record (id) and by date; lookups by household, place or code are not.
    history = HistoricalRecords(no_db_index=["code", "household", "birth_place"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_sort", "code"]
        indexes = [
            models.Index(fields=["name_sort", "code"], name="person_name_idx"),
            # The people list filtered by living/deceased, in name order, reads this index alone.
            models.Index(fields=["is_deceased", "name_sort", "code"], name="person_deceased_idx"),
            # The search box narrows its candidates to names beginning with the query's
            # words (yurd.registry.search); text_pattern_ops lets PostgreSQL answer
            # LIKE 'prefix%' from it under any collation (other databases ignore it).
            models.Index(fields=["search_text"], name="person_search_text_idx", opclasses=["text_pattern_ops"]),
            # "Households with a deceased (living) member" asks this index alone.
            models.Index(fields=["household", "is_deceased"], name="person_household_deceased_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="unique_person_source_ref",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") is not None:  # a new name, a new place in the list
            kwargs["update_fields"] = with_sort_keys(Person, kwargs["update_fields"])
        super().save(*args, **kwargs)

    @property
    def public_code(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part) or self.code


class PersonName(models.Model):
    """Another form of a person's name: another script, a maiden name, a source's spelling."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="other_names")
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    script = models.CharField(_("script"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=32, blank=True)  # "maiden", "passport", "source spelling"
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")

    def __str__(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


class KinshipKind(models.TextChoices):
    PARENT_OF = "parent_of", _("parent of")
    SPOUSE_OF = "spouse_of", _("spouse of")


class Kinship(TimeStampedModel):
    """`from_person` is parent (or spouse) of `to_person`."""

    # unique_kinship_edge's index starts with from_person: no index of its own.
    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kinship_out", db_index=False)
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kinship_in")
    kind = models.CharField(_("kind"), max_length=16, choices=KinshipKind.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    certainty = models.CharField(_("certainty"), max_length=16, choices=Certainty.choices, default=Certainty.HIGH)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kinship")
        verbose_name_plural = _("kinship")
        constraints = [
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="unique_kinship_edge"),
            models.CheckConstraint(condition=~models.Q(from_person=models.F("to_person")), name="kinship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_person_id} {self.kind} {self.to_person_id}"


class ContactDetails(models.Model):
    """Sensitive: seen only by roles that contact people."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")
        permissions = [
            ("view_sensitive", _("Can see contact details and identity documents")),
            ("export_registry", _("Can export the registry")),
        ]

    def __str__(self) -> str:
        return f"contact of {self.person_id}"


class IdentityDocument(models.Model):
    """Sensitive: passports, birth certificates, refugee cards."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identity_documents")
    kind = models.CharField(_("kind"), max_length=64)
    number = models.CharField(_("number"), max_length=64)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = PartialDateField(_("issued on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.kind} of {self.person_id}"


class Consent(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=200)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        # "Has an active consent", asked per person by lists and their filters.
        indexes = [models.Index(fields=["person", "withdrawn_on"], name="consent_person_active_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.person_id})"


class HeirLine(TimeStampedModel):
    """The descendants of one deceased person, who may claim for that person's losses.

    Its members are derived from kinship at any moment (yurd.registry.heirs); the line
    itself has an identity so claims can refer to it and the database can refuse a
    second compensation of the same loss within it.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)  # "HL-000123"
    ancestor = models.OneToOneField(
        Person, verbose_name=_("ancestor"), on_delete=models.PROTECT, related_name="heir_line"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("heir line")
        verbose_name_plural = _("heir lines")

    def __str__(self) -> str:
        return self.code

    @property
    def public_code(self) -> str:
        return self.code


class NameToken(models.Model):
    """One distinct folded name token (see yurd.names.search_tokens).

    The vocabulary is small (thousands of tokens for a quarter of a million people), so
    the search box can afford prefix and typo-tolerant lookups in it, then jump through
    PersonNameToken to the people: an indexed path that works the same on every database.
    """

    text = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("name token")
        verbose_name_plural = _("name tokens")

    def __str__(self) -> str:
        return self.text


class PersonNameToken(models.Model):
    """A person holds a token: a derived index, rebuilt from the names (search_index.py).

    Keyed by (token, person) with no id of its own and no foreign-key constraints in the
    database: it holds nothing that is not in the names, so Django's cascade (people are
    deleted through the ORM) is all the integrity it needs, and a registry import writes a
    million of these rows. On PostgreSQL every foreign-key check takes a row lock on the
    referenced person; those checks were two thirds of the time spent writing this table.
    `yurd registry reindex` rebuilds it.
    """

    pk = models.CompositePrimaryKey("token", "person")
    # The primary key's index starts with the token: no index of its own.
    token = models.ForeignKey(
        NameToken, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        verbose_name = _("person name token")
        verbose_name_plural = _("person name tokens")

    def __str__(self) -> str:
        return f"{self.token_id}:{self.person_id}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    VALIDATING = "validating", _("validating")
    VALIDATED = "validated", _("validated")
    COMMITTING = "committing", _("committing")
    COMMITTED = "committed", _("committed")
    FAILED = "failed", _("failed")


class ImportBatch(TimeStampedModel):
    """A file staged for import: every row is validated and kept with its errors first."""

    source = models.CharField(_("source"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    # The uploaded file, kept only until its rows are staged (then deleted).
    file = models.FileField(_("file"), upload_to="registry-imports/", blank=True)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rejected rows"), default=0)
    households_created = models.PositiveIntegerField(_("households created"), default=0)
    people_created = models.PositiveIntegerField(_("people created"), default=0)
    people_unchanged = models.PositiveIntegerField(_("people already imported"), default=0)
    error = models.TextField(_("error"), blank=True)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    # The latest background job working on the batch (its check, then its commit): the
    # batch's page shows it queued and running, and it is listed with the person's jobs.
    job = models.ForeignKey(
        "core.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source})"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        """True while its check or commit is queued or running (the page then polls)."""
        if self.status in {ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.COMMITTING}:
            return True
        return self.job is not None and not self.job.is_finished


class ImportRow(models.Model):
    """One staged row: the cells as read and the errors found ([{"column", "message"}])."""

    # unique_import_row_number's index starts with the batch: no index of its own.
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows", db_index=False)
    number = models.PositiveIntegerField(_("row"))
    data = models.JSONField(_("data"), default=dict)
    errors = models.JSONField(_("errors"), default=list)
    # Parsed values of a valid row (dates in storage form, places and waves as ids), so
    # the commit does not parse and resolve everything a second time.
    values = models.JSONField(_("parsed values"), default=dict)
    is_valid = models.BooleanField(_("valid"), default=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="unique_import_row_number")]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.number}"


# ---------------------------------------------------------------- how many families in all


# Alike in shape only to casualties.EstimateRun, a cache: this is a kept record that figures cite.
class PopulationEstimate(models.Model):
    """How many displaced families exist, estimated from how the registration lists overlap.

    Multiple systems estimation (yurd.estimation) over the registry's own sources: each
    household is on every list (import source) that named it or any of its members,
    directly or through a record linked into them. Kept as computed, never edited, so a
    figure that cites it can always show where it came from (docs/estimation.md).
    """

    # The lists used, in the order of the capture table's columns (L1, L2, ...).
    lists = models.JSONField(_("lists"), default=list, blank=True)
    method = models.CharField(_("method"), max_length=16)
    pthresh = models.FloatField(_("p-value threshold"), null=True, blank=True)
    interactions = models.JSONField(_("interactions kept"), default=list, blank=True)  # pairs of list names
    observed = models.PositiveIntegerField(_("families on at least one list"))
    estimate = models.FloatField(_("estimate"))
    interval_low = models.FloatField(_("interval from"), null=True, blank=True)
    interval_high = models.FloatField(_("interval to"), null=True, blank=True)
    level = models.FloatField(_("coverage of the interval"), default=0.95)
    interval_method = models.CharField(_("interval method"), max_length=16, blank=True)
    bootstrap_samples = models.PositiveIntegerField(_("bootstrap samples"), default=0)
    seed = models.IntegerField(_("seed"), null=True, blank=True)
    counts = models.JSONField(_("capture table"), default=list, blank=True)  # [[pattern, count], ...]
    caveats = models.JSONField(_("caveats"), default=list, blank=True)  # caveat codes of yurd.estimation
    result = models.JSONField(_("result"), default=dict, blank=True)  # Estimate.as_dict(), columns L1..Lk
    note = models.TextField(_("note"), blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("population estimate")
        verbose_name_plural = _("population estimates")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.estimate:.0f} ({self.computed_at:%Y-%m-%d})"

    @property
    def public_code(self) -> str:
        return f"E-{self.pk}"


class FigureKind(models.TextChoices):
    COUNT = "count", _("count")
    ESTIMATE = "estimate", _("estimate")


class PopulationFigure(TimeStampedModel):
    """The number of displaced families the organisation cites, with its source.

    Claims progress ("assessed N of M families") and the dashboard show it beside the
    registered count. One row, changed by administrators only; every change is in its
    history with who, when and why.
    """

    families = models.PositiveIntegerField(_("families"))
    kind = models.CharField(_("kind"), max_length=16, choices=FigureKind.choices, default=FigureKind.ESTIMATE)
    source = models.TextField(_("source"), help_text=_("Who gives the figure, in what document, and when."))
    interval_low = models.PositiveIntegerField(_("interval from"), null=True, blank=True)
    interval_high = models.PositiveIntegerField(_("interval to"), null=True, blank=True)
    estimate = models.ForeignKey(
        PopulationEstimate,
        verbose_name=_("estimate cited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")

    def __str__(self) -> str:
        return f"{self.families} ({self.kind})"

    def clean(self) -> None:
        low, high = self.interval_low, self.interval_high
        if (low is None) != (high is None):
            raise ValidationError({"interval_high": _("Give both ends of the interval, or neither.")})
        if low is not None and high is not None and not low <= (self.families or 0) <= high:
            raise ValidationError({"interval_low": _("The interval must contain the number of families.")})
        if self.source is not None and not self.source.strip():
            raise ValidationError({"source": _("Say who gives the figure, in what document, and when.")})

    @property
    def public_code(self) -> str:
        return f"F-{self.pk}"
