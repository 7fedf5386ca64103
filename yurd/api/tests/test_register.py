"""Registering a household through the API calls the registry's service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.registry.models import Household
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def payload(origin: str) -> dict:
    return {
        "origin_place": origin,
        "wave": "1987-1991",
        "displacement_date": "11.1988",
        "members": [
            {"surname": "Quliyev", "given_name": "Rauf", "household_role": "head", "sex": "m", "birth_date": "1951"},
            {"surname": "Quliyeva", "given_name": "Nigar", "household_role": "spouse", "sex": "f"},
        ],
    }


def test_registrar_registers_a_household_in_her_district(gazetteer: Gazetteer, registrar: User) -> None:
    response = token_client(registrar).post(reverse("api:household-list"), payload("TST-S11"), format="json")
    assert response.status_code == 201, response.content
    household = Household.objects.get(code=response.json()["code"])
    assert household.members.count() == 2
    assert str(household.displacement_date) == "11.1988"


def test_registration_outside_scope_is_refused(gazetteer: Gazetteer, registrar: User) -> None:
    response = token_client(registrar).post(reverse("api:household-list"), payload("TST-S21"), format="json")
    assert response.status_code == 400
    assert not Household.objects.exists()


def test_analyst_may_not_register(gazetteer: Gazetteer, analyst: User) -> None:
    response = token_client(analyst).post(reverse("api:household-list"), payload("TST-S11"), format="json")
    assert response.status_code == 403


def test_member_without_a_name_is_refused(gazetteer: Gazetteer, registrar: User) -> None:
    data = payload("TST-S11")
    data["members"] = [{"household_role": "head"}]
    response = token_client(registrar).post(reverse("api:household-list"), data, format="json")
    assert response.status_code == 400


def test_a_place_code_with_a_nul_character_is_refused(gazetteer: Gazetteer, registrar: User) -> None:
    # PostgreSQL cannot compare text with NUL: this was a 500 there (schemathesis found it).
    for field in ("origin_place", "current_place", "wave"):
        data = {**payload("TST-S11"), field: "TST-S11\x00"}
        response = token_client(registrar).post(reverse("api:household-list"), data, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not Household.objects.exists()
