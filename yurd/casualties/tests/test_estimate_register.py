"""`yurd estimate --register` reads the linked register's capture histories, by stratum."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yurd.accounts.models import User
from yurd.casualties.capture import capture_tables
from yurd.casualties.tests.conftest import CYRILLIC, LATIN, import_list, make_list
from yurd.core.actors import Actor
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_capture_tables_count_people_by_the_lists_naming_them(gazetteer: Gazetteer, administrator: User) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    import_list(actor, make_list(actor, "press"), CYRILLIC)
    (whole,) = capture_tables(()).values()
    assert whole.lists == ("community", "press")
    # Three people on both lists, one on each list alone.
    assert dict(whole.patterns()) == {(1, 1): 3, (1, 0): 1, (0, 1): 1}
    by_wave = capture_tables(("wave",))
    assert sum(table.observed for table in by_wave.values()) == 5
    assert set(by_wave) == {"1948–1953", "1987–1991"}


def test_estimate_command_reads_the_register(gazetteer: Gazetteer, administrator: User) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    import_list(actor, make_list(actor, "press"), CYRILLIC)
    out = StringIO()
    call_command("estimate", "--register", "--method", "fixed", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["observed"] == 5
    # Lincoln-Petersen: 4 × 4 / 3.
    assert result["estimate"] == pytest.approx(16 / 3, rel=1e-3)


def test_a_stratum_without_an_estimate_is_refused_by_name(gazetteer: Gazetteer, administrator: User) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    import_list(actor, make_list(actor, "press"), CYRILLIC)
    # The 1948–1953 wave has one person, on both lists: nothing says how many no list names.
    with pytest.raises(CommandError, match="stratum 1948–1953") as refusal:
        call_command("estimate", "--register", "--stratify", "wave", stdout=StringIO())
    assert refusal.value.returncode == 1
