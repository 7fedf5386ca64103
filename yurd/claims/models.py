"""Claims, loss items, valuation tables, the assessment workflow, decisions and cohorts.

Rules about one row live here; every state change is a service in services.py.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yurd.core.fields import PartialDateField
from yurd.core.languages import in_current_language
from yurd.core.models import TimeStampedModel


class Unit(models.TextChoices):
    SQUARE_METRE = "m2", _("m²")
    HECTARE = "ha", _("hectares")
    HEAD = "head", _("head of livestock")
    ITEM = "item", _("items")
    PERSON = "person", _("persons")
    MONTH = "month", _("months")
    LUMP_SUM = "lump", _("lump sum")


class LossCategory(models.Model):
    """A loss category (UNCC-style); configuration data, seeded by a data migration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_az = models.CharField(_("name in Azerbaijani"), max_length=100, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    default_unit = models.CharField(_("default unit"), max_length=8, choices=Unit.choices)
    fixed_sum_eligible = models.BooleanField(_("fixed sum eligible"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("loss category")
        verbose_name_plural = _("loss categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_current_language(en=self.name, az=self.name_az, ru=self.name_ru)


class Remedy(models.TextChoices):
    UNDECIDED = "undecided", _("not chosen yet")
    RESTITUTION = "restitution", _("restitution")
    COMPENSATION = "compensation", _("compensation")


class FiledBy(models.TextChoices):
    HOUSEHOLD = "household", _("household")
    HEIR_LINE = "heir_line", _("heir line")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    DOCUMENTS_VERIFIED = "documents_verified", _("documents verified")
    ASSESSED = "assessed", _("assessed")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned (incomplete)")
    DECIDED = "decided", _("decided")
    APPEALED = "appealed", _("appealed")
    FINAL = "final", _("final")
    WITHDRAWN = "withdrawn", _("withdrawn")
    ANNULLED = "annulled", _("annulled")


# Progress counts a household as assessed only through these states; returned,
# withdrawn and annulled files are reported apart and never inflate it.
ASSESSED_STATES = (
    ClaimStatus.ASSESSED,
    ClaimStatus.APPROVED,
    ClaimStatus.DECIDED,
    ClaimStatus.APPEALED,
    ClaimStatus.FINAL,
)
DECIDED_STATES = (ClaimStatus.DECIDED, ClaimStatus.APPEALED, ClaimStatus.FINAL)
CLOSED_STATES = (ClaimStatus.WITHDRAWN, ClaimStatus.ANNULLED)
EDITABLE_STATES = (ClaimStatus.DRAFT, ClaimStatus.RETURNED)


class LetterLanguage(models.TextChoices):
    AZ = "az", "Azərbaycanca"
    RU = "ru", "Русский"
    EN = "en", "English"


class ValuationTableStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    RETIRED = "retired", _("retired")


class ValuationTable(TimeStampedModel):
    """One version of the unit prices. Rows never change once imported: a new price is a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=8, choices=ValuationTableStatus.choices, default=ValuationTableStatus.ACTIVE
    )
    source_filename = models.CharField(_("source file"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("source file SHA-256"), max_length=64, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("valuation table")
        verbose_name_plural = _("valuation tables")
        ordering = ["-version"]
        permissions = [("manage_valuation", _("Can import valuation tables and re-value claims"))]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class ValuationRate(models.Model):
    """Unit value for a category in a region (any ancestor place; null = everywhere) and year (null = any)."""

    table = models.ForeignKey(ValuationTable, on_delete=models.CASCADE, related_name="rates")
    category = models.ForeignKey(LossCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "places.Place", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.SmallIntegerField(_("year"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    unit_value = models.DecimalField(_("unit value"), max_digits=16, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("valuation rate")
        verbose_name_plural = _("valuation rates")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "category", "region", "year", "unit"], name="unique_valuation_rate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {self.year} {self.unit_value} {self.currency}/{self.unit}"


class ConversionIndex(models.Model):
    """A currency change or inflation factor applied, in sequence, to values priced in `year` (null = all)."""

    table = models.ForeignKey(ValuationTable, on_delete=models.CASCADE, related_name="indices")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    label = models.CharField(_("label"), max_length=200)
    year = models.SmallIntegerField(_("applies to prices of year"), null=True, blank=True)
    factor = models.DecimalField(_("factor"), max_digits=24, decimal_places=12)

    class Meta:
        verbose_name = _("conversion index")
        verbose_name_plural = _("conversion indices")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"{self.label} × {self.factor}"


class ImportStatus(models.TextChoices):
    STAGED = "staged", _("staged")
    APPLIED = "applied", _("applied")
    DISCARDED = "discarded", _("discarded")


class ValuationImport(TimeStampedModel):
    """An uploaded table file, parsed and checked row by row before it becomes a version."""

    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("table name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.STAGED)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    table = models.OneToOneField(ValuationTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("valuation import")
        verbose_name_plural = _("valuation imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class Cohort(TimeStampedModel):
    """Similar files: one origin settlement, one wave, one loss category."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    origin_place = models.ForeignKey(
        "places.Place", verbose_name=_("origin settlement"), on_delete=models.PROTECT, related_name="+"
    )
    wave = models.ForeignKey(
        "registry.Wave", verbose_name=_("wave"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(LossCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    precedent = models.ForeignKey(
        "Decision",
        verbose_name=_("precedent decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["origin_place", "wave", "category"], name="unique_cohort")]

    def __str__(self) -> str:
        return self.code

    @property
    def public_code(self) -> str:
        return self.code


class Claim(TimeStampedModel):
    case_number = models.CharField(_("case number"), max_length=20, unique=True)  # "CL-2026-000123"
    filed_by = models.CharField(_("filed by"), max_length=10, choices=FiledBy.choices, default=FiledBy.HOUSEHOLD)
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("displaced household"), on_delete=models.PROTECT, related_name="claims"
    )
    heir_line = models.ForeignKey(
        "registry.HeirLine",
        verbose_name=_("heir line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    remedy = models.CharField(_("remedy sought"), max_length=12, choices=Remedy.choices, default=Remedy.UNDECIDED)
    language = models.CharField(
        _("letter language"), max_length=2, choices=LetterLanguage.choices, default=LetterLanguage.AZ
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT, db_index=True
    )
    # Optimistic concurrency: every write names the version it read; a stale one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # HMAC-SHA256 of the status look-up secret under SECRET_KEY; the secret itself is shown once.
    secret_hash = models.CharField(max_length=64, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    total_value = models.DecimalField(_("assessed value"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    valuation_table = models.ForeignKey(
        ValuationTable,
        verbose_name=_("valuation table"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, db_index=True)
    # Monday of the decision's week (local time), stored so the dashboard's throughput is a
    # plain GROUP BY on both databases instead of a per-row date function.
    decided_week = models.DateField(_("week decided"), null=True, blank=True, db_index=True)
    # Set when a decision needs another look (a failed QC sample of its batch); cleared by a reviewer.
    review_flag = models.CharField(_("flagged for re-review"), max_length=300, blank=True)
    # An heir line's claim: the heirs and shares the registry derived from kinship when the
    # claimants were last checked (person code -> share), so a later change of kinship shows.
    derived_heirs = models.JSONField(_("heirs derived from kinship"), default=dict, blank=True, editable=False)
    # Shares other than the rule's (or not every derived heir claiming) need a reason and a second person.
    share_override_reason = models.TextField(_("why the shares differ from the heirs' shares"), blank=True)
    share_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_override_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_override_reviewed_at = models.DateTimeField(_("share override reviewed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["secret_hash"])

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-case_number"]
        # The dashboard counts households through claims in given states.
        indexes = [models.Index(fields=["status", "household"], name="claim_status_household_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filed_by="household", heir_line__isnull=True)
                | models.Q(filed_by="heir_line", heir_line__isnull=False),
                name="claim_heir_line_iff_filed_by_heir_line",
            )
        ]
        permissions = [
            ("submit_claim", _("Can submit claims and verify their documents")),
            ("assess_claim", _("Can assess claims")),
            ("approve_claim", _("Can approve or return assessed claims")),
            ("decide_claim", _("Can decide claims and apply cohort decisions")),
            ("annul_claim", _("Can annul claims")),
            ("view_progress", _("Can see the assessment progress dashboard")),
            ("export_claims", _("Can export claim lists")),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def public_code(self) -> str:
        return self.case_number

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def share_override_pending(self) -> bool:
        return bool(self.share_override_reason) and self.share_override_reviewed_by_id is None

    def mark_decided(self, at: datetime.datetime) -> None:
        self.decided_at = at
        local = timezone.localtime(at).date()
        self.decided_week = local - datetime.timedelta(days=local.weekday())


class Claimant(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claimants")
    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    share_numerator = models.PositiveIntegerField(_("share numerator"))
    share_denominator = models.PositiveIntegerField(_("share denominator"))

    class Meta:
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "person"], name="unique_claimant"),
            models.CheckConstraint(
                condition=models.Q(share_numerator__gt=0, share_numerator__lte=models.F("share_denominator")),
                name="claimant_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.share_numerator}/{self.share_denominator}"

    @property
    def share(self) -> Fraction:
        return Fraction(self.share_numerator, self.share_denominator)


class OwnershipProof(models.TextChoices):
    """How a property's ownership is known: a kind of proof, not a level on core's Certainty scale."""

    DOCUMENTED = "documented", _("documented (title deed, register extract)")
    ATTESTED = "attested", _("attested (witnesses, neighbours)")
    CLAIMED = "claimed", _("as claimed, not yet checked")


class Property(TimeStampedModel):
    """A lost property with its own identity, shared by every claim that names it.

    Compensation is unique per (property, original owner's line of succession), so which
    household filed first, or whether an heir line existed at the time, never matters.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)  # "PR-000123"
    kind = models.ForeignKey(LossCategory, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("places.Place", verbose_name=_("settlement"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"), blank=True)
    # Names and addresses as written, in any script, one per line ("ул. Ленина 12", "Lenin küç. 12").
    names = models.TextField(_("names and addresses"), blank=True)
    historic_reference = models.CharField(_("historic reference"), max_length=200, blank=True)
    cadastral_reference = models.CharField(_("cadastral reference"), max_length=200, blank=True)
    original_owner = models.ForeignKey(
        "registry.Person",
        verbose_name=_("original owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Without a known owner, the household that first named it: its houses are not merged with others' blindly.
    owner_household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sources = models.TextField(_("sources"), blank=True)
    certainty = models.CharField(
        _("certainty"), max_length=12, choices=OwnershipProof.choices, default=OwnershipProof.CLAIMED
    )
    # Folded, order-independent tokens of its names (domain.properties.address_key).
    address_key = models.CharField(max_length=300, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["code"]
        indexes = [models.Index(fields=["place", "kind", "address_key"], name="property_identity_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def public_code(self) -> str:
        return self.code

    @property
    def line_key(self) -> str:
        """The original owner's line of succession; "property" when the owner is unknown."""
        return f"owner:{self.original_owner.code}" if self.original_owner is not None else "property"


class DuplicateStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    MERGED = "merged", _("merged")
    DISMISSED = "dismissed", _("dismissed")


class PropertyDuplicate(models.Model):
    """Two properties that may be one (same settlement and kind, names folding to the same tokens)."""

    first = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.PROPOSED
    )
    reason = models.CharField(_("why proposed"), max_length=300)
    proposed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate property")
        verbose_name_plural = _("possible duplicate properties")
        ordering = ["-proposed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="unique_property_duplicate")]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"


class LossItem(TimeStampedModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="loss_items")
    category = models.ForeignKey(LossCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("places.Place", verbose_name=_("settlement"), on_delete=models.PROTECT, related_name="+")
    original_owner = models.ForeignKey(
        "registry.Person",
        verbose_name=_("original owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="loss_items"
    )
    reference = models.CharField(
        _("property reference"),
        max_length=200,
        help_text=_("Address, plot or register number, or a short name that identifies this property."),
    )
    # Normalised identity of the property (domain.keys.property_key): the double-compensation key.
    property_key = models.CharField(max_length=300, db_index=True, editable=False)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    description = models.TextField(_("description"), blank=True)
    period_start = PartialDateField(_("loss from"))
    period_end = PartialDateField(_("loss until"))
    price_year = models.SmallIntegerField(_("year of loss (for prices)"))
    amount = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    valuation = models.JSONField(_("valuation arithmetic"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loss item")
        verbose_name_plural = _("loss items")
        ordering = ["id"]
        indexes = [models.Index(fields=["category", "claim"], name="lossitem_category_claim_idx")]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.reference}"


class EvidenceReference(models.Model):
    """A loss item's link to an evidence record by its stable identity (UUID or SHA-256).

    Kept as a reference rather than a foreign key so the evidence app's models can
    change without migrating claims; the evidence app's EvidenceLink points back here
    through target_type "claims.lossitem".
    """

    loss_item = models.ForeignKey(LossItem, on_delete=models.CASCADE, related_name="evidence")
    reference = models.CharField(_("evidence UUID or SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence reference")
        verbose_name_plural = _("evidence references")
        constraints = [models.UniqueConstraint(fields=["loss_item", "reference"], name="unique_evidence_reference")]

    def __str__(self) -> str:
        return self.reference


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    PARTLY_GRANTED = "partly_granted", _("partly granted")
    REJECTED = "rejected", _("rejected")


class DecisionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    COHORT = "cohort", _("cohort (precedent applied)")
    REVALUATION = "revaluation", _("re-valuation")
    APPEAL = "appeal", _("on appeal")


class Decision(models.Model):
    """Immutable: written once by a service, with the SHA-256 of its canonical content."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome.choices)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    table = models.ForeignKey(ValuationTable, on_delete=models.PROTECT, related_name="decisions")
    table_version = models.PositiveIntegerField(_("valuation table version"))
    reason = models.TextField(_("reasons"), blank=True)
    payload = models.JSONField()
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, unique=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), db_index=True)
    precedent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="applications")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    batch = models.ForeignKey("CohortBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["claim", "number"]
        constraints = [models.UniqueConstraint(fields=["claim", "number"], name="unique_decision_number")]

    def __str__(self) -> str:
        return f"{self.claim_id}/{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("A decision is immutable; record a new decision instead.")
        super().save(*args, **kwargs)

    @property
    def public_code(self) -> str:
        return f"{self.payload.get('case_number', '')}/D{self.number}"


class Compensation(models.Model):
    """One compensated property per original owner's line: the database refuses the second.

    `line_key` is the property's original owner ("owner:P-…", the deceased owner whose
    line of succession inherits), or "property" when the owner is unknown. It never
    depends on which household filed first or on when an heir line was created.
    """

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="compensations")
    line_key = models.CharField(max_length=32)
    heir_line = models.ForeignKey(
        "registry.HeirLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    property_key = models.CharField(max_length=300)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="compensations")
    loss_item = models.OneToOneField(LossItem, on_delete=models.PROTECT, related_name="compensation")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="compensations")
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        constraints = [
            models.UniqueConstraint(fields=["property", "line_key"], name="compensated_once_per_property_line")
        ]

    def __str__(self) -> str:
        return f"{self.line_key} {self.property_key}"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("decision upheld")
    CHANGED = "changed", _("decision changed")


class Appeal(models.Model):
    """A claimant's appeal against a decision: grounds, dates, and a review by someone not involved before."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="appeals")
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision appealed"), on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField(_("grounds"))
    documents = models.TextField(_("documents"), blank=True)
    # The appeal's documents as items of the evidence vault (filed there first, then linked here).
    evidence = models.ManyToManyField(
        "evidence.EvidenceItem", verbose_name=_("documents in the vault"), blank=True, related_name="+"
    )
    filed_on = models.DateField(_("filed on"))
    deadline = models.DateField(_("deadline"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=8, choices=AppealOutcome.choices, default=AppealOutcome.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_reasons = models.TextField(_("reasons"), blank=True)
    new_decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal_outcome_of"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["claim", "filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.filed_on}"


class LetterChannel(models.TextChoices):
    POST = "post", _("post")
    HAND = "hand", _("by hand")
    EMAIL = "email", _("e-mail")


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of the claim")
    DOCUMENTS_REQUEST = "documents_request", _("request for documents")
    DECISION = "decision", _("decision letter")
    APPEAL_OUTCOME = "appeal_outcome", _("appeal outcome")


class LetterRecord(models.Model):
    """A letter sent about a claim: what (the exact HTML), when, to whom, how; reprinted from here."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="letters")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("letter"), max_length=20)
    language = models.CharField(_("language"), max_length=2, choices=LetterLanguage.choices)
    recipient = models.CharField(_("to"), max_length=300)
    channel = models.CharField(_("channel"), max_length=8, choices=LetterChannel.choices)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    html = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("letter sent")
        verbose_name_plural = _("letters sent")
        ordering = ["-sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.kind} {self.sent_at:%Y-%m-%d}"

    @property
    def kind_label(self) -> str:
        """What the letter was, in the reader's language (the stored code is kept as it was)."""
        return str(LetterKind(self.kind).label) if self.kind in LetterKind.values else self.kind


# What each history action reads as (the stored code stays for software and audits).
EVENT_ACTIONS = {
    "create": _("claim filed"),
    "edit": _("claim edited"),
    "submit": _("submitted"),
    "verify_documents": _("documents verified"),
    "assess": _("assessed"),
    "approve": _("approved"),
    "return": _("returned as incomplete"),
    "decide": _("decided"),
    "appeal": _("appeal recorded"),
    "appeal_decided": _("appeal decided"),
    "finalise": _("made final"),
    "withdraw": _("withdrawn"),
    "annul": _("annulled"),
    "revalue": _("valued again"),
    "add_loss_item": _("loss item added"),
    "remove_loss_item": _("loss item removed"),
    "property_merged": _("property merged"),
    "kinship_changed": _("kinship changed"),
    "share_override_reviewed": _("share override reviewed"),
    "reissue_secret": _("status-check secret reissued"),
    "letter_sent": _("letter sent"),
    "cited_as_precedent": _("cited as precedent"),
    "batch": _("decided in a batch"),
    "qc_failed": _("quality check failed"),
    "review_flag_cleared": _("review flag cleared"),
    "flag": _("flagged for review"),
}


class ClaimEvent(models.Model):
    """Append-only log of every act on a claim: transitions, edits, re-valuations, look-ups by staff."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("user"), max_length=150)
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(EVENT_ACTIONS.get(self.action, self.action))

    @property
    def from_label(self) -> str:
        return str(ClaimStatus(self.from_status).label) if self.from_status in ClaimStatus.values else self.from_status

    @property
    def to_label(self) -> str:
        return str(ClaimStatus(self.to_status).label) if self.to_status in ClaimStatus.values else self.to_status


class QcResult(models.TextChoices):
    PENDING = "pending", _("pending")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")


class CohortBatch(models.Model):
    """One application of a cohort's precedent to many files, with its QC sample."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="batches")
    precedent = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField()
    decided_count = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)
    qc_confidence = models.DecimalField(max_digits=4, decimal_places=3)
    qc_margin = models.DecimalField(max_digits=4, decimal_places=3)
    qc_sample_size = models.PositiveIntegerField(default=0)
    qc_seed = models.BigIntegerField(default=0)
    qc_result = models.CharField(max_length=8, choices=QcResult.choices, default=QcResult.PENDING)
    qc_errors = models.PositiveIntegerField(default=0)
    qc_notes = models.TextField(blank=True)
    qc_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cohort batch")
        verbose_name_plural = _("cohort batches")
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.applied_at:%Y-%m-%d}"


class QcSampleItem(models.Model):
    batch = models.ForeignKey(CohortBatch, on_delete=models.CASCADE, related_name="sample")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="+")
    checked = models.BooleanField(default=False)
    error_found = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "claim"], name="unique_qc_sample_item")]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.claim_id}"
