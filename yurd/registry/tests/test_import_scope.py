"""A scoped registrar's import stays within her scope (issue 15): rows that would register a
household elsewhere are rejected with a reason naming row and field, and import-time matching
never links a row to (or counts) a person she may not see."""

from __future__ import annotations

import csv
import io

from yurd.accounts.models import ScopeBasis, User
from yurd.accounts.roles import Role
from yurd.core.actors import Actor
from yurd.linkage.importing import SOURCE_SPELLING
from yurd.linkage.models import MatchCandidate
from yurd.registry.imports import COLUMNS, import_commit, import_create, import_validate, rejected_rows_csv
from yurd.registry.models import Household, ImportBatch, Person, PersonName
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer, make_scoped_user


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _validated(user: User, rows: list[dict[str, str]]) -> ImportBatch:
    data = _csv(rows)
    batch = import_create(actor=Actor(user=user), data=data, file_name="list.csv", source="list-1993")
    return import_validate(batch=batch, data=data)


def test_rows_of_a_household_outside_the_scope_are_rejected_naming_row_and_field(
    registrar: User, gazetteer: Gazetteer
) -> None:
    rows = [
        {"household_ref": "A", "person_ref": "A-1", "surname": "Əliyev", "given_name": "Tofiq",
         "origin_place": "Qarabulaq", "role": "head"},
        {"household_ref": "A", "person_ref": "A-2", "surname": "Əliyeva", "given_name": "Sona", "role": "spouse"},
        {"household_ref": "B", "person_ref": "B-1", "surname": "Kərimov", "given_name": "Elçin",
         "origin_place": "Dəmirçi", "role": "head"},
        {"household_ref": "B", "person_ref": "B-2", "surname": "Kərimova", "given_name": "Lalə", "role": "spouse"},
        {"household_ref": "C", "person_ref": "C-1", "surname": "Yerdən", "given_name": "Heç", "role": "head"},
    ]  # fmt: skip
    batch = _validated(registrar, rows)
    # Before issue 15 all five rows were valid and households B and C were created outside her scope.
    assert (batch.valid_rows, batch.rejected_rows) == (2, 3)
    rejected = list(csv.DictReader(io.StringIO(rejected_rows_csv(batch))))
    assert [(row["row"], row["person_ref"], row["column"], row["reason"]) for row in rejected] == [
        (number, ref, "origin_place", "outside your scope: you may not register a household in this place")
        for number, ref in (("4", "B-1"), ("5", "B-2"), ("6", "C-1"))
    ]
    batch = import_commit(actor=Actor(user=registrar), batch=batch)
    assert batch.households_created == 1
    assert not Household.objects.filter(origin_place=gazetteer.settlement_b1).exists()


def test_import_matching_never_links_a_row_to_a_person_outside_the_scope(gazetteer: Gazetteer) -> None:
    # Əli lives in district B now; a registrar scoped to residents of district A may not see him.
    household = register(
        origin=gazetteer.settlement_a1,
        current=gazetteer.settlement_b1,
        members=[
            {"surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "sex": "m",
             "birth_date": "12.03.1951", "household_role": "head"},
        ],
    )  # fmt: skip
    ali = household.members.get()
    registrar = make_scoped_user("registrar-resid", Role.REGISTRAR, gazetteer.district_a, basis=ScopeBasis.RESIDENCE)
    row = {
        "household_ref": "M1", "person_ref": "M1-1", "full_name": "Мамедов Али Гасан оглы", "sex": "m",
        "birth_date": "12.03.1951", "origin_place": "Qarabulaq", "current_place": "Ağbulaq", "role": "head",
    }  # fmt: skip
    batch = _validated(registrar, [row])
    assert batch.rejected_rows == 0
    batch = import_commit(actor=Actor(user=registrar), batch=batch)
    # Before issue 15 the row was linked to Əli as the system ("people created 0 of 1").
    assert batch.people_created == 1
    assert not PersonName.objects.filter(person=ali, kind=SOURCE_SPELLING).exists()
    assert not MatchCandidate.objects.filter(left=ali).exists()
    assert not MatchCandidate.objects.filter(right=ali).exists()
    assert Person.objects.get(source="list-1993", source_ref="M1-1").household_id != ali.household_id
