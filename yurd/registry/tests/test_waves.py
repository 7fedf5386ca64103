"""Displacement waves are configuration data, seeded by a data migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from yurd.registry.models import Wave

waves_migration = importlib.import_module("yurd.registry.migrations.0002_default_waves")


@pytest.mark.django_db
def test_default_waves_are_the_three_of_the_domain() -> None:
    assert list(Wave.objects.values_list("code", "year_from", "year_to")) == [
        ("1918-1920", 1918, 1920),
        ("1948-1953", 1948, 1953),
        ("1987-1991", 1987, 1991),
    ]


@pytest.mark.django_db
def test_data_migration_keeps_edited_waves_and_adds_only_missing_ones() -> None:
    Wave.objects.filter(code="1948-1953").update(name="Deportation 1948–1953")
    Wave.objects.filter(code="1918-1920").delete()
    waves_migration.add_default_waves(apps, None)
    assert Wave.objects.count() == 3
    assert Wave.objects.get(code="1948-1953").name == "Deportation 1948–1953"


@pytest.mark.django_db
def test_reversal_removes_only_unused_default_waves() -> None:
    Wave.objects.create(code="custom", name="Custom", year_from=2020, year_to=2021)
    waves_migration.remove_unused_default_waves(apps, None)
    assert list(Wave.objects.values_list("code", flat=True)) == ["custom"]
