"""The analyst plans from figures statistics would publish (issue 15): no settlement is shown
with one to four households, on the planning page or through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.returns.models import Intention
from yurd.returns.services import return_intention_record
from yurd.returns.tests.conftest import register_household
from yurd.testing.personas import Gazetteer, make_user


def _answer(origin: Any, place: Any, intention: str, number: int) -> None:
    household = register_household(origin, ("Planli", f"Anar{number:02d}"), ("Planli", f"Aysel{number:02d}"))
    return_intention_record(
        actor=system_actor(),
        household=household,
        survey_date=dt.date(2025, 6, 1),
        intention=intention,
        preferred_place=None if intention == Intention.NO else place,
        conditions=["housing"] if intention == Intention.CONDITIONAL else [],
        returning_members=[] if intention == Intention.NO else list(household.members.all()),
    )


@pytest.fixture
def answers(located_gazetteer: Gazetteer) -> Gazetteer:
    """Seven households would return to Qarabulaq (5 yes, 2 conditional), six to Ağbulaq and
    three to Dəmirçi."""
    gazetteer = located_gazetteer
    for number in range(5):
        _answer(gazetteer.settlement_a1, gazetteer.settlement_a1, Intention.YES, number)
    for number in range(5, 7):
        _answer(gazetteer.settlement_a1, gazetteer.settlement_a1, Intention.CONDITIONAL, number)
    for number in range(7, 10):
        _answer(gazetteer.settlement_b1, gazetteer.settlement_b1, Intention.YES, number)
    for number in range(10, 16):
        _answer(gazetteer.settlement_a2, gazetteer.settlement_a2, Intention.YES, number)
    return gazetteer


def _api(client: Client) -> dict[str, dict[str, Any]]:
    response = client.get(reverse("api:return-planning"))
    assert response.status_code == 200, response.content
    return {row["settlement"]: row for row in response.json()}


def test_the_analyst_gets_no_count_of_one_to_four_households(client: Client, analyst: User, answers: Gazetteer) -> None:
    client.force_login(analyst)
    rows = _api(client)
    # Before issue 15 Dəmirçi came with its 3 households and the answer counts 5 and 2. Its
    # three are hidden, and so is the next smallest settlement, Ağbulaq (secondary
    # suppression, as statistics do: the total over settlements must not give Dəmirçi away).
    assert set(rows) == {answers.settlement_a1.code}
    qarabulaq = rows[answers.settlement_a1.code]
    assert qarabulaq["households_returning"] == 7
    assert qarabulaq["people_returning"] == 14
    assert qarabulaq["counts"] is None  # 2 conditional: no answer count under five
    page = client.get(reverse("returns:planning"))
    html = page.content.decode()
    assert answers.settlement_b1.name not in html
    assert [row.households for row in page.context["rows"]] == [7]
    assert answers.settlement_a2.name not in html
    assert "withheld" in html


def test_who_may_open_the_households_sees_the_exact_counts(client: Client, registrar: User, answers: Gazetteer) -> None:
    client.force_login(make_user("registrar-everywhere", Role.REGISTRAR))
    rows = _api(client)
    assert rows[answers.settlement_b1.code]["households_returning"] == 3
    assert rows[answers.settlement_a1.code]["counts"] == {"yes": 5, "conditional": 2}


def _figures(page: Any) -> dict[str, str]:
    html = page.content.decode()
    figures = {}
    for key in ("households-returning", "people-returning", "dwelling-losses"):
        cell = html.split(f'id="{key}">', 1)[1].split("</dd>", 1)[0]
        figures[key] = "withheld" if "withheld" in cell else cell.strip()
    return figures


def test_the_analysts_settlement_page_withholds_what_the_overview_withholds(
    client: Client, analyst: User, answers: Gazetteer
) -> None:
    """Dəmirçi (3 households) and Ağbulaq (6, hidden so that Dəmirçi cannot be worked out)
    are withheld whole, and cannot be exported; Qarabulaq shows the overview's 7 and 14, its
    answers (5 and 2) withheld, and its one named condition (2 households) withheld."""
    client.force_login(analyst)
    for place in (answers.settlement_b1, answers.settlement_a2):
        page = client.get(reverse("returns:settlement_plan", args=[place.code]))
        assert page.status_code == 200
        withheld = dict.fromkeys(("households-returning", "people-returning", "dwelling-losses"), "withheld")
        assert _figures(page) == withheld
        assert 'id="withheld"' in page.content.decode()
        assert "Download CSV" not in page.content.decode()
        export = client.post(reverse("returns:settlement_export", args=[place.code]), {"purpose": "planning"})
        assert export.status_code == 403
        assert "text/csv" not in export["Content-Type"]
    page = client.get(reverse("returns:settlement_plan", args=[answers.settlement_a1.code]))
    assert _figures(page) == {"households-returning": "7", "people-returning": "14", "dwelling-losses": "0"}
    plan = page.context["plan"]
    assert plan.counts is None
    assert plan.intentions == []
    assert dict(plan.conditions)["housing"] is None
    export = client.post(reverse("returns:settlement_export", args=[answers.settlement_a1.code]), {"purpose": "plan"})
    assert export.status_code == 200
    assert len(export.content.decode().splitlines()) == 1 + 7


def test_who_may_open_the_households_sees_the_settlements_exact_figures(client: Client, answers: Gazetteer) -> None:
    client.force_login(make_user("registrar-everywhere", Role.REGISTRAR))
    page = client.get(reverse("returns:settlement_plan", args=[answers.settlement_b1.code]))
    assert _figures(page) == {"households-returning": "3", "people-returning": "6", "dwelling-losses": "0"}
    assert page.context["plan"].counts["intends to return"] == 3


def test_a_refused_export_answers_on_the_plan_page(client: Client, analyst: User, answers: Gazetteer) -> None:
    client.force_login(analyst)
    response = client.post(reverse("returns:settlement_export", args=[answers.settlement_a1.code]), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
