"""Browser journey: a registrar imports two lists of the same people, one in Latin script and
one in Cyrillic, the register links them, and its page shows documented and estimated totals."""

from __future__ import annotations

from typing import Any

import pytest

from yurd.accounts.roles import Role
from yurd.casualties.models import ListEntry
from yurd.casualties.tests.conftest import CYRILLIC, LATIN
from yurd.testing.personas import PERSONA_PASSWORD, make_gazetteer, make_scoped_user


def _add_list(page: Any, url: str, code: str, name: str, *, kind: str, rows: str) -> None:
    page.goto(f"{url}/casualties/lists/new/")
    page.fill("input[name=code]", code)
    page.fill("input[name=name]", name)
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=compiler]", "Synthetic compiler")
    page.click("button:has-text('Create the list')")
    page.get_by_role("heading", name=f"Import rows into {name}").wait_for()
    page.set_input_files(
        "input[name=file]", files=[{"name": f"{code}.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.click("button:has-text('Check the file')")
    # The commit runs the linkage engine (Splink on DuckDB), which takes seconds on a busy machine.
    page.click("button:has-text('Commit 4 valid rows and link')", no_wait_after=True)
    page.get_by_text("4 entries were added to the list").wait_for(timeout=90_000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_two_lists_in_two_scripts_and_see_documented_beside_estimated(page: Any, live_server: Any) -> None:
    gazetteer = make_gazetteer()
    make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "registrar-rena")
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("button[type=submit]")

    _add_list(page, live_server.url, "community", "Community list", kind="community_list", rows=LATIN)
    _add_list(page, live_server.url, "press", "Press list", kind="press_list", rows=CYRILLIC)
    assert ListEntry.objects.get(record_id="B-1").person == ListEntry.objects.get(record_id="A-1").person

    page.goto(f"{live_server.url}/casualties/")
    assert page.inner_text("#documented-total") == "5"
    estimated = float(page.inner_text("#estimated-total").replace(",", ""))
    assert estimated >= 5
    low, high = (float(part) for part in page.inner_text("#estimated-interval").replace(",", "").split(" – "))
    assert 5 <= low <= estimated <= high
    assert "bootstrap resamples" in page.inner_text("#estimate-method")
    page.locator("#register-chart").wait_for()

    person = ListEntry.objects.get(record_id="A-1").person
    assert person is not None
    page.goto(f"{live_server.url}/casualties/people/{person.code}/")
    entries = page.inner_text("#person-entries")
    assert "Məmmədov" in entries and "Мамедов" in entries
