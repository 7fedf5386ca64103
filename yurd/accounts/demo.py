"""Demo users: one per role, all with the same published demo password.

Every demo loader that needs a demo account gets it from `demo_user`, so the account has the
published password whichever loader happens to create it first.
"""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth.models import Group
from django.db import transaction

from yurd.accounts.models import Scope, ScopeBasis, User
from yurd.accounts.roles import Role, sync_role_groups
from yurd.places.models import Place, PlaceKind

ORDER = 90
DEMO_PASSWORD = "yurd-demo-2026"  # noqa: S105 - synthetic demo accounts, published in the README


def demo_username(role: Role) -> str:
    return f"demo-{role.value.replace('_', '-')}"


def demo_user(username: str, *, role: Role | None = None) -> User:
    """The demo account `username`, created when missing, always with the published password.

    With `role` the account also joins that role's group (created with today's permissions if
    this runs before `yurd demo` synchronised the groups)."""
    user, _created = User.objects.get_or_create(username=username, defaults={"full_scope": True})
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if role is not None:
        if not Group.objects.filter(name=role.value).exists():
            sync_role_groups()
        user.groups.add(Group.objects.get(name=role.value))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def load(*, households: int, stdout: TextIO) -> None:
    del households
    district = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("code").first()
    with transaction.atomic():
        for role in Role:
            username = demo_username(role)
            user = demo_user(username)
            # Registrars see one district only, to show scopes at work.
            user.full_scope = role != Role.REGISTRAR
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            if role == Role.REGISTRAR and district is not None:
                Scope.objects.get_or_create(user=user, place=district, basis=ScopeBasis.ORIGIN)
    stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):\n")
    for role in Role:
        stdout.write(f"  {demo_username(role):<27} {role.label}\n")
    stdout.write("Administrator, reviewer and auditor enrol two-factor authentication at first log-in.\n")
