"""Imports in several files of one source: refs to people that an earlier file of the same
source created, or linked to a person already in the registry, resolve in later files."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from yurd.core.actors import Actor, system_actor
from yurd.core.roles import Role
from yurd.registry.imports import COLUMNS, PreCommitDecision, import_commit, import_create, import_validate
from yurd.registry.imports.services import (
    CHUNK,
    SOURCE_SPELLING,
    STAGED_FIELDS,
    register_pre_commit_hook,
    unregister_pre_commit_hook,
)
from yurd.registry.models import Household, ImportBatch, ImportRow, Kinship, Person, PersonName
from yurd.registry.search_index import name_forms_tokens
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer, make_user

pytestmark = pytest.mark.django_db

PARENTS = [
    {"household_ref": "F1", "person_ref": "F1-1", "surname": "Məmmədov", "given_name": "Əli", "sex": "m",
     "birth_date": "1931", "role": "head", "spouse_ref": "F1-2", "origin_place": "Qarabulaq"},
    {"household_ref": "F1", "person_ref": "F1-2", "surname": "Məmmədova", "given_name": "Gülnarə", "sex": "f",
     "birth_date": "1935", "role": "spouse"},
]  # fmt: skip
CHILD = {"household_ref": "F1", "person_ref": "F1-3", "surname": "Məmmədov", "given_name": "Həsən", "sex": "m",
         "birth_date": "1960", "role": "child", "father_ref": "F1-1", "mother_ref": "F1-2"}  # fmt: skip


def make_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def stage(rows: list[dict[str, str]], *, source: str) -> ImportBatch:
    data = make_csv(rows)
    batch = import_create(actor=system_actor(), data=data, file_name="list.csv", source=source)
    return import_validate(batch=batch, data=data)


def errors_of(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [
        (row.number, error["column"], error["message"])
        for row in batch.rows.filter(is_valid=False)
        for error in row.errors
    ]


def test_a_later_file_refers_to_people_an_earlier_file_of_the_source_created(gazetteer: Gazetteer) -> None:
    import_commit(actor=system_actor(), batch=stage(PARENTS, source="list-1988"))
    batch = stage([CHILD], source="list-1988")
    assert (batch.valid_rows, errors_of(batch)) == (1, [])
    batch = import_commit(actor=system_actor(), batch=batch)
    assert (batch.people_created, batch.households_created) == (1, 0)
    father, mother, son = (Person.objects.get(source_ref=ref) for ref in ("F1-1", "F1-2", "F1-3"))
    assert son.household_id == father.household_id  # same household_ref, same source: same household
    assert set(Kinship.objects.filter(to_person=son).values_list("from_person", "kind")) == {
        (father.pk, "parent_of"),
        (mother.pk, "parent_of"),
    }
    assert Kinship.objects.filter(kind="spouse_of").count() == 1


def test_refs_do_not_reach_into_another_source(gazetteer: Gazetteer) -> None:
    import_commit(actor=system_actor(), batch=stage(PARENTS, source="list-1988"))
    batch = stage([CHILD], source="list-1993")
    assert batch.valid_rows == 0
    assert [(number, column) for number, column, _message in errors_of(batch)] == [
        (2, "father_ref"),
        (2, "mother_ref"),
    ]
    assert "F1-1" in errors_of(batch)[0][2]


@pytest.fixture
def ali(gazetteer: Gazetteer) -> Person:
    household = register(
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "sex": "m",
                  "birth_date": "12.03.1951", "household_role": "head"}],
    )  # fmt: skip
    return household.members.get()


def test_a_later_file_refers_to_a_row_an_earlier_file_linked_to_an_existing_person(ali: Person) -> None:
    """The first file's row M1-1 is linked to Əli (no new person); the second file's son
    names M1-1 as his father and joins Əli's household. Linking here is a test hook doing
    what import matching does: link the row and remember the link as a source spelling."""

    def link_m1(batch: ImportBatch, rows: list[dict[str, Any]]) -> PreCommitDecision | None:
        if not any(row["source_ref"] == "M1-1" for row in rows):
            return None

        def remember(person_ids: dict[str, int]) -> None:
            PersonName.objects.create(
                person=ali, surname="Мамедов", given_name="Али", kind=SOURCE_SPELLING, source=f"{batch.source} #M1-1"
            )

        return PreCommitDecision(links={"M1-1": ali.pk}, after_write=remember)

    first = [{"household_ref": "M1", "person_ref": "M1-1", "full_name": "Мамедов Али", "role": "head"}]
    son = {"household_ref": "M1", "person_ref": "M1-2", "surname": "Məmmədov", "given_name": "Rəşad",
           "birth_date": "1980", "role": "child", "father_ref": "M1-1"}  # fmt: skip
    register_pre_commit_hook(link_m1)
    try:
        batch = import_commit(actor=system_actor(), batch=stage(first, source="list-1993"))
        assert (batch.people_created, batch.households_created) == (0, 0)
        later = stage([son], source="list-1993")
        assert (later.valid_rows, errors_of(later)) == (1, [])
        later = import_commit(actor=system_actor(), batch=later)
        # The first file again: its row is known as linked, so nothing changes.
        again = import_commit(actor=system_actor(), batch=stage(first, source="list-1993"))
    finally:
        unregister_pre_commit_hook(link_m1)
    assert (later.people_created, later.households_created) == (1, 0)
    rashad = Person.objects.get(source="list-1993", source_ref="M1-2")
    assert rashad.household_id == ali.household_id
    assert Kinship.objects.filter(from_person=ali, to_person=rashad, kind="parent_of").exists()
    assert (again.people_created, again.people_unchanged) == (0, 1)
    assert Person.objects.count() == 2 and Household.objects.count() == 1


def test_committed_people_carry_the_search_tokens_of_their_whole_name(gazetteer: Gazetteer) -> None:
    rows = [{**PARENTS[0], "patronymic": "Həsən oğlu"}, {**PARENTS[1], "surname": "Мамедова", "given_name": "Гюльнара"}]
    import_commit(actor=system_actor(), batch=stage(rows, source="list-1988"))
    for person in Person.objects.all():
        expected = name_forms_tokens([(person.surname, person.given_name, person.patronymic)])
        assert person.search_text == " ".join(expected)


def test_with_import_matching_a_later_file_refers_to_a_row_matched_to_an_existing_person(ali: Person) -> None:
    """The same through the real import matching (yurd.linkage): Али Мамедов born 12.03.1951
    in Qarabulaq is certainly Əli Məmmədov; his son comes in a second file of the list."""
    first = [{"household_ref": "M1", "person_ref": "M1-1", "full_name": "Мамедов Али Гасан оглы", "sex": "m",
              "birth_date": "12.03.1951", "origin_place": "Qarabulaq", "role": "head"}]  # fmt: skip
    son = {"household_ref": "M1", "person_ref": "M1-2", "surname": "Məmmədov", "given_name": "Rəşad",
           "patronymic": "Əli oğlu", "sex": "m", "birth_date": "1980", "role": "child",
           "father_ref": "M1-1"}  # fmt: skip
    # A certain match is linked only as the act of a user who may decide duplicates (issue 17);
    # an import without one (the command line) queues the pair instead.
    importer = Actor(user=make_user("registrar-import", Role.REGISTRAR))
    assert import_commit(actor=importer, batch=stage(first, source="list-1993")).people_created == 0
    later = stage([son], source="list-1993")
    assert (later.valid_rows, errors_of(later)) == (1, [])
    import_commit(actor=importer, batch=later)
    rashad = Person.objects.get(source="list-1993", source_ref="M1-2")
    assert rashad.household_id == ali.household_id
    assert Kinship.objects.filter(from_person=ali, to_person=rashad, kind="parent_of").exists()


def test_a_batch_staged_before_values_became_arrays_still_commits(gazetteer: Gazetteer) -> None:
    """Batches validated by the previous version keep their values by name; they commit alike."""
    batch = stage([*PARENTS, CHILD], source="list-1988")
    for row in ImportRow.objects.filter(batch=batch):
        by_name = dict(zip(STAGED_FIELDS[1:], row.values, strict=True))
        row.values = {name: value for name, value in by_name.items() if value not in ("", None)}
        row.save(update_fields=["values"])
    batch = import_commit(actor=system_actor(), batch=batch)
    assert (batch.people_created, batch.households_created) == (3, 1)
    son = Person.objects.get(source_ref="F1-3")
    assert (son.surname, son.given_name, str(son.birth_date)) == ("Məmmədov", "Həsən", "1960")
    assert Kinship.objects.filter(to_person=son).count() == 2


def test_a_file_larger_than_one_staging_insert_is_staged_whole(gazetteer: Gazetteer) -> None:
    """Staging writes progress between its bulk inserts; on PostgreSQL a progress update
    during the COPY used to hang the import for good."""
    count = CHUNK * 4 + 3
    batch = stage([{"household_ref": f"H{number}", "surname": "Quliyev"} for number in range(count)], source="big")
    assert (batch.total_rows, batch.processed_rows, batch.valid_rows) == (count, count, count)
    assert ImportRow.objects.filter(batch=batch).count() == count
