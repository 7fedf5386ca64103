"""A list arrives through a staged import and is linked into people across scripts."""

from __future__ import annotations

import pytest

from yurd.accounts.models import User
from yurd.casualties.models import CasualtyPerson, ListEntry, ListImport
from yurd.casualties.services import list_import_commit, list_import_stage
from yurd.casualties.tests.conftest import CYRILLIC, LATIN, import_list, make_list
from yurd.core.actors import Actor
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_rejected_rows_are_reported_by_row_and_column_and_never_written(
    gazetteer: Gazetteer, administrator: User
) -> None:
    actor = Actor(user=administrator)
    official = make_list(actor, "official")
    text = (
        "record_id,surname,given_name,sex,birth_date,event,wave\n"
        "X-1,Məmmədov,Əli,m,1951,death,1987-1991\n"
        "X-2,Əliyev,Həsən,m,not-a-date,death,\n"
        "X-1,Hüseynov,Rəşad,m,1950,exploded,1700\n"
        ",,,,,,\n"
        "X-4,,,,,death,\n"
    )
    batch = list_import_stage(actor=actor, source_list=official, data=text.encode(), file_name="official.csv")
    assert (batch.total_rows, batch.valid_rows, batch.rejected_rows) == (4, 1, 3)
    errors = {(row.number, error["column"]) for row in batch.rows.all() for error in row.errors}
    assert {(3, "birth_date"), (4, "record_id"), (4, "event"), (4, "wave"), (6, "surname")} <= errors
    assert ListEntry.objects.count() == 0
    list_import_commit(actor=actor, batch=batch)
    assert list(ListEntry.objects.values_list("record_id", flat=True)) == ["X-1"]


def test_lists_in_two_scripts_link_into_the_same_people(gazetteer: Gazetteer, administrator: User) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    import_list(actor, make_list(actor, "press"), CYRILLIC)
    assert ListEntry.objects.filter(person__isnull=True).count() == 0
    ali = ListEntry.objects.get(record_id="A-1").person
    assert ListEntry.objects.get(record_id="B-1").person == ali
    assert ListEntry.objects.get(record_id="B-2").person == ListEntry.objects.get(record_id="A-2").person
    assert ListEntry.objects.get(record_id="B-3").person != ListEntry.objects.get(record_id="A-3").person
    assert CasualtyPerson.objects.current().count() == 5
    assert ali is not None and ali.wave is not None
    assert ali.place == gazetteer.settlement_a1 and ali.wave.code == "1987-1991" and ali.birth_year == 1951


def test_importing_a_list_again_adds_nothing(gazetteer: Gazetteer, administrator: User) -> None:
    actor = Actor(user=administrator)
    community = make_list(actor, "community")
    import_list(actor, community, LATIN)
    people = CasualtyPerson.objects.count()
    batch = import_list(actor, community, LATIN)
    assert isinstance(batch, ListImport)
    assert (batch.entries_created, batch.entries_unchanged) == (0, 4)
    assert CasualtyPerson.objects.count() == people


def test_scoped_registrar_cannot_import_rows_outside_her_district(gazetteer: Gazetteer, registrar: User) -> None:
    actor = Actor(user=registrar)
    own = make_list(actor, "district-list")
    text = (
        "record_id,surname,given_name,place\nR-1,Məmmədov,Əli,Qarabulaq\nR-2,Əliyev,Həsən,Dəmirçi\nR-3,Rzayev,Tofiq,\n"
    )
    batch = list_import_stage(actor=actor, source_list=own, data=text.encode(), file_name="d.csv")
    rejected = {row.number for row in batch.rows.filter(is_valid=False)}
    assert rejected == {3, 4}
