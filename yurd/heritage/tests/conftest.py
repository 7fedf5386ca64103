from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.heritage import geometry
from yurd.heritage.defaults import ensure_site_types
from yurd.heritage.models import Site, SiteType
from yurd.heritage.services import site_create
from yurd.testing.personas import Gazetteer


def login_verified(client: Client, user: User) -> None:
    """Log in a privileged persona as if they had passed two-factor authentication."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def make_site(
    researcher: User, gazetteer: Gazetteer, *, name: str = "Juma Mosque", published: bool = True, **extra: Any
) -> Site:
    ensure_site_types()
    arguments: dict[str, Any] = {
        "site_type": SiteType.objects.get(code="mosque"),
        "settlement": gazetteer.settlement_a1,
        "geometry": geometry.point(45.1234, 40.5678),
        **extra,
    }
    return site_create(actor=Actor(user=researcher), name=name, is_published=published, **arguments)


@pytest.fixture
def site(heritage_researcher: User, gazetteer: Gazetteer) -> Site:
    return make_site(heritage_researcher, gazetteer)


@pytest.fixture(autouse=True)
def isolated_media(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
