"""Journey: find a village by its Russian name while typing, open its page, see the map."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yurd.places.tests.conftest import DATA, load_csv


@pytest.mark.browser
def test_search_as_you_type_in_cyrillic_opens_the_village_with_its_map(
    page: Any, live_server: Any, transactional_db: None, assessor: Any, settings: Any
) -> None:
    settings.YURD_MAP_TILES = ""  # no network in tests: the offline base map
    load_csv(DATA / "good_places.csv")
    client = Client()
    client.force_login(assessor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/places/")
    page.get_by_label("Name").fill("Сарыбулах")
    result = page.locator("#place-results").get_by_role("link", name="Sarıbulaq")
    result.wait_for()
    result.click()
    page.get_by_role("heading", name="Sarıbulaq").wait_for()
    # The map script runs after the heading is shown: wait for Leaflet, then count.
    page.locator("#place-map.leaflet-container path.leaflet-interactive").first.wait_for()
    assert page.locator("#place-map.leaflet-container").count() == 1
    assert page.locator("#place-map path.leaflet-interactive").count() == 1
    assert "Deghnaghbyur" in page.locator(".place-timeline").inner_text()
