"""`yurd demo` and the role groups it relies on."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from yurd.accounts.models import User
from yurd.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_migrate_leaves_one_group_per_role() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_demo_creates_one_user_per_role_and_is_idempotent() -> None:
    Group.objects.all().delete()  # as on a database migrated before a role existed
    call_command("demo", households=0, stdout=io.StringIO())
    first = {user.username: set(user.groups.values_list("name", flat=True)) for user in User.objects.all()}
    call_command("demo", households=0, stdout=io.StringIO())
    second = {user.username: set(user.groups.values_list("name", flat=True)) for user in User.objects.all()}

    assert first == second
    assert {name for names in first.values() for name in names} == set(Role.values)
    assert User.objects.get(username="demo-auditor").has_perm("core.view_access_log")
