"""Token authentication: the token, its user, roles and permissions in one query, with
the same outcomes as Django's ModelBackend."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from yurd.accounts.models import ApiToken, User
from yurd.accounts.roles import Role
from yurd.api.authentication import TokenAuthentication
from yurd.api.tests.test_read import token_client
from yurd.registry.selectors import person_queryset
from yurd.reports.tests.data import populate
from yurd.testing.personas import Gazetteer, api_token_key, make_user

pytestmark = pytest.mark.django_db


def test_a_list_reads_the_permissions_once_with_the_token(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    client = token_client(registrar)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("api:person-list")).json()
    assert body["count"] == person_queryset(user=registrar).count() > 0
    assert {item["surname"] is None for item in body["results"]} == {False}  # she may see names
    statements = [query["sql"] for query in queries.captured_queries]
    # One query reads the token, the user, the roles and every permission the request checks.
    reads = [sql for sql in statements if "auth_permission" in sql or "accounts_apitoken" in sql or "auth_group" in sql]
    assert len(reads) == 1, "\n".join(statements)
    assert "accounts_apitoken" in reads[0]
    assert "auth_permission" in reads[0]


def test_unknown_token_and_inactive_user_are_refused(registrar: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 43)
    response = client.get(reverse("api:household-list"))
    # 403 rather than 401 because session authentication comes first, as with DRF's class.
    assert (response.status_code, response.json()["detail"]) == (403, "Invalid token.")
    client = token_client(registrar)
    registrar.is_active = False
    registrar.save(update_fields=["is_active"])
    response = client.get(reverse("api:household-list"))
    assert (response.status_code, response.json()["detail"]) == (403, "Invalid token.")


def test_a_removed_role_takes_effect_on_the_next_request(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    client = token_client(registrar)
    assert client.get(reverse("api:household-list")).status_code == 200
    registrar.groups.remove(Group.objects.get(name=Role.REGISTRAR))
    assert client.get(reverse("api:household-list")).status_code == 403


def test_a_directly_granted_permission_counts(gazetteer: Gazetteer) -> None:
    populate(gazetteer)
    user = make_user("direct-dilara")
    client = token_client(user)
    assert client.get(reverse("api:household-list")).status_code == 403
    user.user_permissions.add(Permission.objects.get(content_type__app_label="registry", codename="view_household"))
    response = client.get(reverse("api:household-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 40


def test_the_token_and_user_are_read_whole(registrar: User) -> None:
    key = api_token_key(registrar)
    user, read = TokenAuthentication().authenticate_credentials(key)
    assert (user.pk, user.username, user.date_joined, user.last_login) == (
        registrar.pk,
        registrar.username,
        registrar.date_joined,
        registrar.last_login,
    )
    stored = ApiToken.objects.get(user=registrar)
    assert (read.pk, read.user_id, read.created_at, read.expires_at) == (
        stored.pk,
        registrar.pk,
        stored.created_at,
        stored.expires_at,
    )
    assert read.user is user
    assert user.role_names == {Role.REGISTRAR}
    assert user.get_all_permissions() == User.objects.get(pk=registrar.pk).get_all_permissions()
