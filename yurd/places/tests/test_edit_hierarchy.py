"""Services that change places keep paths, keys and history correct."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from yurd.core.actors import Actor, system_actor
from yurd.names import search_key
from yurd.places.models import NameScript, Place, PlaceKind, PlaceName
from yurd.places.services import place_create, place_move, place_name_add, place_name_update, place_update
from yurd.testing.personas import Gazetteer


def test_created_place_gets_its_path_and_key(gazetteer: Gazetteer) -> None:
    place = place_create(
        actor=system_actor(), code="TST-S13", kind=PlaceKind.SETTLEMENT, name="Qızılca", parent=gazetteer.district_a
    )
    assert place.path == f"{gazetteer.district_a.path}{place.pk}/"
    assert place.search_key == "gizilja"
    assert place.history.first().path == place.path


def test_moving_a_district_moves_its_villages(gazetteer: Gazetteer) -> None:
    other_region = place_create(
        actor=system_actor(), code="TST-R2", kind=PlaceKind.REGION, name="South", parent=gazetteer.country
    )
    place_move(actor=system_actor(), place=gazetteer.district_a, parent=other_region, reason="boundary reform")
    village = Place.objects.get(pk=gazetteer.settlement_a1.pk)
    district = Place.objects.get(pk=gazetteer.district_a.pk)
    assert district.path == f"{other_region.path}{district.pk}/"
    assert village.path == f"{district.path}{village.pk}/"
    assert district.history.first().history_change_reason == "boundary reform"


def test_a_place_cannot_move_under_itself_or_a_smaller_kind(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValidationError):
        place_move(actor=system_actor(), place=gazetteer.region, parent=gazetteer.district_a)
    with pytest.raises(ValidationError):
        place_move(actor=system_actor(), place=gazetteer.district_b, parent=gazetteer.settlement_a1)


def test_name_edit_keeps_key_and_reason(gazetteer: Gazetteer, registrar) -> None:
    actor = Actor(user=registrar)
    name = place_name_add(actor=actor, place=gazetteer.settlement_a1, text="Гарабулаг", language=NameScript.RU)
    assert name.search_key == "garabulag"
    place_name_update(actor=actor, name=name, text="Карабулах", reason="Soviet spelling", year_to=1991)
    name.refresh_from_db()
    assert name.search_key == search_key("Карабулах")
    latest = name.history.first()
    assert (latest.history_user, latest.history_change_reason) == (registrar, "Soviet spelling")


def test_name_years_must_be_in_order(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValidationError):
        place_name_add(
            actor=system_actor(),
            place=gazetteer.settlement_a1,
            text="X",
            language="other",
            year_from=1991,
            year_to=1930,
        )


def test_update_without_change_writes_no_history(gazetteer: Gazetteer) -> None:
    before = gazetteer.settlement_a1.history.count()
    assert place_update(actor=system_actor(), place=gazetteer.settlement_a1, name="Qarabulaq") is False
    assert gazetteer.settlement_a1.history.count() == before


def test_reindex_recomputes_stale_keys(gazetteer: Gazetteer) -> None:
    name = place_name_add(actor=system_actor(), place=gazetteer.settlement_a1, text="Гарабулаг", language="ru")
    PlaceName.objects.filter(pk=name.pk).update(search_key="stale")
    Place.objects.filter(pk=gazetteer.settlement_b1.pk).update(search_key="stale")
    out = io.StringIO()
    call_command("places", "reindex", stdout=out)
    assert "2 changed" in out.getvalue()
    assert PlaceName.objects.get(pk=name.pk).search_key == "garabulag"
