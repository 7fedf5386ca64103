"""The analyst's statistics: chosen dimensions, suppressed cells, logged CSV, no names."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.models import AccessAction, AccessLogEntry
from yurd.disclosure.suppression import TOTAL
from yurd.reports.selectors import statistics_table
from yurd.reports.tests.data import all_names, populate
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_households_by_wave_hide_the_small_wave(gazetteer: Gazetteer) -> None:
    populate(gazetteer)
    result = statistics_table(user=None, measure="households", row_dimension="wave")
    assert result.table.cell("1987-1991", "all").shown is None or result.table.cell("1948-1953", "all").suppressed
    assert result.table.cell("1948-1953", "all").suppressed
    assert result.table.grand_total.value == 40


def test_people_by_origin_district_and_sex_add_up(gazetteer: Gazetteer) -> None:
    populate(gazetteer)
    result = statistics_table(user=None, measure="people", row_dimension="origin_district", column_dimension="sex")
    assert set(result.table.rows) == {"TST-D1", "TST-D2"}
    assert result.row_labels["TST-D1"] == "Alpha District"
    assert result.table.cell(TOTAL, TOTAL).value == 120


def test_scoped_user_counts_only_their_district(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    result = statistics_table(user=registrar, measure="households", row_dimension="origin_district")
    assert result.table.rows == ["TST-D1"]
    assert result.table.grand_total.value == 32


def test_age_bands_come_from_partial_birth_dates(gazetteer: Gazetteer) -> None:
    populate(gazetteer)
    result = statistics_table(user=None, measure="people", row_dimension="age_band", column_dimension="living")
    assert "60-79" in result.table.rows or "80+" in result.table.rows
    assert "35-59" in result.table.rows or "18-34" in result.table.rows


def test_analyst_sees_the_table_without_any_name(client: Client, gazetteer: Gazetteer, analyst: User) -> None:
    populate(gazetteer)
    client.force_login(analyst)
    response = client.get(
        reverse("reports:statistics"),
        {"measure": "people", "rows": "origin_district", "columns": "wave", "threshold": "5"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Alpha District" in content
    for name in all_names():
        assert name not in content


def test_threshold_below_the_minimum_is_refused(client: Client, gazetteer: Gazetteer, analyst: User) -> None:
    client.force_login(analyst)
    response = client.get(reverse("reports:statistics"), {"measure": "people", "rows": "wave", "threshold": "1"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert response.context["form"].errors["threshold"]


def test_dimension_that_does_not_apply_is_refused(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    response = client.get(reverse("reports:statistics"), {"measure": "households", "rows": "sex", "threshold": "5"})
    assert response.context["form"].errors["rows"]


def test_csv_download_is_suppressed_and_logged(client: Client, gazetteer: Gazetteer, analyst: User) -> None:
    populate(gazetteer)
    client.force_login(analyst)
    response = client.get(
        reverse("reports:statistics"),
        {"measure": "households", "rows": "wave", "threshold": "5", "download": "csv"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    small_wave = next(line for line in lines if line.startswith("1948"))
    assert small_wave.endswith(",x")
    for name in all_names():
        assert name not in text
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT, username=analyst.username)
    assert entry.target_type == "reports.statistics"
    assert entry.purpose


def test_outsider_is_refused(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get(reverse("reports:statistics")).status_code == 403
