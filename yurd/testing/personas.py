"""Test personas and a small synthetic gazetteer shared by every app's tests.

Use them through the pytest fixtures in the root conftest.py: `administrator`,
`registrar` (scoped to district_a by origin), `assessor`, `reviewer`, `analyst`,
`auditor`, `archivist`, `heritage_researcher`, `outsider` (no role), and `gazetteer`.
Administrators, reviewers and auditors must pass two-factor authentication: log them
in with `login_verified(client, user)` rather than `client.force_login(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import Scope, ScopeBasis, User
from yurd.accounts.roles import Role, sync_role_groups
from yurd.accounts.services import api_token_create
from yurd.places.models import Place, PlaceKind

PERSONA_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


@dataclass
class Gazetteer:
    country: Place
    region: Place
    district_a: Place
    district_b: Place
    settlement_a1: Place
    settlement_a2: Place
    settlement_b1: Place


def make_place(code: str, name: str, kind: str, parent: Place | None = None) -> Place:
    place = Place.objects.create(code=code, name=name, kind=kind, parent=parent)
    place.path = place.expected_path()
    place.save(update_fields=["path"])
    return place


def make_gazetteer() -> Gazetteer:
    country = make_place("TST", "Testland (synthetic)", PlaceKind.COUNTRY)
    region = make_place("TST-R1", "North Region", PlaceKind.REGION, country)
    district_a = make_place("TST-D1", "Alpha District", PlaceKind.DISTRICT, region)
    district_b = make_place("TST-D2", "Beta District", PlaceKind.DISTRICT, region)
    return Gazetteer(
        country=country,
        region=region,
        district_a=district_a,
        district_b=district_b,
        settlement_a1=make_place("TST-S11", "Qarabulaq", PlaceKind.SETTLEMENT, district_a),
        settlement_a2=make_place("TST-S12", "Ağbulaq", PlaceKind.SETTLEMENT, district_a),
        settlement_b1=make_place("TST-S21", "Dəmirçi", PlaceKind.SETTLEMENT, district_b),
    )


def ensure_role_groups(*roles: Role | str) -> None:
    """Role groups exist after migrate, but a transactional test flushes them; recreate when missing."""
    wanted = {str(role) for role in roles} or {role.value for role in Role}
    if Group.objects.filter(name__in=wanted).count() < len(wanted):
        sync_role_groups()


def make_user(username: str, *roles: Role | str, full_scope: bool = True, **fields: Any) -> User:
    """A user holding `roles` (none: an outsider), with PERSONA_PASSWORD.

    Extra model fields go through `fields` (is_staff=True, preferred_language="az", …).
    """
    unknown = {str(role) for role in roles} - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown role(s) {sorted(unknown)}; use yurd.accounts.roles.Role.")
    if User.objects.filter(username=username).exists():
        raise ValueError(f"A user named {username!r} already exists in this test.")
    ensure_role_groups(*roles)
    user = User.objects.create_user(username=username, password=PERSONA_PASSWORD, full_scope=full_scope, **fields)
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    return user


def make_scoped_user(username: str, role: Role, place: Place, basis: str = ScopeBasis.ORIGIN, **fields: Any) -> User:
    """A user who sees only records whose origin (or residence) lies within `place`."""
    user = make_user(username, role, full_scope=False, **fields)
    Scope.objects.create(user=user, place=place, basis=basis)
    return user


def make_totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator (created once); its code: `totp_code(device)`."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app would show now (or `steps_ahead` 30-second steps later).

    A device accepts each time step once; a test that logs in twice uses steps_ahead=1
    the second time (within the device's tolerance of one step) instead of sleeping.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{totp.token():0{device.digits}d}"


def login_verified(client: Client, user: User) -> TOTPDevice:
    """Log `user` in as if through both steps: password, then a code from a confirmed device.

    Needed for administrators, reviewers and auditors, whom the middleware otherwise sends
    to two-factor enrolment; harmless for every other role.
    """
    device = make_totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def api_token_key(user: User, *, two_factor: bool = True) -> str:
    """The key of a new API token of `user`, as the profile page creates it after a log-in
    with both steps (`two_factor=False`: after the password alone, as for a user with no
    second factor)."""
    return api_token_create(user=user, name="test", two_factor=two_factor)[1]
