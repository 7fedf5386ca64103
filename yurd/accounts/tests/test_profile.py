"""The profile page: roles, scopes, language preference, password change."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.testing.personas import PERSONA_PASSWORD, login_verified

pytestmark = pytest.mark.django_db
PROFILE = "/accounts/profile/"


def test_profile_requires_login(client: Client) -> None:
    assert client.get(PROFILE)["Location"].startswith("/accounts/login/")


def test_profile_shows_roles_and_scopes(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    content = client.get(PROFILE).content.decode()
    assert "registrar" in content
    assert "Alpha District" in content
    assert "by place of origin" in content


def test_profile_of_a_full_scope_user_says_all_places(client: Client, reviewer: User) -> None:
    login_verified(client, reviewer)
    content = client.get(PROFILE).content.decode()
    assert "all places" in content
    assert "Two-factor authentication is on." in content


def test_role_labels_are_translated(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "регистратор" in client.get(PROFILE).content.decode()


def test_language_preference_is_saved_and_applied(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    response = client.post(reverse("accounts:language"), {"preferred_language": "ru"})
    assert response["Location"] == PROFILE
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    registrar.refresh_from_db()
    assert registrar.preferred_language == "ru"
    assert '<html lang="ru">' in client.get(PROFILE).content.decode()


def test_unknown_language_is_refused_with_a_message(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    response = client.post(reverse("accounts:language"), {"preferred_language": "xx"})
    assert response.status_code == 400
    assert response.context["language_form"].errors["preferred_language"]


def test_short_password_is_refused_by_the_validators(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PERSONA_PASSWORD, "new_password1": "short-pw1", "new_password2": "short-pw1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in str(response.context["form"].errors["new_password2"])


def test_wrong_old_password_is_refused(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response.context["form"].errors["old_password"]


def test_password_change_keeps_the_session_and_the_two_factor_verification(client: Client, reviewer: User) -> None:
    login_verified(client, reviewer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PERSONA_PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response["Location"] == PROFILE
    reviewer.refresh_from_db()
    assert reviewer.check_password("a-much-longer-secret-42")
    assert client.get("/").status_code == 200
