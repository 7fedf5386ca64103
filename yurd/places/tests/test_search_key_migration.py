"""places 0003 fills search_key for the places and names that 0002 left with an empty one."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection

from yurd.places.models import Place, PlaceName
from yurd.testing.personas import Gazetteer

fill_migration = importlib.import_module("yurd.places.migrations.0003_fill_search_keys")


def test_the_migration_fills_every_empty_search_key(gazetteer: Gazetteer) -> None:
    expected = dict(Place.objects.values_list("pk", "search_key"))
    expected_names = dict(PlaceName.objects.values_list("pk", "search_key"))
    Place.objects.update(search_key="")
    PlaceName.objects.update(search_key="")

    fill_migration.fill_search_keys(apps, connection.schema_editor())

    assert dict(Place.objects.values_list("pk", "search_key")) == expected
    assert dict(PlaceName.objects.values_list("pk", "search_key")) == expected_names
    assert all(expected.values())
