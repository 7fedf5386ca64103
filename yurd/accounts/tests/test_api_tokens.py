"""API tokens: created on the profile page by a user who passed the second factor,
listed and revoked there, ended by expiry and by a password change; and no credential
(token, OpenRosa Basic or Digest, half-logged-in session) that skips the second factor."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings
from rest_framework.test import APIClient

from yurd.accounts.models import ApiToken, User
from yurd.accounts.roles import Role
from yurd.accounts.services import api_token_create
from yurd.fieldwork.digest import ALGORITHMS, ha1
from yurd.fieldwork.models import DeviceCredential
from yurd.fieldwork.tests.test_digest import _authorization, _challenges
from yurd.testing.personas import (
    PERSONA_PASSWORD,
    api_token_key,
    login_verified,
    make_totp_device,
    make_user,
)

pytestmark = pytest.mark.django_db

CREATE = "/accounts/profile/tokens/"


def _households(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api:household-list")).status_code


def _create_on_profile(client: Client, name: str = "nightly report") -> str:
    response = client.post(CREATE, {"name": name})
    assert response.status_code == 200
    found = re.search(r'data-testid="new-api-token-key">([^<]+)<', response.content.decode())
    assert found, response.content.decode()
    return found.group(1)


def test_the_token_endpoint_gives_nobody_a_token_for_a_password(administrator: User, registrar: User) -> None:
    make_totp_device(administrator)
    for user in (administrator, registrar):
        response = APIClient().post("/api/auth/token/", {"username": user.username, "password": PERSONA_PASSWORD})
        assert response.status_code == 404
    assert not ApiToken.objects.exists()


def test_a_verified_administrator_creates_a_token_that_reads_the_api(client: Client, administrator: User) -> None:
    login_verified(client, administrator)
    key = _create_on_profile(client)
    assert _households(key) == 200
    token = ApiToken.objects.get(user=administrator)
    assert token.two_factor
    # Only a digest is kept, and the key is shown on the creation answer alone.
    assert key not in {token.key_digest, token.prefix, token.password_stamp}
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "nightly report" in profile
    assert token.prefix in profile
    assert key not in profile


@pytest.mark.parametrize("persona", ["administrator", "reviewer"])
def test_a_session_without_the_code_cannot_create_a_token(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    make_totp_device(user)
    client.force_login(user)  # the password step only
    response = client.post(CREATE, {"name": "script"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert not ApiToken.objects.filter(user=user).exists()
    assert "Enter your code" in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize("persona", ["administrator", "reviewer"])
def test_a_session_without_the_code_reads_nothing_from_the_api(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    make_totp_device(user)
    client.force_login(user)
    response = client.get(reverse("api:household-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_a_token_created_without_the_code_stops_working_when_the_role_requires_it(registrar: User) -> None:
    key = api_token_key(registrar, two_factor=False)  # she has no second factor: allowed
    assert _households(key) == 200
    registrar.groups.add(Group.objects.get(name=Role.REVIEWER))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(reverse("api:household-list"))
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_the_service_refuses_a_token_without_the_code_for_a_two_factor_role(reviewer: User) -> None:
    with pytest.raises(ValidationError):
        api_token_create(user=reviewer, name="script", two_factor=False)


def test_an_expired_token_is_refused(registrar: User) -> None:
    key = api_token_key(registrar)
    assert _households(key) == 200
    ApiToken.objects.filter(user=registrar).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _households(key) == 403


def test_tokens_last_the_configured_number_of_days(registrar: User, settings: Settings) -> None:
    settings.YURD_API_TOKEN_DAYS = 7
    api_token_key(registrar)
    token = ApiToken.objects.get(user=registrar)
    assert token.expires_at - token.created_at == pytest.approx(dt.timedelta(days=7), abs=dt.timedelta(seconds=5))


def test_a_revoked_token_is_refused(client: Client, administrator: User) -> None:
    login_verified(client, administrator)
    key = _create_on_profile(client)
    token = ApiToken.objects.get(user=administrator)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert _households(key) == 403
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_nobody_revokes_another_users_token(client: Client, registrar: User, assessor: User) -> None:
    api_token_key(assessor)
    token = ApiToken.objects.get(user=assessor)
    client.force_login(registrar)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_password_change_ends_the_users_tokens(client: Client, registrar: User, assessor: User) -> None:
    key = api_token_key(registrar)
    other = api_token_key(assessor)
    client.force_login(registrar)
    new_password = "a-new-long-passphrase-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PERSONA_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert _households(key) == 403
    assert _households(other) == 200


def test_a_password_set_by_an_administrator_ends_the_tokens_too(registrar: User) -> None:
    key = api_token_key(registrar)
    registrar.set_password("set-by-the-administrator-1")
    registrar.save()
    assert _households(key) == 403


# --- OpenRosa: the account password is no device credential -------------------------


def _basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.parametrize("persona", ["administrator", "reviewer", "registrar"])
def test_openrosa_basic_with_the_account_password_is_refused(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    make_totp_device(user)
    response = client.get(reverse("fieldwork:form_list"), secure=True, headers=_basic(user.username, PERSONA_PASSWORD))
    assert response.status_code == 401


def _device_credential(user: User, password: str) -> None:
    """A device password as if set before the user's role required two factors."""
    DeviceCredential.objects.create(
        user=user,
        realm="Yurd",
        ha1_md5=ha1(ALGORITHMS[0], user.username, "Yurd", password),
        ha1_sha256=ha1(ALGORITHMS[1], user.username, "Yurd", password),
    )


@pytest.mark.parametrize("persona", ["administrator", "reviewer"])
def test_a_two_factor_role_cannot_use_a_device_password(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    make_totp_device(user)
    _device_credential(user, "tablet-password-2025")
    url = reverse("fieldwork:form_list")
    assert client.get(url, secure=True, headers=_basic(user.username, "tablet-password-2025")).status_code == 401
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["SHA-256"]
    header = _authorization(challenge, username=user.username, password="tablet-password-2025", method="GET", uri=url)
    assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 401


def test_a_field_device_keeps_working_with_its_own_password(client: Client, registrar: User) -> None:
    _device_credential(registrar, "tablet-password-2025")
    url = reverse("fieldwork:form_list")
    assert client.get(url, secure=True, headers=_basic(registrar.username, "tablet-password-2025")).status_code == 200


def test_an_outsider_without_a_role_has_no_tokens_listed(client: Client) -> None:
    user = make_user("outsider-olga")
    client.force_login(user)
    assert 'data-testid="api-tokens-none"' in client.get(reverse("accounts:profile")).content.decode()


def test_the_openapi_schema_has_no_token_endpoint_and_says_where_tokens_come_from(registrar: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(registrar)}")
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert not [path for path in schema["paths"] if "token" in path]
    assert "profile page" in schema["components"]["securitySchemes"]["tokenAuth"]["description"]
