"""A researcher records a site and a grave finding with a photo; a reviewer approves; the map changes colour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.evidence.tests.conftest import photo_bytes
from yurd.heritage.condition import COLOURS
from yurd.heritage.defaults import ensure_site_types
from yurd.heritage.tests.conftest import login_verified
from yurd.testing.personas import make_gazetteer, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_session(browser: Any, live_server: Any, user: User, *, verified: bool = False) -> Any:
    """A browser page logged in as this user (through a session cookie; 2FA marked done if asked)."""
    client = Client()
    if verified:
        login_verified(client, user)
    else:
        client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def marker_fill(page: Any, live_server: Any, code: str) -> str:
    page.goto(f"{live_server.url}/heritage/map/")
    page.wait_for_selector("#site-map[data-loaded='true']", state="attached")
    return page.locator(f"path.site-{code}").get_attribute("fill")


def test_observation_with_photo_approved_by_a_second_person_recolours_the_map(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    ensure_site_types()
    gazetteer = make_gazetteer()
    researcher = make_user("researcher-humay", Role.HERITAGE_RESEARCHER)
    reviewer = make_user("reviewer-rauf", Role.REVIEWER)

    researcher_page = open_session(browser, live_server, researcher)
    researcher_page.goto(f"{live_server.url}/heritage/sites/new/")
    researcher_page.get_by_label("Primary name").fill("Juma Mosque of Qarabulaq")
    researcher_page.get_by_label("Type").select_option(label="mosque")
    researcher_page.get_by_label("Settlement").select_option(label=gazetteer.settlement_a1.name)
    researcher_page.get_by_label("Latitude").fill("40.5678")
    researcher_page.get_by_label("Longitude").fill("45.1234")
    researcher_page.get_by_role("button", name="Save").click()
    researcher_page.wait_for_selector("h1:has-text('Juma Mosque of Qarabulaq')")
    code = researcher_page.locator("h1 small").inner_text()

    researcher_page.get_by_role("link", name="Add observation").click()
    researcher_page.get_by_label("Physical state").select_option("destroyed")
    researcher_page.get_by_label("Extent of damage").select_option("91-100")
    researcher_page.get_by_label("Certainty").select_option("high")
    researcher_page.get_by_label("Method").select_option("satellite")
    researcher_page.get_by_label("Observed on").fill("08.2021")
    photo = tmp_path / "after.jpg"
    photo.write_bytes(photo_bytes("black"))
    researcher_page.get_by_label("Photograph or image").set_input_files(str(photo))
    researcher_page.get_by_role("button", name="Record observation").click()
    researcher_page.wait_for_selector("text=once a reviewer approves it")
    assert marker_fill(researcher_page, live_server, code) == COLOURS["unknown"]

    reviewer_page = open_session(browser, live_server, reviewer, verified=True)
    reviewer_page.goto(f"{live_server.url}/heritage/sites/{code}/")
    reviewer_page.get_by_label("approve").check()
    reviewer_page.get_by_role("button", name="Submit review").click()
    reviewer_page.wait_for_selector("text=approved and published")
    assert marker_fill(reviewer_page, live_server, code) == COLOURS["destroyed"]
    # The researcher sees the same derived colour.
    assert marker_fill(researcher_page, live_server, code) == COLOURS["destroyed"]
