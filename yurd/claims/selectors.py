"""Reads of claims with scopes applied: pages, exports and the dashboard share these."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Lower, Replace, Trim
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.claims.models import (
    ASSESSED_STATES,
    CLOSED_STATES,
    DECIDED_STATES,
    Claim,
    ClaimStatus,
    Compensation,
    Decision,
    DecisionOutcome,
    EvidenceReference,
    LossCategory,
    LossItem,
    PropertyDuplicate,
)
from yurd.claims.services import heirs
from yurd.evidence.models import EvidenceItem
from yurd.evidence.selectors import visible_evidence, visible_evidence_q
from yurd.places.display import place_name
from yurd.places.models import Place
from yurd.registry.models import FigureKind, HeirLine, Household, Person, Wave
from yurd.registry.search import HouseholdHit, registry_search
from yurd.registry.selectors import population_figure

CLAIM_SCOPE = {"origin": "household__origin_place", "residence": "household__current_place"}
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "assessed": tuple(ASSESSED_STATES),
    "decided": tuple(DECIDED_STATES),
    "closed": tuple(CLOSED_STATES),
    "in_progress": (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.DOCUMENTS_VERIFIED),
}


def claims_visible_to(user: User | None) -> QuerySet[Claim]:
    return Claim.objects.filter(scope_q(user, **CLAIM_SCOPE))


def households_visible_to(user: User | None) -> QuerySet[Household]:
    return Household.objects.visible_to(user)


def get_claim(*, user: User | None, case_number: str) -> Claim:
    """The claim, if it exists and lies within the user's scopes; 404 otherwise (no hint it exists)."""
    claim = (
        claims_visible_to(user)
        .select_related(
            "household__origin_place",
            "household__wave",
            "heir_line__ancestor",
            "valuation_table",
            "assessed_by",
            "approved_by",
        )
        .filter(case_number=case_number)
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def vault_items(*, user: User | None, lines: Sequence[str]) -> list[EvidenceItem]:
    """Vault items named one a line by title (in any language), public code or SHA-256, as `user` may see them.

    A line that names nothing visible (or several items by one title) is refused with the line quoted.
    """
    visible = visible_evidence(user)
    found: list[EvidenceItem] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        by_code = Q(sha256=line.lower()) | (Q(public_code=line) if _is_uuid(line) else Q(pk__in=[]))
        matches = list(
            visible.filter(by_code | Q(title_en__iexact=line) | Q(title_az__iexact=line) | Q(title_ru__iexact=line))[:2]
        )
        if len(matches) != 1:
            raise ValidationError(
                _("“%(line)s” names no document in the vault you may see, or more than one.") % {"line": line}
            )
        if matches[0] not in found:
            found.append(matches[0])
    return found


# --- Filing: the pickers ----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A person the claim form offers as a claimant: a household member, or an heir the registry derives."""

    person: Person
    label: str
    share: Fraction | None = None  # the heir's share under the rule; None for a household member


def household_search(*, user: User | None, query: str, limit: int = 10) -> list[HouseholdHit]:
    """Households within the user's scope by code or by a member's name (any script), best first."""
    if not query.strip():
        return []
    hits = registry_search(user=user, query=query, limit=limit).households
    exact = households_visible_to(user).filter(code=query.strip().upper()).first()
    if exact is not None and all(hit.household.pk != exact.pk for hit in hits):
        hits.insert(0, HouseholdHit(exact, 100.0))
    return hits[:limit]


def heir_lines_for_household(household: Household, *, user: User | None) -> QuerySet[HeirLine]:
    """Heir lines a household may file through: those of its members and their recorded ancestors,
    whose ancestor lies within the user's scope."""
    members = Person.objects.visible_to(user).filter(household=household).values_list("pk", flat=True)
    return (
        HeirLine.objects.filter(ancestor_id__in=heirs.ancestors_of(list(members)))
        .filter(ancestor__in=Person.objects.visible_to(user))
        .select_related("ancestor")
        .order_by("code")
    )


def heir_lines_visible_to(user: User | None) -> QuerySet[HeirLine]:
    return HeirLine.objects.filter(ancestor__in=Person.objects.visible_to(user))


def _person_label(person: Person, user: User | None) -> str:
    shown = user is None or user.sees_names
    return f"{person.display_name} ({person.code})" if shown else person.code


def claimant_candidates(
    *, user: User | None, household: Household, heir_line: HeirLine | None, current: Sequence[Person] = ()
) -> list[Candidate]:
    """Whom a claim may name, as the user may see them: the heirs the registry derives (with their
    shares) for an heir line, else the household's living members; and whoever the claim names now."""
    candidates: list[Candidate] = []
    if heir_line is not None:
        for heir in heirs.heirs_derived(heir_line, user=user):
            label = _("%(person)s — heir's share %(share)s") % {
                "person": _person_label(heir.person, user),
                "share": heir.share,
            }
            candidates.append(Candidate(heir.person, label, heir.share))
    else:
        members = Person.objects.visible_to(user).filter(household=household, is_deceased=False).order_by("code")
        candidates = [Candidate(person, _person_label(person, user)) for person in members]
    offered = {candidate.person.pk for candidate in candidates}
    visible = set(Person.objects.visible_to(user).filter(pk__in=[p.pk for p in current]).values_list("pk", flat=True))
    candidates += [
        Candidate(person, _person_label(person, user))
        for person in current
        if person.pk in visible and person.pk not in offered
    ]
    return candidates


def vault_search(*, user: User | None, query: str, limit: int = 20) -> list[EvidenceItem]:
    """Vault items the user may see, by title (any language), file name or code."""
    text = query.strip()
    if not text:
        return []
    condition = (
        Q(title_en__icontains=text)
        | Q(title_az__icontains=text)
        | Q(title_ru__icontains=text)
        | Q(original_name__icontains=text)
    )
    if _is_uuid(text):
        condition |= Q(public_code=text)
    return list(visible_evidence(user).filter(condition).order_by("-created_at", "-id")[:limit])


def vault_items_by_code(*, user: User | None, codes: Sequence[str]) -> list[EvidenceItem]:
    """The items ticked in the picker (public codes), as the user may see them; any other code is refused."""
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    valid = [code for code in wanted if _is_uuid(code)]
    found = {str(item.public_code): item for item in visible_evidence(user).filter(public_code__in=valid)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ValidationError(_("A document ticked is not in the vault you may see; search for it again."))
    return [found[code] for code in wanted]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def review_queue(*, user: User | None, limit: int = 500) -> QuerySet[Claim]:
    """Claims within the user's scope flagged for re-review or with heirs' shares awaiting review."""
    pending_override = ~Q(share_override_reason="") & Q(share_override_reviewed_by__isnull=True)
    return claims_visible_to(user).filter(~Q(review_flag="") | pending_override).order_by("case_number")[:limit]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def claim_list(*, user: User | None, filters: dict[str, str]) -> QuerySet[Claim]:
    """Filters: status (a status or a group), wave, district, origin (place ids), category (code), week, q."""
    claims = claims_visible_to(user)
    status = filters.get("status", "")
    if status in STATUS_GROUPS:
        claims = claims.filter(status__in=STATUS_GROUPS[status])
    elif status in ClaimStatus.values:
        claims = claims.filter(status=status)
    if (wave := _int(filters.get("wave"))) is not None:
        claims = claims.filter(household__wave_id=wave)
    elif filters.get("wave") == "none":
        claims = claims.filter(household__wave__isnull=True)
    if (district := _int(filters.get("district"))) is not None:
        claims = claims.filter(household__origin_place__parent_id=district)
    if (origin := _int(filters.get("origin"))) is not None:
        claims = claims.filter(household__origin_place_id=origin)
    if category := filters.get("category", ""):
        claims = claims.filter(_has_category(category))
    if week := filters.get("week", ""):
        try:
            claims = claims.filter(decided_week=dt.date.fromisoformat(week))
        except ValueError:
            claims = claims.none()
    if query := filters.get("q", "").strip():
        claims = claims.filter(Q(case_number__icontains=query) | Q(household__code__iexact=query))
    return claims.select_related("household__origin_place", "household__wave").order_by("-case_number")


def _has_category(code: str) -> Q:
    return Q(pk__in=LossItem.objects.filter(category__code=code).values("claim_id"))


@dataclass
class ProgressRow:
    key: Any
    label: str
    registered: int
    assessed: int

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.registered) if self.registered else 0


def progress_summary(*, user: User | None, weeks: int = 12) -> dict[str, Any]:
    """Every figure of the progress dashboard; annulled, withdrawn and returned files are counted apart.

    A household counts as assessed when at least one of its claims is in an assessed
    state (assessed, approved, decided, appealed, final) — never through a closed file.
    """
    households = households_visible_to(user)
    claims = claims_visible_to(user)
    assessed_claims = claims.filter(status__in=ASSESSED_STATES)

    # Registered households: two index-driven counts (by wave, by origin settlement), no join.
    # Assessed households: cells of (wave, origin settlement); a household has one wave and one
    # origin, so distinct counts per cell add up to the per-wave, per-district and overall
    # figures. Settlements map to their districts in Python.
    registered_by_wave: dict[Any, int] = dict(
        households.order_by().values_list("wave_id").annotate(n=Count("*")).values_list("wave_id", "n")
    )
    registered_by_origin: dict[Any, int] = dict(
        households.order_by().values_list("origin_place_id").annotate(n=Count("*")).values_list("origin_place_id", "n")
    )
    assessed_by_origin: list[tuple[Any, Any, int]] = list(
        households.filter(pk__in=assessed_claims.values("household_id"))
        .order_by()
        .values_list("wave_id", "origin_place_id")
        .annotate(n=Count("*"))
        .values_list("wave_id", "origin_place_id", "n")
    )
    origins = set(registered_by_origin) | {cell[1] for cell in assessed_by_origin}
    district_of = dict(
        Place.objects.filter(pk__in=[pk for pk in origins if pk is not None]).values_list("pk", "parent_id")
    )
    registered_cells = [(None, district_of.get(origin), n) for origin, n in registered_by_origin.items()]
    assessed_cells = [(wave, district_of.get(origin), n) for wave, origin, n in assessed_by_origin]
    registered_total = sum(registered_by_wave.values())
    assessed_total = sum(n for _wave, _district, n in assessed_cells)

    def totals(cells: list[tuple[Any, Any, int]], position: int) -> dict[Any, int]:
        result: dict[Any, int] = {}
        for cell in cells:
            result[cell[position]] = result.get(cell[position], 0) + cell[2]
        return result

    waves = {wave.pk: wave.name for wave in Wave.objects.all()}
    assessed_by_wave = totals(assessed_cells, 0)
    by_wave = [
        ProgressRow(
            key if key is not None else "none",
            waves.get(key, "—") if key is not None else "—",
            registered_by_wave.get(key, 0),
            assessed_by_wave.get(key, 0),
        )
        for key in sorted(set(registered_by_wave) | set(assessed_by_wave), key=lambda k: (k is None, k or 0))
    ]
    registered_by_district, assessed_by_district = totals(registered_cells, 1), totals(assessed_cells, 1)
    district_ids = {key for key in set(registered_by_district) | set(assessed_by_district) if key is not None}
    district_names = dict(Place.objects.filter(pk__in=district_ids).values_list("pk", "name"))
    by_district = sorted(
        (
            ProgressRow(
                key, district_names.get(key, "—"), registered_by_district.get(key, 0), assessed_by_district.get(key, 0)
            )
            for key in district_ids
        ),
        key=lambda row: row.label,
    )

    categories = {category.pk: category for category in LossCategory.objects.all()}
    assessed_items = LossItem.objects.filter(
        scope_q(user, origin="claim__household__origin_place", residence="claim__household__current_place"),
        claim__status__in=ASSESSED_STATES,
    )
    # Assessed value: the items' current amounts (re-valuation updates them), per currency.
    # Decided value: the compensation rows themselves, per currency — what was awarded and
    # not released; rejections pay nothing and annulments release their rows.
    category_rows: dict[int, dict[str, Any]] = {}
    for category_id, currency, value in (
        assessed_items.order_by()
        .values_list("category", "claim__currency")
        .annotate(value=Sum("amount"))
        .values_list("category", "claim__currency", "value")
    ):
        category_rows.setdefault(category_id, {}).setdefault("assessed", {})[currency] = value or Decimal(0)
    decided_totals: dict[str, Decimal] = {}
    for category_id, currency, value in (
        Compensation.objects.filter(claim__in=claims)
        .order_by()
        .values_list("loss_item__category", "decision__currency")
        .annotate(value=Sum("amount"))
        .values_list("loss_item__category", "decision__currency", "value")
    ):
        category_rows.setdefault(category_id, {}).setdefault("decided", {})[currency] = value
        decided_totals[currency] = decided_totals.get(currency, Decimal(0)) + value
    for pk, (household_count, claim_count) in _category_counts(assessed_items).items():
        category_rows.setdefault(pk, {}).update(households=household_count, claims=claim_count)
    by_category = [
        {
            "category": category,
            "households": category_rows.get(pk, {}).get("households", 0),
            "claims": category_rows.get(pk, {}).get("claims", 0),
            "assessed_values": sorted(category_rows.get(pk, {}).get("assessed", {}).items()),
            "decided_values": sorted(category_rows.get(pk, {}).get("decided", {}).items()),
        }
        for pk, category in categories.items()
    ]
    rejected = claims.filter(
        status__in=DECIDED_STATES,
        decisions__outcome=DecisionOutcome.REJECTED,
        decisions__superseded_by__isnull=True,
    ).count()

    today = timezone.localdate()
    since = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
    # Filtered on the week alone so the decided_week index drives the scan; the state is a
    # condition of the count (an annulled file keeps its week but is not counted).
    throughput = [
        {"week_start": week, "n": count}
        for week, count in claims.filter(decided_week__gte=since)
        .order_by()
        .values("decided_week")
        .annotate(n=Count("id", filter=Q(status__in=DECIDED_STATES)))
        .order_by("decided_week")
        .values_list("decided_week", "n")
        if count
    ]
    by_status = dict(claims.values("status").annotate(n=Count("id")).values_list("status", "n"))
    statuses = [
        {"status": status, "label": label, "n": by_status.get(status, 0)} for status, label in ClaimStatus.choices
    ]
    return {
        "registered": registered_total,
        "assessed": assessed_total,
        "not_assessed": registered_total - assessed_total,
        "percent": round(100 * assessed_total / registered_total) if registered_total else 0,
        "by_wave": by_wave,
        "by_district": by_district,
        "by_category": by_category,
        "throughput": throughput,
        "statuses": statuses,
        "backlog": sum(by_status.get(status, 0) for status in STATUS_GROUPS["in_progress"])
        + by_status.get(ClaimStatus.ASSESSED, 0)
        + by_status.get(ClaimStatus.APPROVED, 0),
        "decided": sum(by_status.get(status, 0) for status in DECIDED_STATES),
        "closed": {status: by_status.get(status, 0) for status in (ClaimStatus.RETURNED, *CLOSED_STATES)},
        "rejected": rejected,
        "decided_totals": sorted(decided_totals.items()),
        "denominator": progress_denominator(assessed_total),
    }


@dataclass(frozen=True)
class Denominator:
    """The families progress is measured against (registry.PopulationFigure), with its source."""

    families: int
    kind: str  # "count" or "estimate"
    kind_label: str
    source: str
    assessed: int
    interval: tuple[int, int] | None = None
    estimate_code: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.families) if self.families else 0


