"""Synthetic households and people for the reports tests (names are made up)."""

from __future__ import annotations

import itertools

from yurd.places.models import Place
from yurd.registry.models import Household, Person, Wave
from yurd.testing.personas import Gazetteer

_counter = itertools.count(1)

SURNAMES = ["Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev"]
GIVEN = ["Əli", "Leyla", "Tamilla", "Rauf", "Nigar"]


def make_household(
    *, origin: Place, current: Place | None = None, wave: str = "1987-1991", members: int = 3, displaced: str = "1988"
) -> Household:
    number = next(_counter)
    household = Household.objects.create(
        code=f"HH-T{number:05d}",
        origin_place=origin,
        current_place=current,
        wave=Wave.objects.get(code=wave),
        displacement_date=displaced,
    )
    Person.objects.bulk_create(
        Person(
            code=f"P-T{number:05d}{index}",
            household=household,
            surname=SURNAMES[(number + index) % len(SURNAMES)],
            given_name=GIVEN[(number * 3 + index) % len(GIVEN)],
            sex="f" if index % 2 else "m",
            birth_date="1950" if index == 0 else "1985-03",
            is_deceased=index == 0 and number % 4 == 0,
        )
        for index in range(members)
    )
    return household


def populate(gazetteer: Gazetteer) -> list[Household]:
    """Thirty households in settlement A1 (1987–1991), eight in B1, and two in A2 (1948–1953)."""
    households = [make_household(origin=gazetteer.settlement_a1, current=gazetteer.settlement_b1) for _ in range(30)]
    households += [make_household(origin=gazetteer.settlement_b1, wave="1987-1991") for _ in range(8)]
    households += [make_household(origin=gazetteer.settlement_a2, wave="1948-1953", displaced="1949") for _ in range(2)]
    return households


def all_names() -> set[str]:
    """Every surname and given name in the database: none may reach an analyst."""
    names = set()
    for surname, given in Person.objects.values_list("surname", "given_name"):
        names.update({surname, given})
    return {name for name in names if name}
