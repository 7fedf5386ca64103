"""Browser journey: a registrar opens a proposed pair, merges it, then undoes the merge."""

from __future__ import annotations

from typing import Any

import pytest

from yurd.accounts.roles import Role
from yurd.linkage.services import candidate_propose
from yurd.registry.models import Person
from yurd.registry.tests.conftest import register
from yurd.testing.personas import PERSONA_PASSWORD, make_gazetteer, make_scoped_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_adjudicate_merge_and_undo(page: Any, live_server: Any) -> None:
    gazetteer = make_gazetteer()
    make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    first = register(
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "sex": "m",
                  "birth_date": "12.03.1951", "household_role": "head"}],
    ).members.get()  # fmt: skip
    second = register(
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Мамедов", "given_name": "Али", "patronymic": "Гасанович", "sex": "m",
                  "birth_date": "1951", "household_role": "head"}],
    ).members.get()  # fmt: skip
    candidate_propose(
        first=first,
        second=second,
        probability=0.97,
        explanation="surname agrees in another spelling; birth date agrees to the year",
        origin="test",
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "registrar-rena")
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/linkage/")
    page.click("text=Compare")
    page.get_by_text("birth date agrees to the year").wait_for()
    page.check("input[name=status][value=same]")
    page.click("button:has-text('Record decision')")
    page.get_by_text("was merged into").wait_for()
    assert Person.objects.filter(pk=second.pk).count() == 0

    page.click("button:has-text('Undo this merge')")
    page.get_by_text("both records exist again").wait_for()
    assert Person.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
