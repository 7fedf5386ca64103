"""The public statistics: fixed aggregate tables over everyone, suppressed, cached.

No login; nothing personal: only counts by wave, district, sex and living status,
each cross-table suppressed (yurd.disclosure.suppression).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from yurd.casualties.figures import public_figures
from yurd.reports.forms import minimum_threshold
from yurd.reports.selectors import StatisticsTable, statistics_table

PUBLIC_TABLES: list[tuple[str, str, str | None]] = [
    # measure, rows, columns
    ("households", "wave", None),
    ("people", "wave", "sex"),
    ("households", "origin_district", "wave"),
    ("people", "age_band", "living"),
]


def public_threshold() -> int:
    return max(minimum_threshold(), int(getattr(settings, "YURD_PUBLIC_SUPPRESSION_THRESHOLD", 5)))


def public_register_figures() -> dict[str, Any] | None:
    """Documented and estimated deaths and injuries by wave, suppressed: counts only, never names."""
    return public_figures(public_threshold())


def build_public_statistics() -> list[StatisticsTable]:
    return [
        statistics_table(
            user=None, measure=measure, row_dimension=rows, column_dimension=columns, threshold=public_threshold()
        )
        for measure, rows, columns in PUBLIC_TABLES
    ]


def public_statistics() -> list[StatisticsTable]:
    seconds = int(getattr(settings, "YURD_PUBLIC_CACHE_SECONDS", 600))
    if seconds <= 0:
        return build_public_statistics()
    key = f"reports:public:{get_language()}"
    tables = cache.get(key)
    if tables is None:
        tables = build_public_statistics()
        cache.set(key, tables, seconds)
    return tables
