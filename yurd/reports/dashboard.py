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
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yurd.accounts.models import User
from yurd.places.models import Place
from yurd.registry.models import Wave
from yurd.reports.selectors import (
    DIMENSIONS,
    HOUSEHOLDS,
    PEOPLE,
    UNKNOWN,
    count_by,
    displacement_year_expression,
    scoped_queryset,
)
from yurd.reports.suppression import suppress_one_dimensional

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


def _model_available(label: str) -> bool:
    try:
        model = apps.get_model(label)
    except LookupError:
        return False
    from django.db import connection

    return model._meta.db_table in connection.introspection.table_names()


def build_dashboard(*, user: User) -> Dashboard:
    exact = user.has_perm("registry.view_household")
    unknown_label = str(_("not recorded"))
    series: list[Series] = []
    waves = {
        code: (name, year, pk) for code, name, year, pk in Wave.objects.values_list("code", "name", "year_from", "pk")
    }

    def wave_series(key: str, title: str, measure: Any) -> dict[Any, int]:
        counts = count_by(measure, DIMENSIONS["wave"].expression(measure.household_path), user=user)
        order = sorted(counts, key=lambda code: (code not in waves, waves.get(code, ("", 0, 0))[1], str(code)))
        labels = {code: waves[code][0] if code in waves else unknown_label for code in order}
        series.append(
            _series(
                key,
                title,
                counts,
                order=order,
                labels=labels,
                exact=exact,
                link=lambda code: _link(HOUSEHOLD_LIST, wave=waves[code][2]) if code in waves else None,
            )
        )
        return counts

    def district_series(key: str, title: str, dimension_key: str, parameter: str) -> None:
        counts = count_by(HOUSEHOLDS, DIMENSIONS[dimension_key].expression(""), user=user)
        places = {
            code: (name, pk)
            for code, name, pk in Place.objects.filter(code__in=counts).values_list("code", "name", "pk")
        }
        order = sorted(counts, key=lambda code: (code not in places, places.get(code, ("", 0))[0]))
        labels = {code: places[code][0] if code in places else unknown_label for code in order}
        series.append(
            _series(
                key,
                title,
                counts,
                order=order,
                labels=labels,
                exact=exact,
                link=lambda code: _link(HOUSEHOLD_LIST, **{parameter: places[code][1]}) if code in places else None,
            )
        )

    households_by_wave = wave_series("households_by_wave", str(_("Households by displacement wave")), HOUSEHOLDS)
    people_by_wave = wave_series("people_by_wave", str(_("People by displacement wave")), PEOPLE)
    district_series(
        "households_by_origin", str(_("Households by district of origin")), "origin_district", "origin_place"
    )
    district_series(
        "households_by_residence",
        str(_("Households by district of residence")),
        "current_district",
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

    if _model_available("claims.claim"):
        series.append(_claims_series(user=user, exact=exact))

    return Dashboard(
        # Every household and person falls in one wave group (or "not recorded").
        households=sum(households_by_wave.values()),
        people=sum(people_by_wave.values()),
        series=series,
        settlements=_settlements(user=user, exact=exact),
        suppressed=not exact,
    )


def _claims_series(*, user: User, exact: bool) -> Series:
    dimension = DIMENSIONS["claim_status"]
    from yurd.reports.selectors import CLAIMS

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


def _settlements(*, user: User, exact: bool) -> list[dict[str, Any]]:
    """Origin settlements with coordinates, sized by their households (one grouped query)."""
    grouped = (
        scoped_queryset(HOUSEHOLDS, user=user)
        .filter(origin_place__latitude__isnull=False, origin_place__longitude__isnull=False)
        .values(
            "origin_place_id",
            "origin_place__code",
            "origin_place__name",
            "origin_place__latitude",
            "origin_place__longitude",
        )
        .annotate(households=Count("pk"))
        .order_by("origin_place__code")
    )
    points = [
        {
            "code": entry["origin_place__code"],
            "name": entry["origin_place__name"],
            "latitude": entry["origin_place__latitude"],
            "longitude": entry["origin_place__longitude"],
            "households": entry["households"],
            "id": entry["origin_place_id"],
        }
        for entry in grouped
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
            "link": _link(HOUSEHOLD_LIST, origin_place=point["id"]) if exact else None,
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
