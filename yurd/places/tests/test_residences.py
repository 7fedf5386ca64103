"""The reference gazetteer of current residences: Azerbaijan's districts and cities, and abroad."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from yurd.core.actors import system_actor
from yurd.places.models import Place, PlaceKind, PlaceName
from yurd.places.selectors import place_choice_labels, place_resolve, residence_country, residence_places
from yurd.places.services import residences_load

pytestmark = pytest.mark.django_db

KINDS = {"district": "district", "settlement": "settlement", "country": "country", "region": "region"}


def test_the_command_loads_districts_cities_and_countries_abroad_once() -> None:
    output = io.StringIO()
    call_command("places", "residences", stdout=output)

    assert "110 places created" in output.getvalue()
    azerbaijan = Place.objects.get(code="AZ")
    inside = Place.objects.filter(path__startswith=azerbaijan.path)
    assert inside.filter(kind=PlaceKind.DISTRICT).count() == 78  # 59 rayons, 12 of Baku, 7 of Nakhchivan
    assert set(inside.filter(kind=PlaceKind.SETTLEMENT).values_list("name", flat=True)) >= {
        "Gəncə", "Sumqayıt", "Mingəçevir", "Şirvan", "Naftalan", "Xankəndi",
    }  # fmt: skip
    assert Place.objects.filter(kind=PlaceKind.COUNTRY).exclude(code="AZ").count() == 17
    summary = residences_load(actor=system_actor())  # a second time changes nothing
    assert (summary.created, summary.updated, summary.unchanged, summary.names_added) == (0, 0, 110, 0)


def test_every_place_is_named_in_azerbaijani_latin_and_cyrillic_and_russian() -> None:
    residences_load(actor=system_actor())

    sumgait = {name.language: name.text for name in PlaceName.objects.filter(place__code="AZ-C-SUM")}
    assert sumgait == {"az-Latn": "Sumqayıt", "az-Cyrl": "Сумгајыт", "ru": "Сумгаит", "en": "Sumgait"}
    for place in Place.objects.filter(code__startswith="AZ"):
        languages = set(place.names.values_list("language", flat=True))
        assert {"az-Latn", "az-Cyrl", "ru"} <= languages, place.code
    assert residence_country() == Place.objects.get(code="AZ")


def test_residences_are_azerbaijan_and_abroad_and_not_places_of_origin(sample_places: None) -> None:
    assert residence_places().filter(code="SYN-S1").exists()  # nothing loaded yet: every place, as before
    residences_load(actor=system_actor())

    offered = set(residence_places().values_list("code", flat=True))

    assert {"AZ", "AZ-BA-NSM", "AZ-SAK", "AZ-C-SAKC", "AZ-C-GAN", "RU", "TR", "GE"} <= offered
    assert "SYN-S1" not in offered  # a village of origin
    assert "SYN-S1" in set(residence_places(keep=Place.objects.get(code="SYN-S1").pk).values_list("code", flat=True))


def test_duplicate_names_are_told_apart_by_district_then_by_kind() -> None:
    residences_load(actor=system_actor())
    vedi = Place.objects.create(code="T-VED", kind=PlaceKind.DISTRICT, name="Vedi")
    basar = Place.objects.create(code="T-BAS", kind=PlaceKind.DISTRICT, name="Basarkeçər")
    first = Place.objects.create(code="T-1", kind=PlaceKind.SETTLEMENT, name="Ağbulaq", parent=vedi)
    second = Place.objects.create(code="T-2", kind=PlaceKind.SETTLEMENT, name="Ağbulaq", parent=basar)
    places = [*Place.objects.filter(code__in=["AZ-SAK", "AZ-C-SAKC", "AZ-C-GAN"]), first, second]

    labels = place_choice_labels(places, KINDS)

    assert labels[first.pk] == "Ağbulaq (Vedi)"
    assert labels[second.pk] == "Ağbulaq (Basarkeçər)"
    assert labels[Place.objects.get(code="AZ-SAK").pk] == "Şəki (district)"
    assert labels[Place.objects.get(code="AZ-C-SAKC").pk] == "Şəki (settlement)"
    assert labels[Place.objects.get(code="AZ-C-GAN").pk] == "Gəncə"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Sumqayıt", "AZ-C-SUM"), ("Гянджа", "AZ-C-GAN"), ("Сумгајыт", "AZ-C-SUM"), ("Nəsimi r-nu", "AZ-BA-NSM")],
)
def test_residences_are_found_by_any_of_their_names(text: str, code: str) -> None:
    residences_load(actor=system_actor())

    found = place_resolve(text)

    assert isinstance(found, Place) and found.code == code
