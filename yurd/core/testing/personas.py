"""Test personas and a small synthetic gazetteer shared by every app's tests.

Use them through the pytest fixtures in the root conftest.py: `administrator`,
`registrar` (scoped to district_a by origin), `assessor`, `reviewer`, `analyst`,
`auditor`, `archivist`, `heritage_researcher`, `outsider` (no role), and `gazetteer`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group

from yurd.accounts.models import Scope, ScopeBasis, User
from yurd.accounts.roles import Role, sync_role_groups
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


def make_user(username: str, *roles: Role, full_scope: bool = True) -> User:
    if not Group.objects.exists():
        sync_role_groups()
    user = User.objects.create_user(username=username, password=PERSONA_PASSWORD, full_scope=full_scope)
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    return user


def make_scoped_user(username: str, role: Role, place: Place, basis: str = ScopeBasis.ORIGIN) -> User:
    user = make_user(username, role, full_scope=False)
    Scope.objects.create(user=user, place=place, basis=basis)
    return user
