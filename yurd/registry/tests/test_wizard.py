"""The registration wizard: five steps kept in the session, one registration at the end."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yurd.accounts.models import User
from yurd.registry.models import Consent, Household, Kinship
from yurd.registry.tests.conftest import login
from yurd.testing.personas import Gazetteer


def member_data(members: list[dict[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "members-TOTAL_FORMS": "4",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30",
    }
    for index in range(4):
        member = members[index] if index < len(members) else {}
        data[f"members-{index}-household_role"] = member.get("household_role", "other")
        for field in ("surname", "given_name", "patronymic", "sex", "birth_date", "death_date",
                      "other_surname", "other_given_name"):  # fmt: skip
            data[f"members-{index}-{field}"] = member.get(field, "")
    return data


def test_wizard_registers_household_with_members_kinship_and_consent(
    client: Any, registrar: User, gazetteer: Gazetteer
) -> None:
    login(client, registrar)
    step = lambda name: reverse("registry:register_step", args=[name])  # noqa: E731
    assert client.post(step("household"), {"source": "field form 12", "notes": ""}).url == step("members")
    members = member_data(
        [
            {"surname": "Cəfərov", "given_name": "Tofiq", "household_role": "head", "sex": "m", "birth_date": "1950",
             "other_surname": "Джафаров", "other_given_name": "Тофик"},
            {"surname": "Cəfərova", "given_name": "Leyla", "household_role": "spouse", "sex": "f"},
            {"surname": "Cəfərov", "given_name": "Orxan", "household_role": "child", "birth_date": "03.1985"},
        ]
    )  # fmt: skip
    assert client.post(step("members"), members).url == step("origin")
    origin = {"origin_place": gazetteer.settlement_a1.pk, "wave": "", "displacement_date": "12.1988"}
    assert client.post(step("origin"), origin).url == step("residence")
    assert client.post(step("residence"), {"current_place": gazetteer.settlement_b1.pk}).url == step("consent")
    response = client.post(
        step("consent"), {"consent_given": "on", "purpose": "registration", "given_on": "2025-01-10"}
    )
    household = Household.objects.get()
    assert response.url == reverse("registry:household_detail", args=[household.code])
    assert household.members.count() == 3
    assert Kinship.objects.count() == 3
    assert Consent.objects.count() == 3
    assert household.members.get(given_name="Tofiq").other_names.get().surname == "Джафаров"
    assert "registry_wizard" not in client.session


def test_wizard_shows_errors_and_refuses_to_skip_steps(client: Any, registrar: User, gazetteer: Gazetteer) -> None:
    login(client, registrar)
    response = client.get(reverse("registry:register_step", args=["origin"]))
    assert response.url == reverse("registry:register_step", args=["household"])
    client.post(reverse("registry:register_step", args=["household"]), {})
    bad = member_data([{"surname": "Cəfərov", "household_role": "head", "birth_date": "31.02.1950"}])
    response = client.post(reverse("registry:register_step", args=["members"]), bad)
    assert response.status_code == 200
    assert "Not a date" in response.text
    empty = member_data([])
    assert "Enter at least one member." in client.post(reverse("registry:register_step", args=["members"]), empty).text


def test_scoped_registrar_cannot_register_outside_her_district_through_the_wizard(
    client: Any, registrar: User, gazetteer: Gazetteer
) -> None:
    login(client, registrar)
    client.post(reverse("registry:register_step", args=["household"]), {})
    client.post(
        reverse("registry:register_step", args=["members"]),
        member_data([{"surname": "Cəfərov", "household_role": "head"}]),
    )
    client.post(reverse("registry:register_step", args=["origin"]), {"origin_place": gazetteer.settlement_b1.pk})
    client.post(reverse("registry:register_step", args=["residence"]), {"current_place": gazetteer.settlement_b1.pk})
    client.post(reverse("registry:register_step", args=["consent"]), {"purpose": "x", "given_on": "2025-01-10"})
    assert not Household.objects.exists()


def test_members_step_starts_with_one_row_whose_member_heads_the_household(client: Any, registrar: User) -> None:
    login(client, registrar)
    step = lambda name: reverse("registry:register_step", args=[name])  # noqa: E731
    client.post(step("household"), {"source": "", "notes": ""})

    formset = client.get(step("members")).context["form"]

    assert len(formset.forms) == 1
    assert formset.forms[0].initial["household_role"] == "head"


def test_add_member_without_scripts_keeps_the_rows_and_adds_one(client: Any, registrar: User) -> None:
    login(client, registrar)
    step = lambda name: reverse("registry:register_step", args=[name])  # noqa: E731
    client.post(step("household"), {"source": "", "notes": ""})
    data = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30",
        "members-0-surname": "Cəfərov",
        "members-0-given_name": "Tofiq",
        "members-0-household_role": "head",
        "add_member": "1",
    }

    response = client.post(step("members"), data)

    formset = response.context["form"]
    assert response.status_code == 200
    assert [form.initial.get("given_name") for form in formset.forms] == ["Tofiq", None]
    assert [form.initial["household_role"] for form in formset.forms] == ["head", "spouse"]
    assert "registry_wizard" not in client.session or "members" not in client.session["registry_wizard"]
    assert b'class="error"' not in response.content
