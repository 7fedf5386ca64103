"""Demo field team: the demo registrar's device in a team with households of her district."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth.models import Group

from yurd.accounts.models import User
from yurd.accounts.roles import Role, sync_role_groups
from yurd.core.actors import system_actor
from yurd.fieldwork.definition import FORM_ID
from yurd.fieldwork.models import Team
from yurd.fieldwork.services import assignments_add, device_password_set, team_create
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import Household

ORDER = 80
TEAM = "Demo field team (synthetic)"
ASSIGNED = 25
# The published demo password (accounts/demo.py) doubles as the demo device password.
DEVICE_PASSWORD = "yurd-demo-2026"  # noqa: S105 - synthetic demo account, published in the README


def _demo_registrar() -> User:
    # The accounts loader (ORDER 90) later sets the published password and the scope.
    user, _created = User.objects.get_or_create(username="demo-registrar")
    if not Group.objects.filter(name=Role.REGISTRAR.value).exists():
        sync_role_groups()
    user.groups.add(Group.objects.get(name=Role.REGISTRAR.value))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def load(*, households: int, stdout: TextIO) -> None:
    del households
    if Team.objects.filter(name=TEAM).exists():
        stdout.write("Fieldwork: demo team already present.\n")
        return
    actor = system_actor()
    collector = _demo_registrar()
    team = team_create(actor=actor, name=TEAM, forms=[FORM_ID], members=[collector])
    # The district the accounts loader scopes the demo registrar to.
    district = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("code").first()
    assigned = 0
    if district is not None:
        chosen = list(
            Household.objects.filter(origin_place__path__startswith=district.path).order_by("code")[:ASSIGNED]
        )
        assigned = assignments_add(actor=actor, team=team, households=chosen)
    device_password_set(actor=actor, user=collector, password=DEVICE_PASSWORD)
    stdout.write(
        f"Fieldwork: team {TEAM!r} with demo-registrar's device and {assigned} assigned households "
        f"(ODK Collect: user demo-registrar, device password {DEVICE_PASSWORD}).\n"
    )
