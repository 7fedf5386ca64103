"""The dashboard map's extra layers: heritage sites by condition and return intentions per
settlement, links to the records only for roles that may open them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.actors import Actor, system_actor
from yurd.heritage.services import observation_record
from yurd.heritage.tests.conftest import make_site
from yurd.registry.models import Household
from yurd.reports.maps import map_layers
from yurd.reports.tests.data import all_names, make_household
from yurd.returns.services import return_intention_record
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def located(gazetteer: Gazetteer) -> Gazetteer:
    for place, (latitude, longitude) in (
        (gazetteer.settlement_a1, (40.1, 45.2)),
        (gazetteer.settlement_a2, (40.2, 45.3)),
        (gazetteer.settlement_b1, (40.3, 45.6)),
    ):
        place.latitude, place.longitude = latitude, longitude
        place.save(update_fields=["latitude", "longitude"])
    return gazetteer


def intend(household: Household, intention: str = "yes") -> None:
    return_intention_record(
        actor=system_actor(),
        household=household,
        survey_date=dt.date(2025, 1, 1),
        intention=intention,
        preferred_place=household.origin_place,
    )


@pytest.fixture
def returns(located: Gazetteer) -> None:
    """Six households would return to A1, two to A2, three to B1."""
    for _ in range(6):
        intend(make_household(origin=located.settlement_a1))
    for _ in range(2):
        intend(make_household(origin=located.settlement_a2), "conditional")
    for _ in range(3):
        intend(make_household(origin=located.settlement_b1))


def test_heritage_sites_carry_their_condition_and_a_link(located: Gazetteer, heritage_researcher: User) -> None:
    damaged = make_site(heritage_researcher, located, name="Bridge (synthetic)")
    make_site(heritage_researcher, located, name="Spring (synthetic)")
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=damaged,
        physical_state="moderately_damaged",
        certainty="high",
        method="field_visit",
        observed_on="2021",
    )
    layers = map_layers(user=heritage_researcher)["layers"]
    assert "intentions" not in layers
    heritage = layers["heritage"]
    states = {row[0]: row[4] for row in heritage["sites"]}
    assert states[damaged.code] == "moderately_damaged"
    assert set(states.values()) == {"moderately_damaged", "unknown"}
    assert {entry["state"] for entry in heritage["legend"]} >= {"moderately_damaged", "unknown"}
    assert heritage["url"].replace("CODE", damaged.code) == reverse("heritage:site_detail", args=[damaged.code])


def test_registrar_sees_intentions_in_her_scope_with_breakdown_and_link(returns: None, registrar: User) -> None:
    intentions = map_layers(user=registrar)["layers"]["intentions"]
    by_code = {point["code"]: point for point in intentions["settlements"]}
    assert set(by_code) == {"TST-S11", "TST-S12"}
    assert by_code["TST-S11"]["households"] == 6
    assert by_code["TST-S12"]["counts"] == [["would return under conditions", 2]]
    assert intentions["url"].replace("CODE", "TST-S11") == reverse("returns:settlement_plan", args=["TST-S11"])
    assert intentions["suppressed"] is False


def test_analyst_gets_suppressed_totals_without_links_or_breakdown(returns: None, analyst: User) -> None:
    intentions = map_layers(user=analyst)["layers"]["intentions"]
    assert intentions["url"] is None
    assert intentions["suppressed"] is True
    points = intentions["settlements"]
    # Two and three households are under the threshold; six is shown.
    assert [(point["code"], point["households"]) for point in points] == [("TST-S11", 6)]
    assert all("counts" not in point and "people" not in point for point in points)


def test_layers_endpoint_for_dashboard_roles_only(returns: None, client: Client, analyst: User, outsider: User) -> None:
    url = reverse("reports:map_layers")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(analyst)
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert not any(name in content for name in all_names())
    assert not any(code in content for code in Household.objects.values_list("code", flat=True))


def test_dashboard_page_names_the_layers_url(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    content = client.get(reverse("reports:dashboard")).content.decode()
    assert f'data-layers-url="{reverse("reports:map_layers")}"' in content
    assert "js/reports-map-layers" in content
