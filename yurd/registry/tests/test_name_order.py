"""Lists the database pages are in Azerbaijani alphabetical order (issue 19): Ç after C,
Ə after E, Ğ after G, I before İ, Ö after O, Ş after S, Ü after U, on SQLite and PostgreSQL
alike. The order is a stored key (Person.name_sort, Place.name_sort, CasualtyPerson.name_sort)
filled on save, by bulk writes and, for rows already there, by the migrations adding it."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from yurd.casualties.models import CasualtyPerson
from yurd.casualties.selectors import person_list as casualty_list
from yurd.core.actors import system_actor
from yurd.names.collation import sort_key, sort_text
from yurd.places.models import Place, PlaceKind
from yurd.places.selectors import residence_places
from yurd.registry import selectors
from yurd.registry.imports.bulk import db_datetime, insert_with_history, reserve_ids
from yurd.registry.models import Household, Person
from yurd.registry.services import person_update
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer

# Surnames in the order an Azerbaijani reader expects (Python's and SQLite's order puts
# Ç, Ə, İ, Ö, Ş, Ü after Z; PostgreSQL's collations disagree among themselves).
SURNAMES = [
    "Abbasov",
    "Cəfərov",
    "Çələbiyev",
    "Dadaşov",
    "Eldarov",
    "Əliyev",
    "Gəncəli",
    "Ğəniyev",
    "Hüseynov",
    "Isayev",
    "İsmayılov",
    "Orucov",
    "Özdəmir",
    "Sadıqov",
    "Şahbazov",
    "Usubov",
    "Ülvi",
    "Zeynalov",
]


def shuffled(items: list[str]) -> list[str]:
    copy = list(items)
    random.Random(19).shuffle(copy)
    return copy


def test_the_stored_key_sorts_like_the_pages_python_order() -> None:
    names = ["Dadaş", "Çələbi", "Cəfər", "Eldar", "Əliyev", "Əli", "Ağ Bulaq", "Ağbulaq", "İlham", "Ilgar", "Иванов"]
    assert sorted(names, key=sort_text) == sorted(names, key=lambda name: sort_key(name)[0])
    assert sorted(names, key=sort_text)[:8] == [
        "Ağ Bulaq",
        "Ağbulaq",
        "Cəfər",
        "Çələbi",
        "Dadaş",
        "Eldar",
        "Əli",
        "Əliyev",
    ]
    # A surname is compared whole before the given name: Əli Zaur before Əliyev Anar.
    assert sort_text("Əli", "Zaur") < sort_text("Əliyev", "Anar")
    # Digits only: every collation compares them alike.
    assert sort_text("Çələbi", "Ülvi").isdigit()


@given(st.lists(st.text(alphabet="abcçdeəfgğhxıijkqlmnoöprsştuüvyzABCÇƏİIŞÜ -'1жя€", max_size=12), max_size=8))
def test_the_stored_key_agrees_with_sort_key_on_any_text(texts: list[str]) -> None:
    by_key = sorted(texts, key=lambda text: sort_key(text)[0])
    assert [sort_key(text)[0] for text in sorted(texts, key=sort_text)] == [sort_key(text)[0] for text in by_key]


@pytest.mark.django_db
def test_people_list_in_azerbaijani_order(gazetteer: Gazetteer) -> None:
    for surname in shuffled(SURNAMES):
        register(origin=gazetteer.settlement_a1, members=[{"surname": surname, "given_name": "Anar"}])
    assert [person.surname for person in selectors.person_list(user=None)] == SURNAMES
    page = selectors.person_page(user=None)
    assert [person.surname for person in page] == SURNAMES
    # Read by position: the page after Cəfərov starts with Çələbiyev.
    cefer = Person.objects.get(surname="Cəfərov")
    after = selectors.keyset_page(selectors.person_list(user=None), order=selectors.PERSON_ORDER, after=cefer.code)
    assert [person.surname for person in after][:2] == ["Çələbiyev", "Dadaşov"]


@pytest.mark.django_db
def test_a_new_name_moves_the_person(gazetteer: Gazetteer) -> None:
    household = register(
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Eldarov", "given_name": "Anar"}, {"surname": "Dadaşov", "given_name": "Anar"}],
    )
    renamed = household.members.get(surname="Dadaşov")
    person_update(actor=system_actor(), person=renamed, reason="Spelling (synthetic).", surname="Əliyev")
    assert [person.surname for person in Person.objects.all()] == ["Eldarov", "Əliyev"]
    # A save naming the changed field keeps the key in step.
    renamed.surname = "Cəfərov"
    renamed.save(update_fields=["surname"])
    assert [person.surname for person in Person.objects.all()] == ["Cəfərov", "Eldarov"]


@pytest.mark.django_db
def test_bulk_writes_fill_the_key(gazetteer: Gazetteer) -> None:
    now = db_datetime(timezone.now())
    stamps = {"created_at": now, "updated_at": now}
    (household_id,) = reserve_ids(Household, 1)
    insert_with_history(
        Household,
        [{"id": household_id, "code": "HH-B00001", "origin_place_id": gazetteer.settlement_a1.pk, **stamps}],
        actor=system_actor(),
        reason="test",
    )
    ids = reserve_ids(Person, len(SURNAMES))
    insert_with_history(
        Person,
        [
            {
                "id": pk,
                "code": f"P-B{number:06d}",
                "household_id": household_id,
                "surname": surname,
                "given_name": "",
                **stamps,
            }
            for number, (pk, surname) in enumerate(zip(ids, shuffled(SURNAMES), strict=True))
        ],
        actor=system_actor(),
        reason="test",
    )
    assert [person.surname for person in Person.objects.all()] == SURNAMES
    assert Person.history.filter(surname="Çələbiyev").get().name_sort == sort_text("Çələbiyev", "")


@pytest.mark.django_db
def test_the_list_reads_no_more_queries_than_before(gazetteer: Gazetteer) -> None:
    for surname in shuffled(SURNAMES):
        register(origin=gazetteer.settlement_a1, members=[{"surname": surname, "given_name": "Anar"}])
    with CaptureQueriesContext(connection) as captured:
        assert len(selectors.person_page(user=None)) == len(SURNAMES)
    # The count and the page, as with the surname order.
    assert len(captured) == 2


@pytest.mark.django_db
def test_places_and_casualty_register_in_azerbaijani_order(gazetteer: Gazetteer) -> None:
    names = ["Cəbrayıl", "Çaykənd", "Daşkəsən", "Əskipara", "İsmayıllı", "Şuşa", "Zəngilan"]
    for number, name in enumerate(shuffled(names)):
        Place.objects.create(code=f"SORT-{number}", kind=PlaceKind.SETTLEMENT, name=name, parent=gazetteer.district_a)
    listed = [place.name for place in Place.objects.filter(code__startswith="SORT-")]
    assert listed == names
    assert [place.name for place in residence_places() if place.code.startswith("SORT-")] == names

    CasualtyPerson.objects.bulk_create(
        [CasualtyPerson(code=f"CP-{number:06d}", surname=surname) for number, surname in enumerate(shuffled(SURNAMES))]
    )
    assert [person.surname for person in CasualtyPerson.objects.all()] == SURNAMES
    assert [person.surname for person in casualty_list(user=None)] == SURNAMES


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_people_already_registered(gazetteer: Gazetteer) -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("registry", "0010_population_figure_and_estimates")])
        old = executor.loader.project_state([("registry", "0010_population_figure_and_estimates")]).apps
        household = old.get_model("registry", "Household").objects.create(code="HH-M00001")
        for number, surname in enumerate(shuffled(SURNAMES)):
            old.get_model("registry", "Person").objects.create(
                code=f"P-M{number:06d}", household_id=household.pk, surname=surname
            )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("registry", "0011_person_name_sort")])
        assert [person.surname for person in Person.objects.unscoped().order_by("name_sort")] == SURNAMES
    finally:
        # The schema is shared by the later tests of this worker: leave every app at its latest migration.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
