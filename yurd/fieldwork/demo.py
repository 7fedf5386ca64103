"""Demo field team: the demo registrar's device in a team with households of her district."""

from __future__ import annotations

from typing import TextIO

from yurd.accounts.demo import DEMO_PASSWORD, demo_user, demo_username
from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.fieldwork.definition import FORM_ID
from yurd.fieldwork.models import Team
from yurd.fieldwork.services import assignments_add, device_password_set, team_create
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import Household

ORDER = 80
TEAM = "Demo field team (synthetic)"
ASSIGNED = 25
# The published demo password doubles as the demo device password.
DEVICE_PASSWORD = DEMO_PASSWORD


def load(*, households: int, stdout: TextIO) -> None:
    del households
    if Team.objects.filter(name=TEAM).exists():
        stdout.write("Fieldwork: demo team already present.\n")
        return
    actor = system_actor()
    # The accounts loader (ORDER 90) later limits the demo registrar to one district.
    collector = demo_user(demo_username(Role.REGISTRAR), role=Role.REGISTRAR)
    team = team_create(actor=actor, name=TEAM, forms=[FORM_ID], members=[collector])
    # The district the accounts loader scopes the demo registrar to.
    district = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("code").first()
    assigned = 0
    if district is not None:
        chosen = list(
            Household.objects.unscoped()  # demo data, made by the system
            .filter(origin_place__path__startswith=district.path)
            .order_by("code")[:ASSIGNED]
        )
        assigned = assignments_add(actor=actor, team=team, households=chosen)
    device_password_set(actor=actor, user=collector, password=DEVICE_PASSWORD)
    stdout.write(
        f"Fieldwork: team {TEAM!r} with demo-registrar's device and {assigned} assigned households "
        f"(ODK Collect: user demo-registrar, device password {DEVICE_PASSWORD}).\n"
    )
