"""Browser journey: register a household through the wizard, find it by searching in
another script, download its export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yurd.accounts.roles import Role
from yurd.testing.personas import PERSONA_PASSWORD, make_gazetteer, make_scoped_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_find_in_cyrillic_and_export(page: Any, live_server: Any) -> None:
    gazetteer = make_gazetteer()
    make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "registrar-rena")
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/registry/register/")
    page.fill("#id_source", "field visit")
    page.click("text=Next")
    page.fill("#id_members-0-surname", "Məmmədov")
    page.fill("#id_members-0-given_name", "Əli")
    page.select_option("#id_members-0-household_role", "head")
    page.fill("#id_members-0-birth_date", "12.03.1951")
    page.click("button:has-text('Add member')")
    page.fill("#id_members-1-surname", "Məmmədova")
    page.fill("#id_members-1-given_name", "Gülnarə")
    page.select_option("#id_members-1-household_role", "spouse")
    page.click("text=Next")
    page.select_option("#id_origin_place", label="Qarabulaq")
    page.fill("#id_displacement_date", "11.1988")
    page.click("text=Next")
    page.select_option("#id_current_place", label="Dəmirçi")
    page.click("text=Next")
    page.check("#id_consent_given")
    page.fill("#id_given_on", "2025-01-10")
    page.click("button:has-text('Register')")
    page.wait_for_selector("text=Household HH-000001")
    assert page.locator(".family-tree").is_visible()

    page.goto(f"{live_server.url}/registry/search/")
    page.fill("#search-q", "Мамедов Али")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-results mark")
    assert "Məmmədov" in page.inner_text("#search-results")
    page.click("#search-results a:has-text('HH-000001')")
    page.wait_for_selector("text=Household HH-000001")

    page.goto(f"{live_server.url}/registry/export/")
    page.fill("#id_purpose", "journey test")
    page.check("#id_identified")
    with page.expect_download() as download_info:
        page.click("button:has-text('Download')")
    path = download_info.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert "HH-000001" in text and "Məmmədov" in text