def assessed_households(*, user: User | None) -> int:
    """Households within the user's scopes with at least one claim in an assessed state."""
    assessed = claims_visible_to(user).filter(status__in=ASSESSED_STATES).values("household_id")
    return households_visible_to(user).filter(pk__in=assessed).count()


def progress_denominator(assessed: int) -> Denominator | None:
    """The figure an administrator set for all displaced families (the registry's population
    figure page), if any; the interval is the figure's own or that of the estimate it cites."""
    figure = population_figure()
    if figure is None:
        return None
    interval: tuple[int, int] | None = None
    if figure.interval_low is not None and figure.interval_high is not None:
        interval = (figure.interval_low, figure.interval_high)
    elif figure.estimate is not None and figure.estimate.interval_low is not None:
        interval = (round(figure.estimate.interval_low), round(figure.estimate.interval_high or 0))
    return Denominator(
        families=figure.families,
        kind=figure.kind,
        kind_label=str(FigureKind(figure.kind).label),
        source=figure.source,
        assessed=assessed,
        interval=interval,
        estimate_code=figure.estimate.public_code if figure.estimate is not None else "",
    )


def _category_counts(items: QuerySet[LossItem]) -> dict[int, tuple[int, int]]:
    """{category: (distinct households, distinct claims)} in one statement.

    Distinct (category, household, claim) cells, grouped twice: hash aggregates on both
    databases, where COUNT(DISTINCT …) per group makes PostgreSQL sort every group.
    """
    inner = items.order_by().values(
        cell_category=F("category_id"), cell_household=F("claim__household_id"), cell_claim=F("claim_id")
    )
    try:
        sql, params = inner.distinct().query.sql_with_params()
    except EmptyResultSet:  # a scope that matches nothing (a user without any scope)
        return {}
    # The inner statement is the ORM's own SQL, with its parameters passed separately.
    statement = (
        'SELECT "cell_category", COUNT(*), SUM("claims") FROM ('  # noqa: S608
        f'SELECT "cell_category", "cell_household", COUNT(*) AS "claims" FROM ({sql}) AS "cells" '
        'GROUP BY "cell_category", "cell_household") AS "per_household" GROUP BY "cell_category"'
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {category: (int(households), int(claims)) for category, households, claims in cursor.fetchall()}


def household_drilldown(*, user: User | None, filters: dict[str, str]) -> QuerySet[Household]:
    """The households behind a "registered" or "not yet assessed" figure."""
    households = households_visible_to(user).select_related("origin_place", "wave")
    if (wave := _int(filters.get("wave"))) is not None:
        households = households.filter(wave_id=wave)
    elif filters.get("wave") == "none":
        households = households.filter(wave__isnull=True)
    if (district := _int(filters.get("district"))) is not None:
        households = households.filter(origin_place__parent_id=district)
    assessed_ids = Claim.objects.filter(status__in=ASSESSED_STATES).values("household_id")
    if filters.get("assessed") == "yes":
        households = households.filter(pk__in=assessed_ids)
    elif filters.get("assessed") == "no":
        households = households.exclude(pk__in=assessed_ids)
    return households.order_by("code")


def drilldown_filter_labels(filters: dict[str, str]) -> list[tuple[str, str]]:
    """The drill-down's filters as people read them: (what, which), in the page's language.

    The link carries database keys ("wave=2&district=17&assessed=no"); the page names the
    wave, the district in the page's script, and whether the households were assessed.
    """
    labels: list[tuple[str, str]] = []
    if (wave_id := _int(filters.get("wave"))) is not None:
        wave = Wave.objects.filter(pk=wave_id).first()
        labels.append((_("Wave"), wave.name if wave is not None else "—"))
    elif filters.get("wave") == "none":
        labels.append((_("Wave"), _("wave unknown")))
    if (district_id := _int(filters.get("district"))) is not None:
        district = Place.objects.filter(pk=district_id).first()
        labels.append((_("District"), place_name(district) or "—"))
    if filters.get("assessed") in ("yes", "no"):
        labels.append((_("Assessed"), _("yes") if filters["assessed"] == "yes" else _("no")))
    return labels


def claim_loss_items(claim: Claim) -> QuerySet[LossItem]:
    """The claim page's loss items, in the order they were recorded."""
    return claim.loss_items.select_related("category", "place", "original_owner").order_by("pk")


@dataclass(frozen=True)
class ShownEvidence:
    """A loss item's evidence reference as one user may see it."""

    reference: str
    note: str
    # The vault item the reference names (UUID or SHA-256), None when the vault holds no such item.
    public_code: uuid.UUID | None


def _vault_key(reference: str) -> str:
    """A reference as the vault keys it: a UUID in its canonical form, a SHA-256 in lower case."""
    text = reference.strip().lower()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def loss_item_evidence(*, items: Sequence[LossItem], user: User | None) -> dict[int, list[ShownEvidence]]:
    """The evidence references of these loss items (by item pk) that `user` may see.

    A reference naming a vault item the user may not see (restricted evidence for most roles)
    is left out, under the vault's own rule (`visible_evidence_q`), so neither the claim page
    nor the API tells that the item exists. A reference naming nothing in the vault is shown
    as recorded: it reveals no item. At most three queries, whatever the number of items.
    """
    references = list(EvidenceReference.objects.filter(loss_item__in=[item.pk for item in items]).order_by("pk"))
    if not references:
        return {}
    keys = {_vault_key(reference.reference) for reference in references}
    codes = []
    for key in keys:
        try:
            codes.append(uuid.UUID(key))
        except ValueError:
            continue
    vault = list(
        EvidenceItem.objects.filter(Q(sha256__in=keys) | Q(public_code__in=codes))
        .order_by()
        .values_list("pk", "public_code", "sha256")
    )
    visible = (
        set(
            EvidenceItem.objects.filter(visible_evidence_q(user), pk__in=[row[0] for row in vault])
            .order_by()
            .values_list("pk", flat=True)
        )
        if vault
        else set()
    )
    named: dict[str, tuple[uuid.UUID | None, bool]] = {}
    for pk, vault_code, sha256 in vault:
        named[str(vault_code)] = named[sha256] = (vault_code, pk in visible)
    shown: dict[int, list[ShownEvidence]] = {}
    for reference in references:
        public_code, may_see = named.get(_vault_key(reference.reference), (None, True))
        if may_see:
            shown.setdefault(reference.loss_item_id, []).append(
                ShownEvidence(reference=reference.reference, note=reference.note, public_code=public_code)
            )
    return shown


def claim_evidence_q(user: User | None, public: bool) -> Q:
    """The seal claims put on the vault (registered in ClaimsConfig.ready): a scoped reader
    sees no item that a loss item of a claim outside her scope cites by UUID or SHA-256, and a
    reader without personal names none that any claim cites.

    References are kept as typed; both sides are compared as lower-case hexadecimal
    without hyphens, which is also how SQLite stores a UUID.
    """
    names = user is not None and user.has_perm("accounts.view_personal_names")
    if public or user is None or (user.full_scope and names):
        return Q()
    key = Replace(Lower(Trim("reference")), Value("-"), Value(""))
    item_code = Replace(Cast(OuterRef("public_code"), CharField()), Value("-"), Value(""))
    # A reader without personal names (the analyst) sees no item that any claim cites.
    references = EvidenceReference.objects.all()
    if names:
        references = references.exclude(loss_item__claim__in=claims_visible_to(user).values("pk"))
    elsewhere = references.annotate(key=key).filter(Q(key=OuterRef("sha256")) | Q(key=item_code))
    return Q(~Exists(elsewhere))


def claim_loss_items_with_evidence(claim: Claim, *, user: User | None) -> list[tuple[LossItem, list[ShownEvidence]]]:
    """The claim page's rows: each loss item with the evidence references its reader may see."""
    items = list(claim_loss_items(claim))
    evidence = loss_item_evidence(items=items, user=user)
    return [(item, evidence.get(item.pk, [])) for item in items]


def claim_decisions(claim: Claim) -> QuerySet[Decision]:
    """The claim's decisions by number (superseded ones included: the record is immutable)."""
    return claim.decisions.select_related("table", "supersedes").order_by("number")


def property_duplicates(*, user: User | None, status: str = "proposed") -> list[PropertyDuplicate]:
    """Proposed duplicate properties whose claims the reader may see (both sides)."""
    visible = claims_visible_to(user)
    shown = LossItem.objects.filter(claim__in=visible).select_related("claim").order_by("id")
    proposals = (
        PropertyDuplicate.objects.filter(status=status)
        .filter(
            Exists(LossItem.objects.filter(property=OuterRef("first"), claim__in=visible)),
            Exists(LossItem.objects.filter(property=OuterRef("second"), claim__in=visible)),
        )
        .select_related("first__place", "first__kind", "first__original_owner", "second__place", "second__kind")
        .select_related("second__original_owner")
        .prefetch_related(
            Prefetch("first__loss_items", queryset=shown, to_attr="shown_items"),
            Prefetch("second__loss_items", queryset=shown, to_attr="shown_items"),
        )
    )
    return list(proposals[:200])
