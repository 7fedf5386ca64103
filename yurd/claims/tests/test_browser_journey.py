"""Browser journey: one claim from draft to decision by two people, and its decision letter."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.claims.tests.conftest import TABLE_V1, import_table, login, make_household, make_person
from yurd.registry.models import Wave
from yurd.testing.personas import make_gazetteer, make_user


def _browser_session(page: Any, live_server: Any, user: User) -> Any:
    """A fresh browser context logged in as `user` (two-factor passed, as a verified session)."""
    client = login(Client(), user)
    context = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True
    )
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    return new_page


def _step(page: Any, name: str, reason: str = "") -> None:
    form = page.locator(f"form:has(button[data-step='{name}'])")
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.locator(f"button[data-step='{name}']").click()
    page.wait_for_selector(".message.success")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_claim_from_draft_to_decision_with_two_people_and_its_letter(page: Any, live_server: Any) -> None:
    gazetteer = make_gazetteer()
    wave, _created = Wave.objects.get_or_create(
        code="1987-1991", defaults={"name": "1987–1991", "year_from": 1987, "year_to": 1991}
    )
    household = make_household(gazetteer.settlement_a1, wave)
    head = make_person(household, "Əli")
    import_table(TABLE_V1)
    administrator = make_user("admin-ayla", Role.ADMINISTRATOR)
    reviewer = make_user("reviewer-rauf", Role.REVIEWER)

    first = _browser_session(page, live_server, administrator)
    first.goto(f"{live_server.url}/claims/new/")
    first.fill("#household-find", household.code)
    first.click("button:has-text('Find')")
    first.click("a.household-choice")
    first.select_option("#id_remedy", "compensation")
    first.select_option("#id_language", "en")
    first.check(f"input[name=claimants][value='{head.code}']")
    first.click("button:has-text('Save')")
    first.wait_for_selector("text=Secret code for the status look-up")
    case_number = first.locator("h1").inner_text().split()[1]
    assert case_number.startswith("CL-")

    first.click("a:has-text('Add loss item')")
    first.select_option("#id_category", "dwelling")
    first.select_option("#id_place", gazetteer.settlement_a1.code)
    first.fill("#id_reference", "House 12, Lenin street")
    first.fill("#id_quantity", "120")
    first.select_option("#id_unit", "m2")
    first.fill("#id_price_year", "1988")
    first.click("button:has-text('Add')")
    first.wait_for_selector("text=Loss item added.")
    _step(first, "submit")
    _step(first, "verify_documents")
    _step(first, "assess")
    assert "8874.00" in first.inner_text("#claim-total")
    # The assessor may not approve what they assessed.
    first.locator("form:has(button[data-step='approve']) button").click()
    first.wait_for_selector("text=Four eyes")

    second = _browser_session(page, live_server, reviewer)
    second.goto(f"{live_server.url}/claims/{case_number}/")
    _step(second, "approve")
    _step(second, "decide", reason="Dwelling valued at reference prices")
    assert "decided" in second.inner_text(".claim-status")
    # WeasyPrint renders the letter in the request: seconds on a quiet machine, more when
    # the browser tests run two at a time beside it.
    with second.expect_download(timeout=60_000) as download_info:
        second.click("a.decision-letter", timeout=60_000)
    path = download_info.value.path()
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603
    assert case_number in text
    assert "8,874.00" in text  # the letter localises numbers (en: 8,874.00)
    second.context.close()
    first.context.close()
