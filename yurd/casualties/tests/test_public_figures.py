"""The public statistics and the annual report show documented and estimated totals, never names."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.casualties.figures import suppressed
from yurd.casualties.tests.conftest import CYRILLIC, LATIN, import_list, make_list
from yurd.core.actors import Actor
from yurd.testing.personas import Gazetteer


def _row(label: str, documented: int) -> dict[str, Any]:
    return {"label": label, "documented": documented, "estimate": documented * 1.5, "interval": [1, 2]}


def test_a_small_stratum_is_hidden_with_the_next_smallest_so_the_total_does_not_give_it_away() -> None:
    figures = {"strata": [_row("a", 3), _row("b", 40), _row("c", 90)], "total": _row("total", 133)}
    shown = suppressed(figures, threshold=5)
    assert [row["documented"] for row in shown["strata"]] == [None, None, 90]
    assert shown["total"]["documented"] == 133


def test_a_small_total_is_hidden() -> None:
    shown = suppressed({"strata": [_row("a", 2)], "total": _row("total", 2)}, threshold=5)
    assert shown["total"]["documented"] is None and shown["total"]["estimate"] is None


@pytest.mark.django_db
def test_public_statistics_show_the_register_without_names(
    gazetteer: Gazetteer, administrator: User, client: Client
) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    import_list(actor, make_list(actor, "press"), CYRILLIC)
    response = client.get("/reports/public/")
    text = response.content.decode()
    assert "register-figures-public" in text
    assert "bootstrap" in text and "closed population" in text
    assert "Məmmədov" not in text and "Мамедов" not in text
    # Five people in all (shown); each wave names fewer than five (hidden).
    assert text.count(">x<") >= 2
