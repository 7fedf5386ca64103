"""The overview dashboard's figures: a handful of grouped queries, cached for a minute.

Users who may open the records behind a figure (registry.view_household) see exact
numbers and links; everyone else (analysts) sees small-cell-suppressed series.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yurd.accounts.models import User
from yurd.claims import selectors as claims
from yurd.disclosure.suppression import suppress_one_dimensional
from yurd.heritage import selectors as heritage
from yurd.heritage.models import PhysicalState
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import Wave
from yurd.reports.selectors import (
    CLAIMS,
    DIMENSIONS,
    HOUSEHOLDS,
    PEOPLE,
    UNKNOWN,
    count_by,
    displacement_year_expression,
    scoped_queryset,
)
from yurd.returns import selectors as returns
from yurd.returns.models import Intention

# Query parameters of the registry's household list (yurd.registry.forms.FilterForm):
# ?wave=<wave pk>, ?origin_place=<place pk>, ?current_district=<place pk>.
HOUSEHOLD_LIST = "registry:household_list"
CLAIM_LIST = "claims:claim_list"


@dataclass
class Series:
    """One chart: labels, values (None where suppressed), and a link per bar."""

    key: str
    title: str
    labels: list[str]
    values: list[int | None]
    links: list[str | None] = field(default_factory=list)
    kind: str = "bar"

    @property
    def total(self) -> int:
        return sum(value for value in self.values if value is not None)

    @property
    def rows(self) -> list[tuple[str, int | None, str | None]]:
        links = self.links or [None] * len(self.labels)
        return list(zip(self.labels, self.values, links, strict=True))

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "labels": self.labels,
            "values": self.values,
            "links": self.links,
            "kind": self.kind,
        }


@dataclass
class Dashboard:
    households: int | None
    people: int | None
    series: list[Series]
    settlements: list[dict[str, Any]]
    suppressed: bool
    # "Assessed N of M families": the population figure an administrator set, for claims readers.
    denominator: claims.Denominator | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "households": self.households,
            "people": self.people,
            "series": [series.as_json() for series in self.series],
            "settlements": self.settlements,
            "suppressed": self.suppressed,
        }


def _link(url_name: str, **params: Any) -> str | None:
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode(params)}"


def _series(
    key: str,
    title: str,
    counts: dict[Any, int],
    *,
    order: list[Any],
    labels: dict[Any, str],
    exact: bool,
    link: Callable[[Any], str | None] | None,
    kind: str = "bar",
) -> Series:
    if exact:
        values: list[int | None] = [counts.get(group, 0) for group in order]
    else:
        table = suppress_one_dimensional({group: counts.get(group, 0) for group in order}, rows=order)
        values = [table.cell(group, "value").shown for group in order]
    links = [link(group) if (link is not None and exact and group != UNKNOWN) else None for group in order]
    return Series(key, title, [labels.get(group, str(group)) for group in order], values, links, kind)


def _available_models(*labels: str) -> set[str]:
    """Which of these optional apps' models have their table (one catalogue query)."""
    tables = set(connection.introspection.table_names())
    available = set()
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model._meta.db_table in tables:
            available.add(label)
    return available


def _grouped(queryset: Any, *fields: str) -> list[dict[str, Any]]:
    return list(queryset.values(*fields).annotate(number=Count("pk")).order_by())


