"""The persona helpers other apps' tests rely on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.testing.personas import login_verified, make_totp_device, make_user

pytestmark = pytest.mark.django_db


def test_make_user_recreates_missing_role_groups() -> None:
    Group.objects.all().delete()
    user = make_user("registrar-new", Role.REGISTRAR)
    assert user.has_role(Role.REGISTRAR)
    assert user.has_perm("accounts.view_personal_names")


def test_make_user_refuses_an_unknown_role() -> None:
    with pytest.raises(ValueError, match="Unknown role"):
        make_user("someone", "superhero")


def test_make_user_refuses_a_duplicate_username_clearly() -> None:
    make_user("twin")
    with pytest.raises(ValueError, match="already exists"):
        make_user("twin")


def test_make_user_accepts_model_fields() -> None:
    user = make_user("staff-member", Role.ADMINISTRATOR, is_staff=True, preferred_language="ru")
    assert user.is_staff
    assert user.preferred_language == "ru"


def test_login_verified_passes_the_two_factor_requirement(client: Client, auditor: User) -> None:
    device = login_verified(client, auditor)
    assert device.confirmed
    assert client.get("/").status_code == 200
    # Reuses the device on a second log-in rather than adding one.
    login_verified(Client(), auditor)
    assert TOTPDevice.objects.filter(user=auditor).count() == 1
    assert make_totp_device(auditor) == device
