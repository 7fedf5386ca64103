"""Two-factor enrolment, and turning off or replacing a device with its current code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import User
from yurd.testing.personas import login_verified, make_totp_device, make_user, totp_code

pytestmark = pytest.mark.django_db
SETUP = "/accounts/two-factor/"


@pytest.mark.parametrize("persona", ["administrator", "reviewer", "auditor"])
def test_privileged_role_without_device_is_sent_to_enrol(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "next=%2F" in response["Location"]


def test_privileged_role_with_device_but_unverified_session_is_asked_for_the_code(
    client: Client, reviewer: User
) -> None:
    make_totp_device(reviewer)
    client.force_login(reviewer)
    response = client.get("/")
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_unverified_session_verifies_with_the_code(client: Client, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    client.force_login(reviewer)
    response = client.post(f"{reverse('accounts:verify')}?next=/", {"token": totp_code(device)})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_role_without_two_factor_requirement_is_not_redirected(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    assert client.get("/").status_code == 200


def test_enrolment_page_shows_a_qr_code_and_the_key(client: Client, reviewer: User) -> None:
    client.force_login(reviewer)
    response = client.get(SETUP)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content
    assert 'data-testid="totp-key"' in content
    # Revisiting reuses the same pending device rather than piling up new ones.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=False).count() == 1


def test_enrolment_with_the_right_code_turns_two_factor_on_and_verifies_the_session(
    client: Client, reviewer: User
) -> None:
    client.force_login(reviewer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    response = client.post(SETUP, {"token": totp_code(device), "next": "/"})
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").status_code == 200


def test_enrolment_with_a_wrong_code_shows_an_error_next_to_the_field(client: Client, reviewer: User) -> None:
    client.force_login(reviewer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()


def test_user_with_a_device_cannot_silently_add_another(client: Client, assessor: User) -> None:
    login_verified(client, assessor)
    response = client.get(SETUP)
    assert response["Location"] == reverse("accounts:profile")
    assert TOTPDevice.objects.filter(user=assessor).count() == 1


def test_turning_off_requires_the_current_code(client: Client, assessor: User) -> None:
    device = login_verified(client, assessor)
    url = reverse("accounts:two_factor_remove", args=[device.pk])
    refused = client.post(url, {"token": "000000", "action": "remove"})
    assert refused.status_code == 400
    assert refused.context["remove_form"].errors["token"]
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    device.throttling_failure_count = 0
    device.save(update_fields=["throttling_failure_count"])
    response = client.post(url, {"token": totp_code(device), "action": "remove"})
    assert response["Location"] == reverse("accounts:profile")
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_replacing_a_device_removes_it_and_opens_enrolment(client: Client, reviewer: User) -> None:
    device = login_verified(client, reviewer)
    response = client.post(
        reverse("accounts:two_factor_remove", args=[device.pk]), {"token": totp_code(device), "action": "replace"}
    )
    assert response["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    # Until the new device is confirmed, the reviewer is held at enrolment.
    assert client.get("/")["Location"].startswith(SETUP)


def test_forged_request_for_another_users_device_is_not_found(client: Client, assessor: User) -> None:
    other = make_user("someone-else")
    other_device = make_totp_device(other)
    login_verified(client, assessor)
    response = client.post(
        reverse("accounts:two_factor_remove", args=[other_device.pk]),
        {"token": totp_code(other_device), "action": "remove"},
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=other_device.pk).exists()


def test_removing_a_device_needs_a_post(client: Client, assessor: User) -> None:
    device = login_verified(client, assessor)
    assert client.get(reverse("accounts:two_factor_remove", args=[device.pk])).status_code == 405
