"""Reading the registry through the API: same roles, scopes and access log as the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import Settings
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from yurd.accounts.models import User
from yurd.api.serializers import HouseholdSerializer, PersonSerializer
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.registry.models import Household, Person
from yurd.reports.tests.data import all_names, make_household, populate
from yurd.testing.personas import Gazetteer, api_token_key

pytestmark = pytest.mark.django_db


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def test_anonymous_requests_are_refused() -> None:
    assert APIClient().get(reverse("api:household-list")).status_code in (401, 403)


def test_registrar_lists_only_households_in_her_scope(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    response = token_client(registrar).get(reverse("api:household-list"), {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 32
    assert {item["origin_place"] for item in body["results"]} == {"TST-S11", "TST-S12"}
    entry = AccessLogEntry.objects.get(action=AccessAction.LIST, username=registrar.username)
    assert entry.channel == Channel.API
    assert entry.target_type == "registry.household"


def test_filters_by_wave_and_origin_codes(gazetteer: Gazetteer, administrator: User) -> None:
    populate(gazetteer)
    client = token_client(administrator)
    assert client.get(reverse("api:household-list"), {"wave": "1948-1953"}).json()["count"] == 2
    assert client.get(reverse("api:household-list"), {"origin": "TST-D2"}).json()["count"] == 8
    assert client.get(reverse("api:household-list"), {"origin": "NO-SUCH"}).json()["count"] == 0


def test_household_outside_scope_is_not_found(gazetteer: Gazetteer, registrar: User) -> None:
    households = populate(gazetteer)
    outside = next(household for household in households if household.origin_place == gazetteer.settlement_b1)
    response = token_client(registrar).get(reverse("api:household-detail", args=[outside.code]))
    assert response.status_code == 404


def test_viewing_a_person_is_logged_with_its_code(gazetteer: Gazetteer, registrar: User) -> None:
    households = populate(gazetteer)
    person = households[0].members.first()
    assert person is not None
    response = token_client(registrar).get(reverse("api:person-detail", args=[person.code]))
    assert response.status_code == 200
    assert response.json()["surname"] == person.surname
    assert AccessLogEntry.objects.filter(
        action=AccessAction.VIEW, target_type="registry.person", target_code=person.code, channel=Channel.API
    ).exists()


def test_analyst_receives_no_name_from_any_endpoint(gazetteer: Gazetteer, analyst: User) -> None:
    households = populate(gazetteer)
    person = households[0].members.first()
    assert person is not None
    client = token_client(analyst)
    names = all_names()
    for url in [
        reverse("api:household-list"),
        reverse("api:person-list"),
        reverse("api:person-detail", args=[person.code]),
        reverse("api:household-detail", args=[households[0].code]),
        reverse("api:place-list"),
        reverse("api:schema"),
    ]:
        response = client.get(url)
        content = response.content.decode()
        assert not any(name in content for name in names), url
    assert client.get(reverse("api:person-list")).status_code == 403


def test_names_are_masked_for_users_without_the_names_permission(gazetteer: Gazetteer, assessor: User) -> None:
    populate(gazetteer)
    # An assessor stripped of the names permission (but still allowed to list people).
    names_permission = Permission.objects.get(codename="view_personal_names")
    for group in assessor.groups.all():
        group.permissions.remove(names_permission)
    assessor = User.objects.get(pk=assessor.pk)
    response = token_client(assessor).get(reverse("api:person-list"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert results
    assert all(item["surname"] is None and item["given_name"] is None for item in results)


def test_places_are_listed_and_filtered(gazetteer: Gazetteer, analyst: User) -> None:
    client = token_client(analyst)
    body = client.get(reverse("api:place-list"), {"kind": "settlement"}).json()
    assert {item["code"] for item in body["results"]} == {"TST-S11", "TST-S12", "TST-S21"}
    detail = client.get(reverse("api:place-detail", args=["TST-S11"])).json()
    assert detail["parent"] == "TST-D1"


def test_docs_page_lists_the_endpoints(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert "/api/households/" in response.content.decode()


def _serialized(serializer: type, instances: object, user: User) -> list[dict[str, object]]:
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    return [dict(item) for item in serializer(instances, many=True, context={"request": request}).data]


@pytest.mark.parametrize("persona", ["registrar", "assessor"])
def test_list_pages_are_exactly_what_the_serializers_make(
    gazetteer: Gazetteer, persona: str, request: pytest.FixtureRequest
) -> None:
    """Lists are built from plain values for speed; they must match the serializers (and
    so the schema) field for field, names included only for those who may see them."""
    user = request.getfixturevalue(persona)
    user.full_scope = True
    user.save()
    households = populate(gazetteer)
    person = households[0].members.order_by("pk")[0]
    person.death_date = "1992-03~"
    person.is_deceased = True
    person.save()
    client = token_client(user)
    if user.has_perm("registry.view_household"):
        body = client.get(reverse("api:household-list"), {"page_size": 15, "page": 2}).json()
        expected = Household.objects.order_by("code")[15:30]
        assert body["count"] == 40
        assert body["results"] == _serialized(HouseholdSerializer, expected, user)
    body = client.get(reverse("api:person-list"), {"page_size": 200}).json()
    assert body["results"] == _serialized(PersonSerializer, Person.objects.order_by("code"), user)
    assert {item["surname"] is None for item in body["results"]} == {not user.sees_names}


def test_list_queries_do_not_grow_with_the_page(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    client = token_client(registrar)
    counts = []
    for size in (2, 30):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(reverse("api:person-list"), {"page_size": size}).json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 10, "\n".join(query["sql"][:300] for query in queries.captured_queries)
    assert sum("accesslogentry" in query["sql"] for query in queries.captured_queries) == 1


def test_large_list_counts_are_kept_but_follow_new_records(
    gazetteer: Gazetteer, administrator: User, settings: Settings
) -> None:
    cache.clear()
    settings.YURD_API_CACHED_COUNT_FROM = 10
    populate(gazetteer)
    client = token_client(administrator)
    assert client.get(reverse("api:household-list")).json()["count"] == 40
    make_household(origin=gazetteer.settlement_a1)
    assert client.get(reverse("api:household-list")).json()["count"] == 41
    assert client.get(reverse("api:household-list"), {"wave": "1948-1953"}).json()["count"] == 2


@pytest.mark.parametrize("name", ["api:household-list", "api:person-list", "api:claim-list"])
def test_lists_without_filters_and_with_bad_ones(gazetteer: Gazetteer, administrator: User, name: str) -> None:
    """A list asked for without filters skips validating them (issue 8 benchmark): it is
    still logged, with no filters; a filter is still validated and logged as given."""
    populate(gazetteer)
    client = token_client(administrator)
    assert client.get(reverse(name), {"page": 1}).status_code == 200
    entry = AccessLogEntry.objects.filter(action=AccessAction.LIST).latest("id")
    assert (entry.channel, entry.username, entry.detail) == (Channel.API, administrator.username, {"filters": {}})
    if name == "api:claim-list":
        bad, good, logged = {"q": "x" * 65}, {"status": "submitted"}, {"status": "submitted"}
    else:
        bad, good, logged = {"deceased": "perhaps"}, {"wave": "1948-1953"}, {"wave": "1948-1953"}
    assert client.get(reverse(name), bad).status_code == 400
    assert client.get(reverse(name), good).status_code == 200
    assert AccessLogEntry.objects.filter(action=AccessAction.LIST).latest("id").detail == {"filters": logged}
