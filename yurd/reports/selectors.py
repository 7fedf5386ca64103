"""Aggregate reads for statistics, the dashboard and the public pages.

Every figure is one grouped SQL query over the user's scope (yurd.accounts.scopes);
no personal field ever leaves these functions, only group keys and counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.claims.models import ClaimStatus
from yurd.disclosure.suppression import DEFAULT_THRESHOLD, TOTAL, SuppressedTable, suppress
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import Sex, Wave

UNKNOWN = "?"

AGE_BANDS: list[tuple[str, Promise, int, int | None]] = [
    # key, label, youngest, oldest (by birth year, so ages are approximate within one year)
    ("0-17", _("0–17"), 0, 17),
    ("18-34", _("18–34"), 18, 34),
    ("35-59", _("35–59"), 35, 59),
    ("60-79", _("60–79"), 60, 79),
    ("80+", _("80 and over"), 80, None),
]


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    model_label: str  # "registry.person"
    # Lookup from the measured model to its household ("" when it is the household).
    household_path: str

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    # Which measures it applies to, and how to group a queryset of that measure by it.
    measures: frozenset[str]
    expression: Callable[[str], Any]
    labels: Callable[[Iterable[Any]], dict[Any, str]]
    order: Callable[[Iterable[Any]], list[Any]] | None = None

    def __reduce__(self) -> tuple[Callable[[str], Dimension], tuple[str]]:
        """Pickled by key (its expressions are lambdas): the public statistics are cached."""
        return _dimension, (self.key,)


def _dimension(key: str) -> Dimension:
    return DIMENSIONS[key]


def _join(*parts: str) -> str:
    return "__".join(part for part in parts if part)


def _district_expression(place: str) -> Case:
    """The district of a settlement (or the place itself when it is coarser)."""
    return Case(
        When(**{f"{place}__kind": PlaceKind.SETTLEMENT}, then=F(f"{place}__parent__code")),
        default=F(f"{place}__code"),
        output_field=CharField(),
    )


def _place_labels(codes: Iterable[Any]) -> dict[Any, str]:
    wanted = [code for code in codes if code not in (None, UNKNOWN)]
    return dict(Place.objects.filter(code__in=wanted).values_list("code", "name"))


def _place_order(codes: Iterable[Any]) -> list[Any]:
    labels = _place_labels(codes)
    return sorted(codes, key=lambda code: (code in (None, UNKNOWN), str(labels.get(code, code))))


def _wave_labels(codes: Iterable[Any]) -> dict[Any, str]:
    return dict(Wave.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))


def _wave_order(codes: Iterable[Any]) -> list[Any]:
    years = dict(Wave.objects.values_list("code", "year_from"))
    return sorted(codes, key=lambda code: (code in (None, UNKNOWN), years.get(code, 0), str(code)))


def _choice_labels(choices: Iterable[tuple[Any, Any]]) -> Callable[[Iterable[Any]], dict[Any, str]]:
    mapping = dict(choices)
    return lambda keys: {key: str(mapping.get(key, key)) for key in keys}


def _choice_order(choices: Iterable[tuple[Any, Any]]) -> Callable[[Iterable[Any]], list[Any]]:
    positions = {value: index for index, (value, _label) in enumerate(choices)}
    return lambda keys: sorted(keys, key=lambda key: (positions.get(key, len(positions)), str(key)))


def age_band_expression(prefix: str, *, today: dt.date | None = None) -> Case:
    """Age band from the stored birth date text ("1951", "1951-03", "1951-03-12~").

    Stored dates sort as text, so "born in year Y or later" is `birth_date >= "Y"`;
    the bands are tried youngest first.
    """
    year = (today or dt.date.today()).year  # noqa: DTZ011 - a calendar year, not an instant
    field = _join(prefix, "birth_date")
    whens = [When(**{field: ""}, then=Value(UNKNOWN))]
    for key, _label, _youngest, oldest in AGE_BANDS:
        if oldest is None:
            whens.append(When(**{f"{field}__gt": ""}, then=Value(key)))
        else:
            whens.append(When(**{f"{field}__gte": f"{year - oldest:04d}"}, then=Value(key)))
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


_AGE_CHOICES = [(key, label) for key, label, _y, _o in AGE_BANDS]
_LIVING_CHOICES = [(False, _("living")), (True, _("deceased"))]
_SEX_CHOICES = [(Sex.FEMALE.value, Sex.FEMALE.label), (Sex.MALE.value, Sex.MALE.label), ("", _("not recorded"))]

PEOPLE = Measure("people", _("people"), "registry.person", "household")
HOUSEHOLDS = Measure("households", _("households"), "registry.household", "")
CLAIMS = Measure("claims", _("claims"), "claims.claim", "household")
MEASURES: dict[str, Measure] = {measure.key: measure for measure in (PEOPLE, HOUSEHOLDS, CLAIMS)}

_ALL = frozenset(MEASURES)


def _claim_status_choices() -> list[tuple[str, Any]]:
    return list(ClaimStatus.choices)


def _claim_status_labels(keys: Iterable[Any]) -> dict[Any, str]:
    return _choice_labels(_claim_status_choices())(keys)


def _claim_status_order(keys: Iterable[Any]) -> list[Any]:
    return _choice_order(_claim_status_choices())(keys)


DIMENSIONS: dict[str, Dimension] = {
    dimension.key: dimension
    for dimension in (
        Dimension(
            "wave",
            _("displacement wave"),
            _ALL,
            lambda household: F(_join(household, "wave__code")),
            _wave_labels,
            _wave_order,
        ),
        Dimension(
            "origin_district",
            _("district of origin"),
            _ALL,
            lambda household: _district_expression(_join(household, "origin_place")),
            _place_labels,
            _place_order,
        ),
        Dimension(
            "current_district",
            _("district of residence"),
            _ALL,
            lambda household: _district_expression(_join(household, "current_place")),
            _place_labels,
            _place_order,
        ),
        Dimension(
            "sex",
            _("sex"),
            frozenset({"people"}),
            lambda _household: F("sex"),
            _choice_labels(_SEX_CHOICES),
            _choice_order(_SEX_CHOICES),
        ),
        Dimension(
            "age_band",
            _("age band"),
            frozenset({"people"}),
            lambda _household: age_band_expression(""),
            _choice_labels(_AGE_CHOICES),
            _choice_order(_AGE_CHOICES),
        ),
        Dimension(
            "living",
            _("living or deceased"),
            frozenset({"people"}),
            lambda _household: F("is_deceased"),
            _choice_labels(_LIVING_CHOICES),
            _choice_order(_LIVING_CHOICES),
        ),
        Dimension(
            "claim_status",
            _("claim status"),
            frozenset({"claims"}),
            lambda _household: F("status"),
            _claim_status_labels,
            _claim_status_order,
        ),
    )
}


def available_measures() -> list[Measure]:
    return [measure for measure in MEASURES.values() if _model_exists(measure.model_label)]


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def dimensions_for(measure: str) -> list[Dimension]:
    return [dimension for dimension in DIMENSIONS.values() if measure in dimension.measures]


def scoped_queryset(measure: Measure, *, user: User | None) -> models.QuerySet[Any]:
    household = measure.household_path
    condition = scope_q(user, origin=_join(household, "origin_place"), residence=_join(household, "current_place"))
    return measure.model._default_manager.filter(condition)


@dataclass
class StatisticsTable:
    measure: Measure
    row_dimension: Dimension
    column_dimension: Dimension | None
    table: SuppressedTable
    row_labels: dict[Any, str]
    column_labels: dict[Any, str]

    def rows(self) -> list[dict[str, Any]]:
        """Template-friendly rows: label, shown cells (None when hidden), total."""
        return [
            {
                "key": row,
                "label": self.row_labels.get(row, row),
                "is_total": row == TOTAL,
                "cells": [self.table.cell(row, column).shown for column in self.table.columns],
                "total": self.table.cell(row, TOTAL).shown,
            }
            for row in [*self.table.rows, TOTAL]
        ]

    def header(self) -> list[str]:
        return [self.column_labels.get(column, str(column)) for column in self.table.columns]


def _normalise(key: Any) -> Any:
    return UNKNOWN if key is None else key


def statistics_table(
    *,
    user: User | None,
    measure: str,
    row_dimension: str,
    column_dimension: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> StatisticsTable:
    """One grouped query, then small-cell suppression of the cross-table."""
    chosen = MEASURES[measure]
    rows = DIMENSIONS[row_dimension]
    columns = DIMENSIONS[column_dimension] if column_dimension else None
    for dimension in (rows, columns):
        if dimension is not None and measure not in dimension.measures:
            raise ValueError(f"{dimension.key} does not apply to {measure}")
    household = chosen.household_path
    annotations = {"row_key": rows.expression(household)}
    if columns is not None:
        annotations["column_key"] = columns.expression(household)
    grouped = (
        scoped_queryset(chosen, user=user)
        .annotate(**annotations)
        .values(*annotations)
        .annotate(number=Count("pk"))
        .order_by()
    )
    values: dict[tuple[Any, Any], int] = {}
    for entry in grouped:
        key = (_normalise(entry["row_key"]), _normalise(entry.get("column_key", "all")) if columns else "all")
        values[key] = values.get(key, 0) + entry["number"]
    row_keys = _ordered_keys(rows, {key[0] for key in values})
    column_keys = _ordered_keys(columns, {key[1] for key in values}) if columns else ["all"]
    table = suppress(values, threshold=threshold, rows=row_keys, columns=column_keys)
    table.one_dimensional = columns is None
    return StatisticsTable(
        measure=chosen,
        row_dimension=rows,
        column_dimension=columns,
        table=table,
        row_labels=_labels(rows, row_keys),
        column_labels=_labels(columns, column_keys) if columns else {"all": str(chosen.label)},
    )


def _ordered_keys(dimension: Dimension | None, keys: set[Any]) -> list[Any]:
    if dimension is None or dimension.order is None:
        return sorted(keys, key=str)
    return dimension.order(keys)


def _labels(dimension: Dimension | None, keys: list[Any]) -> dict[Any, str]:
    labels: dict[Any, str] = {TOTAL: str(_("Total")), UNKNOWN: str(_("not recorded"))}
    if dimension is not None:
        labels.update({key: label for key, label in dimension.labels(keys).items() if key != UNKNOWN})
    for key in keys:
        labels.setdefault(key, str(key))
    return labels


def count_by(measure: Measure, expression: Any, *, user: User | None, condition: Q | None = None) -> dict[Any, int]:
    """{group key: count} in one grouped query within the user's scope."""
    queryset = scoped_queryset(measure, user=user)
    if condition is not None:
        queryset = queryset.filter(condition)
    grouped = queryset.annotate(group=expression).values("group").annotate(number=Count("pk")).order_by()
    result: dict[Any, int] = {}
    for entry in grouped:
        key = _normalise(entry["group"])
        result[key] = result.get(key, 0) + entry["number"]
    return result


def displacement_year_expression(household: str = "") -> Substr:
    return Substr(_join(household, "displacement_date"), 1, 4)
