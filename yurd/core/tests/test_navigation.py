"""The main menu: grouped, one current item, every list page reachable, public pages from the log-in page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.context_processors import GROUPS, _all_items
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db


def current_items(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page"', html)


def menu_groups(html: str) -> list[str]:
    menu = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, flags=re.DOTALL)
    assert menu
    return re.findall(r'<span class="nav-group-label">([^<]+)</span>', menu.group(1))


def test_every_navigation_item_names_a_known_group_and_groups_keep_their_order() -> None:
    order = list(GROUPS)
    positions = [order.index(item.group) for item in _all_items()]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/reports/statistics/", "/reports/statistics/"),
        ("/reports/", "/reports/"),
        ("/registry/people/", "/registry/people/"),
        ("/registry/", "/registry/"),
        ("/heritage/map/", "/heritage/map/"),
        ("/heritage/", "/heritage/"),
        ("/claims/progress/", "/claims/progress/"),
    ],
)
def test_exactly_one_item_is_current(client: Client, administrator: User, path: str, current: str) -> None:
    login_verified(client, administrator)

    response = client.get(path)

    assert response.status_code == 200
    assert current_items(response.content.decode()) == [current]


def test_the_administrators_menu_has_the_six_groups(client: Client, administrator: User) -> None:
    login_verified(client, administrator)

    groups = menu_groups(client.get("/").content.decode())

    # Evidence has one item: a plain link, without a group name.
    assert groups == ["Registry", "Claims", "Heritage and memory", "Reports", "Administration"]


def test_the_menu_links_lists_that_were_reachable_only_by_address(client: Client, administrator: User) -> None:
    login_verified(client, administrator)

    html = client.get("/").content.decode()

    for name in ["claims:cohort_list", "claims:valuation_list", "claims:property_duplicates", "registry:register"]:
        assert f'href="{reverse(name)}"' in html, name


def test_the_household_page_links_its_return_intentions(client: Client, registrar: User, gazetteer: Gazetteer) -> None:
    head = {"surname": "Quliyev", "given_name": "Vüqar", "household_role": "head"}
    household = register(origin=gazetteer.settlement_a1, members=[head])
    client.force_login(registrar)

    html = client.get(reverse("registry:household_detail", args=[household.code])).content.decode()

    assert f'href="{reverse("returns:household_intentions", args=[household.code])}"' in html


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_the_login_page_links_every_public_page(client: Client, language: str) -> None:
    client.cookies["django_language"] = language

    html = client.get(reverse("accounts:login")).content.decode()

    for name in ["claims:status_lookup", "heritage:public_catalogue", "reports:public", "reports:data_protection"]:
        assert f'href="{reverse(name)}"' in html, name
