"""Public pages: no login, three languages, aggregates only, never a name or a code."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from yurd.core.testing.personas import Gazetteer
from yurd.registry.models import Household, Person
from yurd.reports.tests.data import all_names, populate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cache(settings: object) -> None:
    settings.YURD_PUBLIC_CACHE_SECONDS = 0  # type: ignore[attr-defined]


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
