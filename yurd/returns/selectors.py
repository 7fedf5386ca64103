"""Reads of return intentions: the latest answer per household, and per-settlement plans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.claims.models import LossItem
from yurd.core.permissions import require
from yurd.disclosure.suppression import DEFAULT_THRESHOLD, suppress_one_dimensional
from yurd.places.models import Place
from yurd.registry.models import Household
from yurd.registry.selectors import get_household_for_user
from yurd.returns.models import Intention, ReturnCondition, ReturnIntention

INTENTION_SCOPE = {"origin": "household__origin_place", "residence": "household__current_place"}
# Claims in these states no longer assert the loss.
_INACTIVE_CLAIM_STATES = ("withdrawn", "annulled")
DWELLING_CATEGORY = "dwelling"


def household_intentions(household: Household) -> QuerySet[ReturnIntention]:
    """Every answer of one household, latest first (the first is the current one)."""
    return (
        ReturnIntention.objects.filter(household=household)
        .select_related("preferred_place", "recorded_by")
        .prefetch_related("returning_members")
        .order_by("-survey_date", "-id")
    )


def intentions_for_household(*, user: User | None, code: str) -> QuerySet[ReturnIntention]:
    """Every answer of the household `code` (latest first), or 404 when the user may not see it."""
    require(user, "returns.view_returnintention")
    return household_intentions(get_household_for_user(user=user, code=code))


def latest_intentions(*, user: User | None) -> QuerySet[ReturnIntention]:
    """The current (latest) intention of every household the user may see."""
    require(user, "returns.plan_returns")
    latest = (
        ReturnIntention.objects.filter(household=OuterRef("household")).order_by("-survey_date", "-id").values("id")[:1]
    )
    return (
        ReturnIntention.objects.filter(scope_q(user, **INTENTION_SCOPE))
        .filter(id=Subquery(latest))
        .select_related("household", "household__origin_place", "preferred_place")
    )


@dataclass
class SettlementRow:
    place: Place
    # None: not shown to this reader (small-cell suppression, see planning_overview).
    counts: dict[str, int] | None = field(default_factory=dict)
    households: int = 0
    people: int | None = 0

    def as_map_point(self, url: str) -> dict[str, Any]:
        return {
            "name": self.place.name,
            "lat": float(self.place.latitude) if self.place.latitude is not None else None,
            "lng": float(self.place.longitude) if self.place.longitude is not None else None,
            "households": self.households,
            "people": self.people,
            "counts": self.counts,
            "url": url,
        }


def sees_exact_counts(user: User | None) -> bool:
    """Who may see counts of fewer than five households: those who may open the households
    themselves. Everyone else (analysts) gets the figures statistics publish."""
    return user is None or (user.has_perm("registry.view_household") and user.has_perm("returns.view_returnintention"))


def _suppressed(rows: list[SettlementRow]) -> list[SettlementRow]:
    """The overview as statistics would publish it: a settlement whose returning households
    number 1 to 4 is left out (the one-dimensional suppression the intentions map applies,
    so page, API and map leave out the same settlements); a settlement's answer counts are
    shown only when none of them is 1 to 4 (a single hidden count would follow from the
    others and the total), and its people only beside a shown household count."""
    table = suppress_one_dimensional(
        {row.place.code: row.households for row in rows}, rows=[r.place.code for r in rows]
    )
    kept = []
    for row in rows:
        if table.cell(row.place.code, "value").suppressed:
            continue
        small = any(0 < count < DEFAULT_THRESHOLD for count in (row.counts or {}).values())
        kept.append(
            SettlementRow(
                place=row.place,
                counts=None if small else row.counts,
                households=row.households,
                people=row.people if row.households == 0 or row.households >= DEFAULT_THRESHOLD else None,
            )
        )
    return kept


def planning_overview(*, user: User | None) -> list[SettlementRow]:
    """Settlements named as preferred destinations, with latest intentions counted per answer
    (suppressed as statistics are for readers who may not see exact counts)."""
    rows = _planning_rows(user=user)
    return rows if sees_exact_counts(user) else _suppressed(rows)


def _planning_rows(*, user: User | None) -> list[SettlementRow]:
    grouped = (
        latest_intentions(user=user)
        .exclude(preferred_place=None)
        .values("preferred_place", "intention")
        .annotate(households=Count("id", distinct=True), people=Count("returning_members"))
        .order_by()
    )
    places = {}
    data = list(grouped)
    if data:
        places = Place.objects.in_bulk({item["preferred_place"] for item in data})
    counts: dict[int, dict[str, int]] = {}
    households: Counter[int] = Counter()
    people: Counter[int] = Counter()
    for item in data:
        place = item["preferred_place"]
        row_counts = counts.setdefault(place, {})
        row_counts[item["intention"]] = row_counts.get(item["intention"], 0) + item["households"]
        if item["intention"] != Intention.NO:
            households[place] += item["households"]
            people[place] += item["people"]
    rows = [
        SettlementRow(place=places[place], counts=row_counts, households=households[place], people=people[place])
        for place, row_counts in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.households, row.place.name))


@dataclass
class SettlementPlan:
    """A settlement's figures. For readers who may not see exact counts (settlement_figures),
    None marks a figure withheld, and `withheld` a settlement the overview leaves out."""

    place: Place
    intentions: list[ReturnIntention]
    counts: dict[str, int] | None
    households_returning: int | None
    people_returning: int | None
    conditions: list[tuple[str, int | None]]
    dwelling_losses: int | None
    withheld: bool = False


def _small(count: int | None) -> int | None:
    return None if count is not None and 0 < count < DEFAULT_THRESHOLD else count


def settlement_figures(*, user: User | None, place: Place) -> SettlementPlan:
    """The settlement page's figures. Exact for who may open the households; for everyone
    else (the analyst) as statistics publish them, like the overview and the API: a
    settlement the overview leaves out (1 to 4 households, or hidden so that those cannot be
    worked out from the totals), or a place whose figures add up more than its overview row,
    is withheld whole; otherwise the row's households, people and answer counts are shown,
    and each condition or dwelling-loss count of 1 to 4 is withheld. No household is listed."""
    plan = settlement_plan(user=user, place=place)
    if sees_exact_counts(user):
        return plan
    row = next((row for row in planning_overview(user=user) if row.place.pk == place.pk), None)
    if row is None or row.households != plan.households_returning:
        empty = not plan.intentions
        return SettlementPlan(
            place=place,
            intentions=[],
            counts=plan.counts if empty else None,
            households_returning=0 if empty else None,
            people_returning=0 if empty else None,
            conditions=[(label, 0 if empty else None) for label, _count in plan.conditions],
            dwelling_losses=0 if empty else None,
            withheld=not empty,
        )
    return SettlementPlan(
        place=place,
        intentions=[],
        counts=plan.counts if row.counts is not None else None,
        households_returning=row.households,
        people_returning=row.people,
        conditions=[(label, _small(count)) for label, count in plan.conditions],
        dwelling_losses=_small(plan.dwelling_losses),
    )


def settlement_plan(*, user: User | None, place: Place) -> SettlementPlan:
    """Latest intentions naming `place` (or a place within it) as the preferred settlement.

    `dwelling_losses` counts dwelling loss items, located in this settlement, of the
    active claims of the households that would return: the claims app records no
    separate "destroyed" flag, so a claimed dwelling stands for one lost home.
    """
    intentions = list(
        latest_intentions(user=user)
        .filter(preferred_place__path__startswith=place.path)
        .prefetch_related("returning_members")
        .order_by("household__code")
    )
    counts = Counter(intention.intention for intention in intentions)
    returning = [intention for intention in intentions if intention.intention != Intention.NO]
    conditions = Counter(code for intention in returning for code in intention.conditions)
    labels = dict(ReturnCondition.choices)
    household_ids = [intention.household_id for intention in returning]
    dwelling_losses = (
        LossItem.objects.filter(
            Q(claim__household__in=household_ids),
            category__code=DWELLING_CATEGORY,
            place__path__startswith=place.path,
        )
        .exclude(claim__status__in=_INACTIVE_CLAIM_STATES)
        .count()
        if household_ids
        else 0
    )
    return SettlementPlan(
        place=place,
        intentions=intentions,
        counts={str(label): counts.get(value, 0) for value, label in Intention.choices},
        households_returning=len(returning),
        people_returning=sum(len(intention.returning_members.all()) for intention in returning),
        conditions=[(str(labels[code]), conditions.get(code, 0)) for code in ReturnCondition.values],
        dwelling_losses=dwelling_losses,
    )
