"""Personal pages and API answers to a logged-in user are never stored by a cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from yurd.accounts.models import User
from yurd.reports.tests.data import populate
from yurd.testing.personas import api_token_key

pytestmark = pytest.mark.django_db


def _no_store(response: Any) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_household_and_person_pages_are_not_stored(client: Client, registrar: User, gazetteer: Any) -> None:
    household = next(h for h in populate(gazetteer) if h.origin_place == gazetteer.settlement_a1)
    person = household.members.first()
    assert person is not None
    client.force_login(registrar)
    for url in (
        reverse("registry:household_detail", args=[household.code]),
        reverse("registry:person_detail", args=[person.code]),
        reverse("accounts:profile"),
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


def test_api_answers_to_a_token_are_not_stored(registrar: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(registrar)}")
    response = client.get(reverse("api:household-list"))
    assert response.status_code == 200
    assert _no_store(response)
