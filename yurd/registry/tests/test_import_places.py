"""Places named in imports, against the demo's own gazetteer: the template, villages of one
name told apart by their district in parentheses, and errors that say how to write them."""

from __future__ import annotations

import io

import pytest

from yurd.core.actors import system_actor
from yurd.places import demo as places_demo
from yurd.registry.imports import import_commit, template_csv
from yurd.registry.models import Household
from yurd.registry.tests.test_import import errors_of, make_csv, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_gazetteer(db: None) -> None:
    # Two villages are called Qarabulaq: one in Vedi district, one in Masis (Zəngibasar).
    places_demo.load(households=0, stdout=io.StringIO())


def test_the_import_template_is_valid_against_the_demo_gazetteer(demo_gazetteer: None) -> None:
    batch = stage(template_csv().encode())

    assert errors_of(batch) == {}
    assert batch.valid_rows == batch.total_rows == 3


def test_an_ambiguous_village_is_refused_with_each_way_to_write_it(demo_gazetteer: None) -> None:
    rows = [{"household_ref": "R1", "surname": "Məmmədov", "given_name": "Əli", "origin_place": "Qarabulaq"}]

    batch = stage(make_csv(rows))

    ((column, message),) = errors_of(batch)[2]
    assert column == "origin_place"
    assert "Qarabulaq (Vedi); Qarabulaq (Masis)" in message


@pytest.mark.parametrize(
    ("origin", "code"),
    [
        ("Qarabulaq (Vedi)", "AM-AR-VED-001"),
        ("Гарабулаг (Веди)", "AM-AR-VED-001"),
        ("Qarabulaq (Ведийский р-н)", "AM-AR-VED-001"),
        ("Qarabulaq k. (Vedi r-nu)", "AM-AR-VED-001"),
        ("Qarabulaq (Masis)", "AM-AR-ZNG-001"),
        ("Qarabulaq (Zəngibasar)", "AM-AR-ZNG-001"),
        ("Гарабулаг (Зенгибасарский район)", "AM-AR-ZNG-001"),
    ],
)
def test_a_village_with_its_district_in_parentheses_is_found_by_any_name_of_the_district(
    demo_gazetteer: None, origin: str, code: str
) -> None:
    rows = [{"household_ref": "R1", "surname": "Məmmədov", "given_name": "Əli", "origin_place": origin}]
    batch = stage(make_csv(rows))
    assert batch.valid_rows == 1, errors_of(batch)

    import_commit(actor=system_actor(), batch=batch)

    place = Household.objects.get(source_ref="R1").origin_place
    assert place is not None and place.code == code
