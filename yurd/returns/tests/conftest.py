"""Return-intention test helpers: a household registered the way the registry does it."""

from __future__ import annotations

import datetime as dt

import pytest

from yurd.core.actors import system_actor
from yurd.places.models import Place
from yurd.registry.models import Household, Wave
from yurd.registry.services import household_register
from yurd.testing.personas import Gazetteer


def register_household(origin: Place, *names: tuple[str, str]) -> Household:
    return household_register(
        actor=system_actor(),
        household={
            "origin_place": origin,
            "current_place": None,
            "wave": Wave.objects.get(code="1987-1991"),
            "displacement_date": "11.1988",
        },
        members=[
            {"surname": surname, "given_name": given, "household_role": "head" if index == 0 else "child"}
            for index, (surname, given) in enumerate(names)
        ],
        consent={"purpose": "registration", "given_on": dt.date(2024, 5, 1)},
    )


@pytest.fixture
def located_gazetteer(gazetteer: Gazetteer) -> Gazetteer:
    for place, (lat, lng) in ((gazetteer.settlement_a1, (40.1, 45.2)), (gazetteer.settlement_b1, (40.3, 45.6))):
        place.latitude, place.longitude = lat, lng
        place.save(update_fields=["latitude", "longitude"])
    return gazetteer


@pytest.fixture
def quliyev_family(located_gazetteer: Gazetteer) -> Household:
    return register_household(located_gazetteer.settlement_a1, ("Quliyev", "Vüqar"), ("Quliyeva", "Aynur"))


@pytest.fixture
def demirci_family(located_gazetteer: Gazetteer) -> Household:
    return register_household(located_gazetteer.settlement_b1, ("Həsənov", "Rəşad"))
