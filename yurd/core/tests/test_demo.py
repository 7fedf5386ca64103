"""`yurd demo` and the role groups it relies on."""

import io
import re
import time

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.test import RequestFactory

from yurd.accounts.demo import DEMO_PASSWORD
from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.management.commands.demo import heartbeat

pytestmark = pytest.mark.django_db


def test_migrate_leaves_one_group_per_role() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_demo_creates_one_user_per_role_and_is_idempotent() -> None:
    Group.objects.all().delete()  # as on a database migrated before a role existed
    output = io.StringIO()
    call_command("demo", households=0, stdout=output)
    first = {user.username: set(user.groups.values_list("name", flat=True)) for user in User.objects.all()}
    call_command("demo", households=0, stdout=io.StringIO())
    second = {user.username: set(user.groups.values_list("name", flat=True)) for user in User.objects.all()}

    assert first == second
    assert {name for names in first.values() for name in names} == set(Role.values)
    assert User.objects.get(username="demo-auditor").has_perm("core.view_access_log")
    # The same run (one demo load is slow) reports each step as it starts, and what it added in how long.
    lines = output.getvalue().splitlines()
    started = [line for line in lines if re.fullmatch(r"\[\d+/\d+\] \w+: loading…", line)]
    done = [line for line in lines if re.match(r"\[\d+/\d+\] \w+: done in \d+\.\d s", line)]
    first_step = re.match(r"\[1/(\d+)\]", started[0])
    assert first_step, started
    steps = int(first_step.group(1))
    assert len(started) == len(done) == steps >= 2
    assert lines.index(started[0]) < lines.index(done[0]) < lines.index(started[1])
    accounts = next(line for line in done if "] accounts: " in line)
    assert re.search(r"\(\+\d+ users", accounts)
    assert re.fullmatch(r"Demo data loaded in \d+ s\.", lines[-1])


def test_a_long_demo_step_says_it_is_still_loading() -> None:
    output = io.StringIO()
    with heartbeat(OutputWrapper(output), "[3/9] claims", every=0.01):
        deadline = time.monotonic() + 10
        while "still loading" not in output.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    assert re.match(r"\[3/9\] claims: still loading \(\d+ s\)…", output.getvalue())


# The accounts the README publishes, and the two the claims demo signs its steps with.
README_DEMO_USERS = [
    "demo-administrator",
    "demo-registrar",
    "demo-assessor",
    "demo-reviewer",
    "demo-heritage-researcher",
    "demo-archivist",
    "demo-analyst",
    "demo-auditor",
]
CLAIMS_DEMO_USERS = ["demo-claims-assessor", "demo-claims-reviewer"]


def test_every_demo_user_logs_in_with_the_published_password() -> None:
    # The whole loader: the heritage, claims and fieldwork loaders create some of these
    # accounts before the accounts loader runs.
    call_command("demo", households=12, stdout=io.StringIO())
    request = RequestFactory().post("/accounts/login/")

    for username in [*README_DEMO_USERS, *CLAIMS_DEMO_USERS]:
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.username == username
