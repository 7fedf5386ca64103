"""Public pages: no login, three languages, aggregates only, never a name or a code."""

from __future__ import annotations

import pickle
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from yurd.registry.models import Household, Person
from yurd.reports.public import build_public_statistics
from yurd.reports.tests.data import all_names, make_household, populate
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "az", "ru"])
@pytest.mark.parametrize("url_name", ["reports:public", "reports:data_protection"])
def test_public_pages_open_without_login_and_hold_nothing_personal(
    client: Client, gazetteer: Gazetteer, language: str, url_name: str
) -> None:
    populate(gazetteer)
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'lang="{language}"' in content
    for name in all_names():
        assert name not in content
    codes = set(Household.objects.values_list("code", flat=True)) | set(Person.objects.values_list("code", flat=True))
    assert not any(code in content for code in codes)
    assert not re.search(r"\bHH-\d|\bP-\d", content)


def test_public_statistics_hide_small_cells(client: Client, gazetteer: Gazetteer) -> None:
    populate(gazetteer)
    response = client.get(reverse("reports:public"))
    first = response.context["tables"][0]
    assert first.table.cell("1948-1953", "all").suppressed
    assert "<abbr" in response.content.decode()


def test_public_statistics_are_cached_and_served_from_the_cache(
    client: Client, gazetteer: Gazetteer, settings: Settings
) -> None:
    """Found by the URL walk (test_url_scope.py): with the cache on, as deployed, the tables
    held lambdas that no cache can pickle, and the public page answered 500."""
    settings.YURD_PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    populate(gazetteer)

    assert client.get(reverse("reports:public")).status_code == 200
    cached = cache.get("reports:public:en")
    assert [table.rows() for table in cached] == [table.rows() for table in build_public_statistics()]
    assert client.get(reverse("reports:public")).status_code == 200
    cache.clear()


def test_public_statistics_are_served_from_the_cache_until_it_expires(client: Client, gazetteer: Gazetteer) -> None:
    populate(gazetteer)
    first = client.get(reverse("reports:public"))
    households = first.context["tables"][0].table.grand_total.value
    make_household(origin=gazetteer.settlement_a1)

    cached = client.get(reverse("reports:public"))

    assert cached.status_code == 200
    assert cached.context["tables"][0].table.grand_total.value == households
    assert cached.content.decode().count('class="public-table"') == len(first.context["tables"])
    cache.clear()
    assert client.get(reverse("reports:public")).context["tables"][0].table.grand_total.value == households + 1


def test_the_suite_caches_with_a_backend_that_pickles_its_values() -> None:
    # A backend that keeps values without pickling them (or drops them) would hide a value
    # that a real installation cannot cache.
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        cache.set("reports:test:unpicklable", lambda: None)
