"""Log-in: password for everyone, then a code for users with a confirmed device."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from yurd.accounts.models import User
from yurd.accounts.views import PENDING_LOGIN_KEY
from yurd.testing.personas import PERSONA_PASSWORD, make_totp_device, make_user, totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _password_step(client: Client, user: User, *, next_url: str = "") -> HttpResponseBase:
    data = {"username": user.username, "password": PERSONA_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_user_without_device_logs_in_with_password(client: Client, assessor: User) -> None:
    response = _password_step(client, assessor)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get("/").status_code == 200


def test_wrong_password_is_reported_next_to_the_password_field(client: Client, assessor: User) -> None:
    response = client.post(LOGIN, {"username": assessor.username, "password": "not-the-password"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["password"]
    assert not form.non_field_errors()
    assert 'id="id_password_error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_login_form_shows_required_errors_not_a_server_error(client: Client) -> None:
    response = client.post(LOGIN, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username", "password"}


def test_inactive_user_cannot_log_in(client: Client, assessor: User) -> None:
    assessor.is_active = False
    assessor.save(update_fields=["is_active"])
    response = _password_step(client, assessor)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_user_with_device_is_asked_for_a_code_before_being_logged_in(client: Client, reviewer: User) -> None:
    make_totp_device(reviewer)
    response = _password_step(client, reviewer)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("accounts:verify"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()


def test_right_code_logs_in_verified_and_goes_to_next(client: Client, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    _password_step(client, reviewer, next_url="/accounts/profile/")
    response = client.post(reverse("accounts:verify"), {"token": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_LOGIN_KEY not in client.session
    # Verified: the privileged reviewer reaches ordinary pages without being sent to enrol.
    assert client.get("/").status_code == 200


def test_code_with_spaces_is_accepted(client: Client, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    _password_step(client, reviewer)
    code = totp_code(device)
    response = client.post(reverse("accounts:verify"), {"token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_code_is_reported_next_to_the_code_field(client: Client, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    _password_step(client, reviewer)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:verify"), {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert "_auth_user_id" not in client.session


def test_malformed_code_is_refused_with_a_message(client: Client, reviewer: User) -> None:
    make_totp_device(reviewer)
    _password_step(client, reviewer)
    response = client.post(reverse("accounts:verify"), {"token": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]


def test_code_step_without_password_step_goes_back_to_login(client: Client) -> None:
    response = client.get(reverse("accounts:verify"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_code_step_expires_after_five_minutes(client: Client, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    _password_step(client, reviewer)
    session = client.session
    session[PENDING_LOGIN_KEY] = {**session[PENDING_LOGIN_KEY], "started": time.time() - 301}
    session.save()
    response = client.post(reverse("accounts:verify"), {"token": totp_code(device)})
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_next_pointing_elsewhere_is_ignored(client: Client, assessor: User) -> None:
    response = _password_step(client, assessor, next_url="https://evil.example/steal")
    assert response["Location"] == reverse("core:home")


def test_preferred_language_is_applied_at_login(client: Client) -> None:
    user = make_user("registrar-rustam", preferred_language="az")
    response = _password_step(client, user)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "az"
    assert "Xoş gəldiniz" in client.get("/").content.decode()


def test_without_preference_the_language_chosen_on_the_login_page_stays(client: Client, assessor: User) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = _password_step(client, assessor)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "Добро пожаловать" in client.get("/").content.decode()


def test_logged_in_user_visiting_login_goes_home(client: Client, assessor: User) -> None:
    client.force_login(assessor)
    assert client.get(LOGIN)["Location"] == reverse("core:home")


def test_logout_requires_post_and_ends_the_session(client: Client, assessor: User) -> None:
    client.force_login(assessor)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("accounts:login")
    assert client.get("/").status_code == 302
