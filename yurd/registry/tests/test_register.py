"""Registering a household: codes, members, kinship from roles, consent, history, scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.registry.models import Consent, Household, Kinship, KinshipKind, Person
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer


def test_registration_creates_household_members_and_codes(mammadov_family: Household) -> None:
    assert mammadov_family.code == "HH-000001"
    members = list(mammadov_family.members.order_by("code"))
    assert [person.code for person in members] == ["P-0000001", "P-0000002", "P-0000003", "P-0000004"]
    assert members[0].birth_date is not None and str(members[0].birth_date) == "12.03.1951"
    assert members[3].is_deceased  # a death date marks the person deceased


def test_registration_derives_kinship_from_roles(mammadov_family: Household) -> None:
    people = {person.given_name: person for person in mammadov_family.members.all()}
    edges = {
        (edge.from_person.given_name, edge.to_person.given_name, edge.kind)
        for edge in Kinship.objects.select_related("from_person", "to_person")
    }
    assert edges == {
        ("Əli", "Gülnarə", KinshipKind.SPOUSE_OF),
        ("Əli", "Rəşad", KinshipKind.PARENT_OF),
        ("Gülnarə", "Rəşad", KinshipKind.PARENT_OF),
        ("Həsən", "Əli", KinshipKind.PARENT_OF),
    }
    assert people["Əli"].search_text.split()[:2] == ["mamadov", "ali"]


def test_registration_records_consent_for_living_members_only(mammadov_family: Household) -> None:
    assert Consent.objects.filter(person__household=mammadov_family).count() == 3
    assert not Consent.objects.filter(person__is_deceased=True).exists()


def test_registration_writes_history_with_reason_and_user(gazetteer: Gazetteer, registrar: User) -> None:
    household = register(
        actor=Actor(user=registrar),
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Əliyev", "given_name": "Vasif", "household_role": "head"}],
    )
    record = household.history.get()
    assert record.history_user == registrar
    assert record.history_change_reason == "Registered"


def test_scoped_registrar_cannot_register_outside_her_district(gazetteer: Gazetteer, registrar: User) -> None:
    with pytest.raises(ValidationError):
        register(
            actor=Actor(user=registrar),
            origin=gazetteer.settlement_b1,
            members=[{"surname": "Əliyev", "given_name": "Vasif", "household_role": "head"}],
        )
    assert not Household.objects.exists()


def test_registration_refuses_a_member_without_a_name_and_keeps_nothing(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValidationError):
        register(origin=gazetteer.settlement_a1, members=[{"surname": "Əliyev"}, {"patronymic": "Həsən oğlu"}])
    assert not Person.objects.exists()
    assert not Household.objects.exists()


def test_registration_refuses_a_bad_partial_date(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValidationError):
        register(origin=gazetteer.settlement_a1, members=[{"surname": "Əliyev", "birth_date": "31.02.1951"}])


def test_assessor_may_not_register(gazetteer: Gazetteer, assessor: User) -> None:
    with pytest.raises(PermissionDenied):
        register(actor=Actor(user=assessor), origin=gazetteer.settlement_a1, members=[{"surname": "Əliyev"}])