def build_dashboard(*, user: User) -> Dashboard:
    """The figures in five grouped queries over plain foreign-key columns (no joins for
    households); places and waves are looked up once and rolled up to districts here."""
    exact = user.has_perm("registry.view_household")
    unknown_label = str(_("not recorded"))
    series: list[Series] = []
    households = scoped_queryset(HOUSEHOLDS, user=user)
    # One column per query: each is answered from that foreign key's own index, while a
    # two-column GROUP BY would sort the whole table.
    by_origin = _grouped(households, "origin_place_id")
    by_wave = _grouped(households, "wave_id")
    by_residence = _grouped(households, "current_place_id")
    people_by_wave = _grouped(scoped_queryset(PEOPLE, user=user), "household__wave_id")

    waves = {
        pk: (code, name, year) for pk, code, name, year in Wave.objects.values_list("pk", "code", "name", "year_from")
    }
    place_ids = {row["origin_place_id"] for row in by_origin} | {row["current_place_id"] for row in by_residence}
    places = _places_with_districts(place_ids - {None})

    def add(key: str, title: str, counts: dict[Any, int], labels: dict[Any, str], parameter: str | None) -> None:
        order = sorted(counts, key=lambda group: (group is None, labels.get(group, "")))
        if parameter == "wave":
            order = sorted(counts, key=lambda group: (group is None, waves.get(group, ("", "", 0))[2]))
        series.append(
            _series(
                key,
                title,
                {UNKNOWN if group is None else group: number for group, number in counts.items()},
                order=[UNKNOWN if group is None else group for group in order],
                labels={**{UNKNOWN if g is None else g: label for g, label in labels.items()}, UNKNOWN: unknown_label},
                exact=exact,
                link=(lambda group: _link(HOUSEHOLD_LIST, **{parameter: group}) if group != UNKNOWN else None)
                if parameter
                else None,
            )
        )

    wave_labels = {pk: name for pk, (_code, name, _year) in waves.items()}
    households_by_wave = {row["wave_id"]: row["number"] for row in by_wave}
    households_by_origin: dict[Any, int] = {}
    households_by_settlement: dict[Any, int] = {}
    for row in by_origin:
        district = places[row["origin_place_id"]]["district_id"] if row["origin_place_id"] in places else None
        households_by_origin[district] = households_by_origin.get(district, 0) + row["number"]
        settlement = row["origin_place_id"]
        households_by_settlement[settlement] = households_by_settlement.get(settlement, 0) + row["number"]
    households_by_residence: dict[Any, int] = {}
    for row in by_residence:
        district = places[row["current_place_id"]]["district_id"] if row["current_place_id"] in places else None
        households_by_residence[district] = households_by_residence.get(district, 0) + row["number"]
    people_counts = {row["household__wave_id"]: row["number"] for row in people_by_wave}
    district_labels = {place["district_id"]: place["district_name"] for place in places.values()}

    add("households_by_wave", str(_("Households by displacement wave")), households_by_wave, wave_labels, "wave")
    add("people_by_wave", str(_("People by displacement wave")), people_counts, wave_labels, "wave")
    add(
        "households_by_origin",
        str(_("Households by district of origin")),
        households_by_origin,
        district_labels,
        "origin_place",
    )
    add(
        "households_by_residence",
        str(_("Households by district of residence")),
        households_by_residence,
        district_labels,
        "current_district",
    )

    years = count_by(HOUSEHOLDS, displacement_year_expression(), user=user)
    years.pop("", None)
    year_order = sorted(key for key in years if key != UNKNOWN)
    series.append(
        _series(
            "displacement_by_year",
            str(_("Households displaced, by year")),
            years,
            order=year_order,
            labels={year: str(year) for year in year_order},
            exact=exact,
            link=None,
            kind="line",
        )
    )

    optional = _available_models("claims.claim", "heritage.site", "returns.returnintention")
    denominator = None
    if "claims.claim" in optional:
        series.append(_claims_series(user=user, exact=exact))
        if user.has_perm("claims.view_progress"):
            denominator = claims.progress_denominator(claims.assessed_households(user=user))
    if "heritage.site" in optional and user.has_perm("heritage.view_site"):
        series.append(_heritage_series(user=user))
    if "returns.returnintention" in optional and user.has_perm("returns.plan_returns"):
        series.append(_intentions_series(user=user, exact=exact))

    return Dashboard(
        households=sum(households_by_wave.values()),
        people=sum(people_counts.values()),
        series=series,
        settlements=_settlements(households_by_settlement, places, exact=exact),
        suppressed=not exact,
        denominator=denominator,
    )


