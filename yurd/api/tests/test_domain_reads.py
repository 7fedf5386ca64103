"""Read endpoints for testimonies, kinship, place names and valuation tables: each with the
permission and selector of its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.claims.tests.conftest import TABLE_V1, import_table
from yurd.core.actors import Actor
from yurd.places.models import PlaceName
from yurd.registry.models import Household, Kinship
from yurd.reports.tests.data import all_names
from yurd.returns.tests.conftest import register_household
from yurd.testimonies import models as testimony_models
from yurd.testimonies import services as testimony_services
from yurd.testimonies.tests.conftest import make_testimony
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_withdrawn_testimony_is_invisible(gazetteer: Gazetteer, archivist: User) -> None:
    kept = make_testimony(gazetteer, title="Kept (synthetic)")
    withdrawn = make_testimony(gazetteer, title="Withdrawn (synthetic)")
    testimony_services.testimony_withdraw_consent(
        actor=Actor(user=archivist), testimony=withdrawn, reason="Narrator asked by phone."
    )
    client = token_client(archivist)
    listed = client.get(reverse("api:testimony-list")).json()
    assert [item["code"] for item in listed["results"]] == [kept.code]
    assert client.get(reverse("api:testimony-detail", args=[withdrawn.code])).status_code == 404
    assert client.get(reverse("api:testimony-detail", args=[kept.code])).status_code == 200


def test_restricted_testimony_needs_the_restricted_permission(
    gazetteer: Gazetteer, heritage_researcher: User, archivist: User
) -> None:
    restricted = make_testimony(gazetteer, title="Restricted (synthetic)", access_level="restricted")
    researcher = token_client(heritage_researcher)
    assert researcher.get(reverse("api:testimony-list")).json()["count"] == 0
    assert researcher.get(reverse("api:testimony-detail", args=[restricted.code])).status_code == 404
    assert token_client(archivist).get(reverse("api:testimony-detail", args=[restricted.code])).status_code == 200


def test_analyst_reads_no_testimony(gazetteer: Gazetteer, analyst: User) -> None:
    make_testimony(gazetteer)
    assert token_client(analyst).get(reverse("api:testimony-list")).status_code == 403


@pytest.fixture
def family(gazetteer: Gazetteer) -> Household:
    return register_household(gazetteer.settlement_a1, ("Quliyev", "Vüqar"), ("Quliyeva", "Aynur"))


def test_kinship_of_a_person_as_codes(family: Household, registrar: User) -> None:
    head, child = sorted(family.members.all(), key=lambda person: person.household_role != "head")
    Kinship.objects.get_or_create(from_person=head, to_person=child, kind="parent_of")
    response = token_client(registrar).get(reverse("api:kinship-list"), {"person": child.code})
    assert response.status_code == 200
    edges = response.json()["results"]
    assert {"from_person": head.code, "kind": "parent_of", "to_person": child.code} in [
        {key: edge[key] for key in ("from_person", "kind", "to_person")} for edge in edges
    ]
    assert head.surname not in response.content.decode()


def test_kinship_outside_scope_is_not_found(gazetteer: Gazetteer, registrar: User) -> None:
    far = register_household(gazetteer.settlement_b1, ("Həsənov", "Rəşad"), ("Həsənova", "Səbinə"))
    person = far.members.first()
    assert person is not None
    assert token_client(registrar).get(reverse("api:kinship-list"), {"person": person.code}).status_code == 404


def test_kinship_requires_a_person_and_a_role(family: Household, registrar: User, analyst: User) -> None:
    response = token_client(registrar).get(reverse("api:kinship-list"))
    assert response.status_code == 400
    assert "person" in response.json()
    person = family.members.first()
    assert person is not None
    assert token_client(analyst).get(reverse("api:kinship-list"), {"person": person.code}).status_code == 403


def test_place_names_in_every_script(gazetteer: Gazetteer, analyst: User) -> None:
    PlaceName.objects.create(place=gazetteer.settlement_a1, text="Карабулак", language="ru-cyrl", year_from=1930)
    PlaceName.objects.create(place=gazetteer.settlement_a1, text="Qarabulaq", language="az-latn")
    client = token_client(analyst)
    body = client.get(reverse("api:place-name-list"), {"place": "TST-S11"}).json()
    assert {item["text"] for item in body["results"]} == {"Карабулак", "Qarabulaq"}
    assert client.get(reverse("api:place-name-list"), {"place": "NOWHERE"}).status_code == 404


def test_valuation_tables_for_claims_staff_only(gazetteer: Gazetteer, assessor: User, analyst: User) -> None:
    table = import_table(TABLE_V1)
    client = token_client(assessor)
    listed = client.get(reverse("api:valuation-table-list")).json()
    assert [item["version"] for item in listed["results"]] == [table.version]
    detail = client.get(reverse("api:valuation-table-detail", args=[table.version])).json()
    assert {rate["category"] for rate in detail["rates"]} >= {"dwelling", "land"}
    assert len(detail["indices"]) == 2
    assert client.get(reverse("api:valuation-table-detail", args=[999])).status_code == 404
    assert token_client(analyst).get(reverse("api:valuation-table-list")).status_code == 403


def test_analyst_receives_no_name_from_the_new_endpoints(
    gazetteer: Gazetteer, family: Household, analyst: User
) -> None:
    make_testimony(gazetteer)
    client = token_client(analyst)
    names = all_names()
    person = family.members.first()
    assert person is not None
    for url in [
        reverse("api:observation-list"),
        reverse("api:evidence-list"),
        reverse("api:return-planning"),
        reverse("api:place-name-list") + "?place=TST-S11",
        reverse("api:kinship-list") + f"?person={person.code}",
        reverse("api:return-intention-list") + f"?household={family.code}",
        reverse("api:testimony-list"),
    ]:
        content = client.get(url).content.decode()
        assert not any(name in content for name in names), url


def test_testimony_recorded_outside_the_scope_is_invisible(gazetteer: Gazetteer, registrar: User) -> None:
    inside = make_testimony(gazetteer, title="Inside (synthetic)")
    outside = make_testimony(gazetteer, title="Outside (synthetic)")
    testimony_models.Testimony.objects.filter(pk=outside.pk).update(place=gazetteer.settlement_b1)
    client = token_client(registrar)
    listed = client.get(reverse("api:testimony-list")).json()
    assert [item["code"] for item in listed["results"]] == [inside.code]
    assert client.get(reverse("api:testimony-detail", args=[outside.code])).status_code == 404


def test_outsider_reads_no_place_names(gazetteer: Gazetteer, outsider: User) -> None:
    response = token_client(outsider).get(reverse("api:place-name-list"), {"place": "TST-S11"})
    assert response.status_code == 403
