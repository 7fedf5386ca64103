"""Naming people in claim forms (issue 15): a code outside the user's scope is answered like
a code that does not exist, so a form is no oracle of who is registered elsewhere; and a
form given no scope offers no one (it fails closed)."""

from __future__ import annotations

from django.forms import BaseForm
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.forms import ClaimantsPickerForm, ClaimCreateForm, LossItemForm
from yurd.claims.tests.conftest import World, login, new_claim
from yurd.core.forms import choice_field


def _errors(form: BaseForm) -> dict[str, list[str]]:
    return {field: [str(error) for error in errors] for field, errors in form.errors.items()}


def test_a_claimant_outside_the_scope_reads_like_an_unknown_code(world: World, registrar: User) -> None:
    client = login(Client(), registrar)
    url = reverse("claims:claim_create")

    def refused(code: str) -> list[str]:
        data = {"household": world.household_a.code, "remedy": "compensation", "language": "az"}
        response = client.post(url, {**data, "claimants": [code]})
        assert response.status_code == 200
        return [message.replace(code, "CODE") for message in _errors(response.context["picker"])["claimants"]]

    # Before issue 15 Rəşad of district B passed the form (and was refused later, differently).
    assert refused(world.head_b.code) == refused("P-9999999") != []


def test_an_original_owner_outside_the_scope_reads_like_an_unknown_code(world: World, registrar: User) -> None:
    claim = new_claim(world)
    client = login(Client(), registrar)
    url = reverse("claims:loss_item_create", args=[claim.case_number])

    def refused(code: str) -> list[str]:
        response = client.post(url, {"version": claim.version, "original_owner": code})
        assert response.status_code == 200
        return _errors(response.context["form"]).get("original_owner", [])

    assert refused(world.head_b.code) == refused("P-9999999") == ["No person with this code."]
    assert refused(world.head_a.code) == []


def test_claim_forms_given_no_scope_offer_no_one(world: World) -> None:
    """Before, a form built without a scope fell back to every household and person."""
    create = ClaimCreateForm(
        {"household": world.household_a.code, "heir_line": "", "remedy": "compensation", "language": "az"}
    )
    assert not create.is_valid()
    assert create.errors["household"] == ["No household with this code within your scope."]

    item = LossItemForm({"original_owner": world.head_a.code})
    item.is_valid()
    assert item.errors["original_owner"] == ["No person with this code."]

    picker = ClaimantsPickerForm({"claimants": [world.head_a.code]})
    assert not picker.is_valid() and "claimants" in picker.errors
    assert choice_field(picker, "claimants").choices == []
