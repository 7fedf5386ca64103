"""Browser journey: record a household's intention, see it in the settlement's planning view."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from yurd.accounts.roles import Role
from yurd.returns.tests.conftest import register_household
from yurd.testing.personas import PERSONA_PASSWORD, make_gazetteer, make_scoped_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_record_intention_and_see_it_in_the_planning_view(page: Any, live_server: Any) -> None:
    gazetteer = make_gazetteer()
    gazetteer.settlement_a1.latitude, gazetteer.settlement_a1.longitude = 40.1, 45.2
    gazetteer.settlement_a1.save()
    household = register_household(gazetteer.settlement_a1, ("Quliyev", "Vüqar"), ("Quliyeva", "Aynur"))
    make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "registrar-rena")
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/returns/households/{household.code}/")
    page.select_option("#id_intention", "conditional")
    page.select_option("#id_preferred_place", label="Qarabulaq")
    page.check("input[name=conditions][value=security]")
    page.check("input[name=returning_members] >> nth=0")
    page.click("button:has-text('Record intention')")
    page.wait_for_selector("text=Return intention recorded.")

    page.click("a:has-text('Qarabulaq')")
    page.wait_for_selector("h1:has-text('Return plan for Qarabulaq')")
    # Auto-waiting assertions: a loaded machine may still be drawing the page.
    expect(page.locator("#households-returning")).to_have_text("1")
    expect(page.locator("#people-returning")).to_have_text("1")
    expect(page.locator(f"td:has-text('{household.code}')")).to_be_visible()
    expect(page.locator("#returns-map .leaflet-interactive").first).to_be_visible()