def _heritage_series(*, user: User) -> Series:
    """Sites by condition (sites are not people: no suppression), grouped on the condition
    each site stores (yurd.heritage.services.site_condition_refresh keeps it current as
    observations are recorded, approved and rejected)."""
    counts: dict[Any, int] = {
        row["condition_state"]: row["number"]
        for row in _grouped(heritage.sites_visible(user=user).select_related(None), "condition_state")
    }
    labels = dict(PhysicalState.choices)
    order = [state for state in labels if state in counts] + sorted(state for state in counts if state not in labels)
    return _series(
        "heritage_by_condition",
        str(_("Heritage sites by condition")),
        counts,
        order=order,
        labels={state: str(labels.get(state, _("not assessed"))) for state in order},
        exact=True,
        link=lambda state: (
            _link("heritage:site_list", condition=state) if user.has_perm("heritage.view_site") else None
        ),
    )


def _intentions_series(*, user: User, exact: bool) -> Series:
    """Households by their latest return intention."""
    counts = {
        row["intention"]: row["number"]
        for row in returns.latest_intentions(user=user)
        .select_related(None)
        .values("intention")
        .annotate(number=Count("pk"))
        .order_by()
    }
    labels = dict(Intention.choices)
    order = [value for value in labels if value in counts]
    return _series(
        "return_intentions",
        str(_("Households by return intention")),
        counts,
        order=order,
        labels={value: str(labels[value]) for value in order},
        exact=exact,
        link=None,
    )


def _places_with_districts(place_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Each place with its district (its parent for a settlement, itself otherwise)."""
    rows = list(
        Place.objects.filter(pk__in=place_ids).values(
            "pk", "code", "name", "kind", "latitude", "longitude", "parent_id", "parent__name"
        )
    )
    result = {}
    for row in rows:
        settlement = row["kind"] == PlaceKind.SETTLEMENT and row["parent_id"] is not None
        result[row["pk"]] = {
            **row,
            "district_id": row["parent_id"] if settlement else row["pk"],
            "district_name": row["parent__name"] if settlement else row["name"],
        }
    return result


def _claims_series(*, user: User, exact: bool) -> Series:
    dimension = DIMENSIONS["claim_status"]

    counts = count_by(CLAIMS, dimension.expression(""), user=user)
    order = dimension.order(counts.keys()) if dimension.order else sorted(counts)
    may_open = user.has_perm("claims.view_claim")
    return _series(
        "claims_by_status",
        str(_("Claims by status")),
        counts,
        order=order,
        labels=dimension.labels(order),
        exact=exact,
        link=(lambda status: _link(CLAIM_LIST, status=status)) if may_open else None,
    )


def _settlements(counts: dict[Any, int], places: dict[int, dict[str, Any]], *, exact: bool) -> list[dict[str, Any]]:
    """Origin settlements with coordinates, sized by their households."""
    points = [
        {**places[pk], "households": number}
        for pk, number in sorted(counts.items(), key=lambda item: str(item[0]))
        if pk in places and places[pk]["latitude"] is not None and places[pk]["longitude"] is not None
    ]
    if not exact:
        table = suppress_one_dimensional(
            {point["code"]: point["households"] for point in points}, rows=[point["code"] for point in points]
        )
        points = [point for point in points if not table.cell(point["code"], "value").suppressed]
    return [
        {
            "code": point["code"],
            "name": point["name"],
            "latitude": float(point["latitude"]),
            "longitude": float(point["longitude"]),
            "households": point["households"],
            "link": _link(HOUSEHOLD_LIST, origin_place=point["pk"]) if exact else None,
        }
        for point in points
    ]


def cached_dashboard(*, user: User) -> Dashboard:
    """The dashboard, computed at most once a minute per user and language."""
    seconds = int(getattr(settings, "YURD_DASHBOARD_CACHE_SECONDS", 60))
    if seconds <= 0:
        return build_dashboard(user=user)
    key = f"reports:dashboard:{user.pk}:{get_language()}"
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = build_dashboard(user=user)
        cache.set(key, dashboard, seconds)
    return dashboard
