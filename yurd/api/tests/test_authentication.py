"""Token authentication: the token, its user and the user's permissions in one query,
with the same outcomes as DRF's class and Django's ModelBackend."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.api.tests.test_read import token_client
from yurd.core.testing.personas import Gazetteer, make_user
from yurd.registry.selectors import person_queryset
from yurd.reports.tests.data import populate

pytestmark = pytest.mark.django_db


def test_a_list_reads_the_permissions_once_with_the_token(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    client = token_client(registrar)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("api:person-list")).json()
    assert body["count"] == person_queryset(user=registrar).count() > 0
    assert {item["surname"] is None for item in body["results"]} == {False}  # she may see names
    statements = [query["sql"] for query in queries.captured_queries]
    # One query reads the token, the user and every permission the request checks.
    assert [sql for sql in statements if "auth_permission" in sql or "authtoken_token" in sql] == [
        sql for sql in statements if "auth_permission" in sql and "authtoken_token" in sql
    ]
    assert sum("authtoken_token" in sql for sql in statements) == 1, "\n".join(statements)


def test_unknown_token_and_inactive_user_are_refused(registrar: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get(reverse("api:household-list"))
    # 403 rather than 401 because session authentication comes first, as with DRF's class.
    assert (response.status_code, response.json()["detail"]) == (403, "Invalid token.")
    client = token_client(registrar)
    registrar.is_active = False
    registrar.save(update_fields=["is_active"])
    response = client.get(reverse("api:household-list"))
    assert (response.status_code, response.json()["detail"]) == (403, "User inactive or deleted.")


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
    from yurd.api.authentication import TokenAuthentication

    token = Token.objects.create(user=registrar)
    user, read = TokenAuthentication().authenticate_credentials(token.key)
    assert (user.pk, user.username, user.date_joined, user.last_login) == (
        registrar.pk,
        registrar.username,
        registrar.date_joined,
        registrar.last_login,
    )
    assert (read.key, read.user_id, read.created) == (token.key, registrar.pk, token.created)
    assert read.user is user
