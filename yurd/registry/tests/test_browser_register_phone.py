"""A registrar registers a household of five on a phone-sized screen, with and without scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from yurd.accounts.roles import Role
from yurd.registry.models import Household
from yurd.testing.personas import PERSONA_PASSWORD, make_gazetteer, make_scoped_user

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 360, "height": 740}
FAMILY = [
    ("Həsənov", "Rauf", "head"),
    ("Həsənova", "Səbinə", "spouse"),
    ("Həsənov", "Orxan", "child"),
    ("Həsənova", "Aynur", "child"),
    ("Həsənov", "Kamal", "parent"),
]


def no_sideways_scrolling(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def register_five(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", "registrar-rena")
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base_url}/")

    page.goto(f"{base_url}/registry/register/")
    no_sideways_scrolling(page)
    page.fill("#id_source", "field visit on a phone")
    page.click("button:has-text('Next')")

    page.wait_for_selector("#id_members-0-surname")
    # One row to start with, its member the head; the next rows start as spouse, then child.
    assert page.locator("fieldset.member").count() == 1
    assert page.input_value("#id_members-0-household_role") == "head"
    for index, (surname, given_name, role) in enumerate(FAMILY):
        if index:
            page.click("button:has-text('Add member')")
            page.wait_for_selector(f"#id_members-{index}-surname")
        page.fill(f"#id_members-{index}-surname", surname)
        page.fill(f"#id_members-{index}-given_name", given_name)
        if index == 1:
            assert page.input_value(f"#id_members-{index}-household_role") == "spouse"
        page.select_option(f"#id_members-{index}-household_role", role)
    assert page.locator("fieldset.member").count() == len(FAMILY)
    no_sideways_scrolling(page)
    page.click("button:has-text('Next')")

    page.wait_for_selector("#id_origin_place")
    no_sideways_scrolling(page)
    page.select_option("#id_origin_place", label="Qarabulaq")
    page.fill("#id_displacement_date", "11.1988")
    page.click("button:has-text('Next')")

    page.wait_for_selector("#id_current_place")
    no_sideways_scrolling(page)
    page.select_option("#id_current_place", label="Dəmirçi")
    page.click("button:has-text('Next')")

    page.wait_for_selector("#id_consent_given")
    no_sideways_scrolling(page)
    page.check("#id_consent_given")
    page.fill("#id_given_on", "2025-01-10")
    page.click("button:has-text('Register')")
    page.wait_for_selector("h1:has-text('Household HH-')")
    no_sideways_scrolling(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scripts", [True, False], ids=["with-scripts", "without-scripts"])
def test_a_registrar_registers_a_household_of_five_on_a_phone(browser: Any, live_server: Any, scripts: bool) -> None:
    gazetteer = make_gazetteer()
    make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    context = browser.new_context(viewport=PHONE, locale="en-GB", java_script_enabled=scripts, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        register_five(page, live_server.url)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / f"register-phone-{'scripts' if scripts else 'no-scripts'}.png"), full_page=True
        )
        raise
    finally:
        context.close()

    household = Household.objects.get()
    members = {(person.given_name, person.household_role) for person in household.members.all()}
    assert members == {(given_name, role) for _surname, given_name, role in FAMILY}
