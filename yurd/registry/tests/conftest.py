"""Registry test helpers: register households the way the wizard does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import User
from yurd.core.actors import Actor, system_actor
from yurd.places.models import Place
from yurd.registry.models import Household, Wave
from yurd.registry.services import household_register
from yurd.testing.personas import Gazetteer


def register(
    *,
    origin: Place | None,
    members: list[dict[str, Any]],
    actor: Actor | None = None,
    current: Place | None = None,
    wave: str = "1987-1991",
    consent: bool = False,
) -> Household:
    return household_register(
        actor=actor or system_actor(),
        household={
            "origin_place": origin,
            "current_place": current,
            "wave": Wave.objects.get(code=wave),
            "displacement_date": "11.1988",
        },
        members=members,
        consent={"purpose": "registration", "given_on": dt.date(2024, 5, 1)} if consent else None,
    )


@pytest.fixture
def mammadov_family(gazetteer: Gazetteer) -> Household:
    """Three generations from Qarabulaq: a deceased grandfather, his son's family."""
    return register(
        origin=gazetteer.settlement_a1,
        current=gazetteer.settlement_b1,
        consent=True,
        members=[
            {
                "surname": "Məmmədov",
                "given_name": "Əli",
                "patronymic": "Həsən oğlu",
                "sex": "m",
                "birth_date": "12.03.1951",
                "household_role": "head",
                "other_names": [{"surname": "Мамедов", "given_name": "Али", "patronymic": "Гасанович", "script": "ru"}],
            },
            {
                "surname": "Məmmədova",
                "given_name": "Gülnarə",
                "sex": "f",
                "birth_date": "1955",
                "household_role": "spouse",
            },
            {"surname": "Məmmədov", "given_name": "Rəşad", "sex": "m", "birth_date": "1980", "household_role": "child"},
            {
                "surname": "Məmmədov",
                "given_name": "Həsən",
                "sex": "m",
                "birth_date": "c. 1920",
                "death_date": "1989",
                "household_role": "parent",
            },
        ],
    )


@pytest.fixture
def other_district_household(gazetteer: Gazetteer) -> Household:
    return register(
        origin=gazetteer.settlement_b1,
        members=[{"surname": "Quliyev", "given_name": "Vüqar", "sex": "m", "household_role": "head"}],
    )


def login(client: Any, user: User) -> None:
    """Log in, passing two-factor for the roles that need it."""
    if user.requires_two_factor:
        device = TOTPDevice.objects.create(user=user, confirmed=True)
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    else:
        client.force_login(user)
