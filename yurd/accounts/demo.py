"""Demo users: one per role, all with the same published demo password."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth.models import Group
from django.db import transaction

from yurd.accounts.models import Scope, ScopeBasis, User
from yurd.accounts.roles import Role
from yurd.places.models import Place, PlaceKind

ORDER = 90
DEMO_PASSWORD = "yurd-demo-2026"  # noqa: S105 - synthetic demo accounts, published in the README


def load(*, households: int, stdout: TextIO) -> None:
    del households
    district = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("code").first()
    with transaction.atomic():
        for role in Role:
            username = f"demo-{role.value.replace('_', '-')}"
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
            # Registrars see one district only, to show scopes at work.
            user.full_scope = role != Role.REGISTRAR
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            if role == Role.REGISTRAR and district is not None:
                Scope.objects.get_or_create(user=user, place=district, basis=ScopeBasis.ORIGIN)
    stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):\n")
    for role in Role:
        stdout.write(f"  demo-{role.value.replace('_', '-'):<22} {role.label}\n")
    stdout.write("Administrator, reviewer and auditor enrol two-factor authentication at first log-in.\n")
