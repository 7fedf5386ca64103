"""The admin site: an administrator cannot make themself superuser or give themself more,
and no admin page shows a second factor's secret or an API token's key."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from yurd.accounts.models import ApiToken, User
from yurd.accounts.roles import Role
from yurd.testing.personas import api_token_key, login_verified, make_totp_device, make_user

pytestmark = pytest.mark.django_db


def _change_form(user: User, **overrides: Any) -> dict[str, Any]:
    """What the admin's change form posts for `user`, with `overrides`."""
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "groups": [group.pk for group in user.groups.all()],
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "scopes-TOTAL_FORMS": "0",
        "scopes-INITIAL_FORMS": "0",
        "scopes-MIN_NUM_FORMS": "0",
        "scopes-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_an_administrator_cannot_make_themself_superuser(client: Client, administrator: User) -> None:
    login_verified(client, administrator)
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:accounts_user_change", args=[administrator.pk]),
        _change_form(
            administrator,
            is_superuser="on",
            user_permissions=every_permission,
            groups=list(Group.objects.values_list("pk", flat=True)),
            full_scope="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    administrator = User.objects.get(pk=administrator.pk)
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()
    assert set(administrator.groups.values_list("name", flat=True)) == {Role.ADMINISTRATOR}


def test_an_administrator_gives_another_user_roles_but_not_superuser(client: Client, administrator: User) -> None:
    other = make_user("clerk-cemile")
    login_verified(client, administrator)
    registrar_group = Group.objects.get(name=Role.REGISTRAR)
    response = client.post(
        reverse("admin:accounts_user_change", args=[other.pk]),
        _change_form(
            other,
            groups=[registrar_group.pk],
            is_superuser="on",
            user_permissions=list(Permission.objects.values_list("pk", flat=True)[:5]),
        ),
    )
    assert response.status_code == 302
    other = User.objects.get(pk=other.pk)
    assert set(other.groups.values_list("name", flat=True)) == {Role.REGISTRAR}
    assert not other.is_superuser
    assert not other.user_permissions.exists()


def test_an_administrator_cannot_set_a_superusers_password(client: Client, administrator: User) -> None:
    superuser = User.objects.create_superuser("root-rauf", password="a-long-superuser-passphrase")
    login_verified(client, administrator)
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    response = client.post(
        password_url,
        {"password1": "taken-over-passphrase", "password2": "taken-over-passphrase", "usable_password": "true"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("a-long-superuser-passphrase")


def test_the_admin_shows_no_totp_key_and_no_qr_code(client: Client, administrator: User, reviewer: User) -> None:
    device = make_totp_device(reviewer)
    login_verified(client, administrator)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    for name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        assert client.get(reverse(name, args=[device.pk])).status_code == 403


def test_static_codes_and_api_tokens_have_no_admin_page(client: Client, administrator: User) -> None:
    key = api_token_key(administrator)
    assert not admin.site.is_registered(StaticDevice)
    assert not admin.site.is_registered(ApiToken)
    login_verified(client, administrator)
    index = client.get(reverse("admin:index")).content.decode()
    assert key not in index
    assert "otp_static" not in index
