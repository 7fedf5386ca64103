"""Adding and editing places and names from the screens, with reasons and permissions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yurd.places.models import Place, PlaceName
from yurd.places.tests.conftest import login_verified
from yurd.testing.personas import Gazetteer


def test_administrator_creates_a_place(client: Client, gazetteer: Gazetteer, administrator) -> None:
    login_verified(client, administrator)
    response = client.post(
        reverse("places:place_create"),
        {
            "code": "TST-S22",
            "kind": "settlement",
            "parent": "TST-D2",
            "name": "Qızılca",
            "coordinate_precision": "unknown",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(code="TST-S22")
    assert place.path.startswith(gazetteer.district_b.path)


def test_form_reports_an_unknown_parent_next_to_the_field(client: Client, gazetteer: Gazetteer, administrator) -> None:
    login_verified(client, administrator)
    response = client.post(
        reverse("places:place_create"),
        {"code": "X1", "kind": "settlement", "parent": "NOPE", "name": "X", "coordinate_precision": "unknown"},
    )
    assert response.status_code == 200
    assert "No place has the code NOPE." in response.content.decode()


def test_registrar_adds_a_name_in_her_district(client: Client, gazetteer: Gazetteer, registrar) -> None:
    client.force_login(registrar)
    url = reverse("places:place_name_add", args=[gazetteer.settlement_a1.code])
    response = client.post(
        url, {"text": "Гарабулаг", "language": "ru", "kind": "official", "year_from": "1930", "year_to": "1991"}
    )
    assert response.status_code == 302
    assert PlaceName.objects.get(text="Гарабулаг").history.first().history_user == registrar


def test_registrar_may_not_edit_places_outside_her_scope(client: Client, gazetteer: Gazetteer, registrar) -> None:
    client.force_login(registrar)
    url = reverse("places:place_name_add", args=[gazetteer.settlement_b1.code])
    assert client.post(url, {"text": "Демирчи", "language": "ru", "kind": "official"}).status_code == 403


def test_edit_requires_a_reason_and_records_it(client: Client, gazetteer: Gazetteer, registrar) -> None:
    client.force_login(registrar)
    url = reverse("places:place_edit", args=[gazetteer.settlement_a1.code])
    data = {
        "parent": "TST-D1",
        "name": "Qarabulaq",
        "latitude": "39.88",
        "longitude": "44.43",
        "coordinate_precision": "approximate",
    }
    assert client.post(url, data).status_code == 200  # no reason: form shown again
    assert client.post(url, {**data, "reason": "surveyed"}).status_code == 302
    village = Place.objects.get(pk=gazetteer.settlement_a1.pk)
    assert str(village.latitude) == "39.880000"
    assert village.history.first().history_change_reason == "surveyed"


def test_name_edit_screen_changes_years(client: Client, gazetteer: Gazetteer, registrar) -> None:
    name = PlaceName.objects.create(place=gazetteer.settlement_a1, text="Qarabulaq", language="az-Latn")
    client.force_login(registrar)
    url = reverse("places:place_name_edit", args=[gazetteer.settlement_a1.code, name.pk])
    data = {
        "text": "Qarabulaq",
        "language": "az-Latn",
        "kind": "historical",
        "year_to": "1991",
        "reason": "renamed in 1991",
    }
    assert client.post(url, data).status_code == 302
    name.refresh_from_db()
    assert (name.kind, name.year_to) == ("historical", 1991)


@pytest.mark.parametrize("persona", ["analyst", "outsider", "assessor"])
def test_roles_without_edit_rights_are_refused(
    client: Client, gazetteer: Gazetteer, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    code = gazetteer.settlement_a1.code
    assert client.get(reverse("places:place_create")).status_code == 403
    assert client.get(reverse("places:place_edit", args=[code])).status_code == 403
    assert (
        client.post(reverse("places:place_name_add", args=[code]), {"text": "X", "language": "ru"}).status_code == 403
    )
    assert client.get(reverse("places:place_import")).status_code == 403
    assert not PlaceName.objects.exists()
