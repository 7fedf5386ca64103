"""Five failed log-ins lock the username out (django-axes); an administrator unlocks it."""

from __future__ import annotations

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts import services
from yurd.accounts.models import User
from yurd.testing.personas import PERSONA_PASSWORD, login_verified, make_totp_device, totp_code
from yurd.testing.responses import body

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _fail(client: Client, username: str, times: int, headers: dict[str, str] | None = None) -> list[HttpResponseBase]:
    return [
        client.post(LOGIN, {"username": username, "password": "wrong-password"}, headers=headers) for _ in range(times)
    ]


def test_four_failures_still_show_the_form(client: Client, assessor: User) -> None:
    responses = _fail(client, assessor.username, 4)
    assert [response.status_code for response in responses] == [200] * 4


def test_fifth_failure_shows_the_locked_out_page(client: Client, assessor: User) -> None:
    fifth = _fail(client, assessor.username, 5)[-1]
    assert fifth.status_code == 429
    assert "Account locked" in body(fifth).decode()
    assert "30 minutes" in body(fifth).decode()


def test_locked_out_user_cannot_log_in_even_with_the_right_password(client: Client, assessor: User) -> None:
    _fail(client, assessor.username, 5)
    response = client.post(LOGIN, {"username": assessor.username, "password": PERSONA_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Account locked"), ("az", "Hesab bloklanıb"), ("ru", "Учётная запись заблокирована")],
)
def test_locked_out_page_speaks_three_languages(client: Client, assessor: User, language: str, expected: str) -> None:
    fifth = _fail(client, assessor.username, 5, headers={"Accept-Language": language})[-1]
    assert expected in body(fifth).decode()


def test_wrong_codes_count_as_failures_and_lock_out(client: Client, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    client.post(LOGIN, {"username": reviewer.username, "password": PERSONA_PASSWORD})
    wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
    responses = [client.post(reverse("accounts:verify"), {"token": wrong}) for _ in range(5)]
    assert [response.status_code for response in responses] == [200, 200, 200, 200, 429]
    # Once locked, even the right code is refused.
    device.throttling_failure_count = 0
    device.save(update_fields=["throttling_failure_count"])
    assert client.post(reverse("accounts:verify"), {"token": totp_code(device)}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_unlock_service_lets_the_user_log_in_again(client: Client, assessor: User) -> None:
    _fail(client, assessor.username, 5)
    assert services.user_unlock(username=assessor.username) >= 1
    response = client.post(LOGIN, {"username": assessor.username, "password": PERSONA_PASSWORD})
    assert response.status_code == 302


def test_unlock_command_unlocks(client: Client, assessor: User) -> None:
    _fail(client, assessor.username, 5)
    out = StringIO()
    call_command("unlock", assessor.username, stdout=out)
    assert "unlocked" in out.getvalue()
    assert not AccessAttempt.objects.filter(username=assessor.username).exists()
    assert client.post(LOGIN, {"username": assessor.username, "password": PERSONA_PASSWORD}).status_code == 302


def test_unlock_command_can_reset_a_lost_device(reviewer: User) -> None:
    make_totp_device(reviewer)
    call_command("unlock", reviewer.username, "--reset-two-factor", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=reviewer).exists()


def test_unlock_command_refuses_an_unknown_username(db: None) -> None:
    with pytest.raises(CommandError, match="No user named"):
        call_command("unlock", "nobody-here", stdout=StringIO())


def test_administrator_unlocks_in_the_admin(client: Client, administrator: User, assessor: User) -> None:
    _fail(Client(), assessor.username, 5)
    login_verified(client, administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock", "_selected_action": [assessor.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=assessor.username).exists()
