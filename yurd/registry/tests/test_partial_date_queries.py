"""Partial dates in the database: sorted chronologically and filtered by ranges on both databases."""

from __future__ import annotations

from yurd.core.partial_dates import PartialDate
from yurd.registry.models import Person
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer


def test_people_sort_and_filter_by_partial_birth_dates(gazetteer: Gazetteer) -> None:
    dates = ["1952", "12.03.1951", "1951", "c. 1950", "03.1951", "02.11.1951", "31.12.1949"]
    register(
        origin=gazetteer.settlement_a1,
        members=[
            {"surname": "Əliyev", "given_name": f"N{index}", "birth_date": text} for index, text in enumerate(dates)
        ],
    )
    ordered = [str(person.birth_date) for person in Person.objects.order_by("birth_date")]
    assert ordered == ["31.12.1949", "c. 1950", "1951", "03.1951", "12.03.1951", "02.11.1951", "1952"]
    born_1951 = Person.objects.filter(birth_date__gte="1951", birth_date__lt="1952")
    assert sorted(str(person.birth_date) for person in born_1951) == ["02.11.1951", "03.1951", "12.03.1951", "1951"]
    before_april_1951 = Person.objects.filter(birth_date__lt=PartialDate(1951, 4))
    assert {str(person.birth_date) for person in before_april_1951} == {
        "31.12.1949", "c. 1950", "1951", "03.1951", "12.03.1951"
    }  # fmt: skip
    assert Person.objects.get(birth_date=PartialDate(1950, approximate=True)).given_name == "N3"
