"""Import-time matching: each import batch is matched before anything is committed."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.actors import Actor, system_actor
from yurd.linkage.importing import CERTAIN_THRESHOLD, SOURCE_SPELLING
from yurd.linkage.models import MatchCandidate, MatchStatus, Merge
from yurd.linkage.services import merge_undo
from yurd.registry.imports import COLUMNS, import_commit, import_create, import_validate, register_pre_commit_hook
from yurd.registry.imports.services import unregister_pre_commit_hook
from yurd.registry.models import Household, ImportBatch, Kinship, Person, PersonName
from yurd.registry.tests.conftest import register
from yurd.testing.personas import make_user

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _import(rows: list[dict[str, str]], *, source: str = "list-1993", by: User | None = None) -> ImportBatch:
    """Import as `by` (the command line's system actor when None)."""
    actor = Actor(user=by) if by is not None else system_actor()
    data = _csv(rows)
    batch = import_create(actor=actor, data=data, file_name="list.csv", source=source)
    batch = import_validate(batch=batch, data=data)
    assert batch.rejected_rows == 0
    return import_commit(actor=actor, batch=batch)


@pytest.fixture
def registrar(db: None) -> User:
    return make_user("registrar-import", Role.REGISTRAR)


@pytest.fixture
def ali(gazetteer) -> Person:
    """Əli Məmmədov, son of Həsən, born 12.03.1951 in Qarabulaq, already in the registry."""
    household = register(
        origin=gazetteer.settlement_a1,
        members=[
            {"surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "sex": "m",
             "birth_date": "12.03.1951", "household_role": "head"},
            {"surname": "Məmmədova", "given_name": "Leyla", "sex": "f", "birth_date": "1955",
             "household_role": "spouse"},
        ],
    )  # fmt: skip
    return household.members.get(household_role="head")


ALI_IN_RUSSIAN = {
    "household_ref": "M1", "person_ref": "M1-1", "full_name": "Мамедов Али Гасан оглы", "sex": "m",
    "birth_date": "12.03.1951", "origin_place": "Qarabulaq", "role": "head",
}  # fmt: skip
ALI_SON = {
    "household_ref": "M1", "person_ref": "M1-2", "surname": "Məmmədov", "given_name": "Rəşad",
    "patronymic": "Əli oğlu", "sex": "m", "birth_date": "1980", "role": "child", "father_ref": "M1-1",
}  # fmt: skip


def test_a_certain_match_is_merged_as_the_importing_users_act(ali: Person, registrar: User) -> None:
    people_before = Person.objects.count()
    batch = _import([ALI_IN_RUSSIAN, ALI_SON], by=registrar)
    assert batch.people_created == 1
    assert Person.objects.count() == people_before + 1
    spelling = PersonName.objects.get(person=ali, kind=SOURCE_SPELLING)
    assert (spelling.surname, spelling.given_name) == ("Мамедов", "Али")
    assert spelling.source == "list-1993 #M1-1"
    son = Person.objects.get(source="list-1993", source_ref="M1-2")
    assert son.household_id == ali.household_id  # the son joins his father's household
    assert Kinship.objects.filter(from_person=ali, to_person=son, kind="parent_of").exists()
    # Not silently, and not as "system": a merge by the registrar, with the decided pair saying why.
    merge = Merge.objects.get()
    assert (merge.survivor_id, merge.merged_by) == (ali.pk, registrar)
    candidate = merge.candidate
    assert candidate is not None
    assert (candidate.status, candidate.origin, candidate.decided_by) == (MatchStatus.SAME, "import", registrar)
    assert candidate.probability >= CERTAIN_THRESHOLD
    # The row's own record, written and merged away: both steps in the registrar's name.
    steps = Person.history.filter(code=merge.absorbed_code)
    assert {step.history_type for step in steps} == {"+", "-"}
    assert {step.history_user for step in steps} == {registrar}


def test_an_automatic_link_is_undone_like_any_merge(ali: Person, registrar: User) -> None:
    _import([ALI_IN_RUSSIAN, ALI_SON], by=registrar)
    merge = Merge.objects.get()
    restored = merge_undo(actor=Actor(user=registrar), merge=merge)
    assert (restored.source, restored.source_ref) == ("list-1993", "M1-1")
    assert (restored.surname, restored.given_name) == ("Мамедов", "Али")
    son = Person.objects.get(source="list-1993", source_ref="M1-2")
    # The row's kinship and spelling go back to its own record; Əli is as he was.
    assert Kinship.objects.filter(from_person=restored, to_person=son, kind="parent_of").exists()
    assert not Kinship.objects.filter(from_person=ali, to_person=son).exists()
    assert PersonName.objects.get(kind=SOURCE_SPELLING).person_id == restored.pk
    # And the pair waits in the adjudication queue for a person's decision.
    candidate = MatchCandidate.objects.get()
    assert candidate.status == MatchStatus.PENDING
    assert {candidate.left_id, candidate.right_id} == {ali.pk, restored.pk}
    # A re-import of the same file recognises the rows and changes nothing.
    batch = _import([ALI_IN_RUSSIAN, ALI_SON], by=registrar)
    assert batch.people_created == 0


def test_a_certain_match_without_a_user_to_answer_for_it_goes_to_the_queue(ali: Person) -> None:
    """The command line imports as the system: nobody answers for a merge, so none is made."""
    batch = _import([ALI_IN_RUSSIAN, ALI_SON])
    assert batch.people_created == 2
    row = Person.objects.get(source="list-1993", source_ref="M1-1")
    candidate = MatchCandidate.objects.get()
    assert {candidate.left_id, candidate.right_id} == {ali.pk, row.pk}
    assert candidate.status == MatchStatus.PENDING and candidate.origin == "import"
    assert candidate.probability >= CERTAIN_THRESHOLD
    assert not Merge.objects.exists()
    assert not PersonName.objects.filter(person=ali, kind=SOURCE_SPELLING).exists()


def test_a_user_who_may_not_decide_duplicates_queues_even_a_certain_match(ali: Person) -> None:
    clerk = make_user("clerk-import", Role.REVIEWER)
    batch = _import([ALI_IN_RUSSIAN], by=clerk)
    assert batch.people_created == 1
    assert MatchCandidate.objects.get().status == MatchStatus.PENDING
    assert not Merge.objects.exists()


def test_reimporting_the_same_file_changes_nothing(ali: Person, registrar: User) -> None:
    _import([ALI_IN_RUSSIAN, ALI_SON], by=registrar)
    counts = (Person.objects.count(), Household.objects.count(), Kinship.objects.count(), PersonName.objects.count())
    batch = _import([ALI_IN_RUSSIAN, ALI_SON], by=registrar)
    assert batch.people_created == 0 and batch.households_created == 0
    after = (Person.objects.count(), Household.objects.count(), Kinship.objects.count(), PersonName.objects.count())
    assert after == counts
    assert MatchCandidate.objects.count() == 1 and Merge.objects.count() == 1


def test_an_uncertain_match_creates_the_person_and_a_pending_pair(ali: Person) -> None:
    # Year of birth only, no patronymic, sex or village: likely him, but not certain.
    row = {"household_ref": "U1", "person_ref": "U1-1", "surname": "Mamedov", "given_name": "Ali",
           "birth_date": "1951"}  # fmt: skip
    batch = _import([row])
    assert batch.people_created == 1
    new = Person.objects.get(source="list-1993", source_ref="U1-1")
    candidate = MatchCandidate.objects.get()
    assert {candidate.left_id, candidate.right_id} == {ali.pk, new.pk}
    assert candidate.status == MatchStatus.PENDING and candidate.origin == "import"
    assert candidate.probability < CERTAIN_THRESHOLD
    assert not PersonName.objects.filter(kind=SOURCE_SPELLING).exists()


def test_a_brother_of_the_same_name_and_village_is_not_linked(ali: Person) -> None:
    brother = {"household_ref": "B1", "person_ref": "B1-1", "surname": "Məmmədov", "given_name": "Əli",
               "patronymic": "Hüseyn oğlu", "sex": "m", "birth_date": "05.09.1974",
               "origin_place": "Qarabulaq"}  # fmt: skip
    batch = _import([brother])
    assert batch.people_created == 1
    new = Person.objects.get(source="list-1993", source_ref="B1-1")
    assert new.pk != ali.pk
    assert not PersonName.objects.filter(person=ali, kind=SOURCE_SPELLING).exists()
    assert not MatchCandidate.objects.filter(probability__gte=CERTAIN_THRESHOLD).exists()


def test_a_failure_in_matching_aborts_the_commit_and_leaves_the_registry_unchanged(ali: Person) -> None:
    def broken(batch: ImportBatch, rows: list[dict[str, Any]]) -> None:
        raise RuntimeError("matching failed")

    before = (Person.objects.count(), Household.objects.count(), PersonName.objects.count())
    data = _csv([ALI_IN_RUSSIAN, ALI_SON])
    batch = import_validate(
        batch=import_create(actor=system_actor(), data=data, file_name="list.csv", source="list-1993"), data=data
    )
    register_pre_commit_hook(broken)
    try:
        with pytest.raises(RuntimeError):
            import_commit(actor=system_actor(), batch=batch)
    finally:
        unregister_pre_commit_hook(broken)
    assert (Person.objects.count(), Household.objects.count(), PersonName.objects.count()) == before
    assert not MatchCandidate.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "validated" and "matching failed" in batch.error
