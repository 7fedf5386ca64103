"""A place name with markup stays text in the map's popup (stored XSS through Leaflet)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from yurd.places.models import PlaceKind
from yurd.testing.personas import make_place

NAME = '<img src="/x" id="injected" onerror="window.yurdInjected = 1">Qala'


@pytest.mark.browser
def test_a_place_name_with_markup_is_shown_as_text_in_the_map_popup(
    page: Any, live_server: Any, transactional_db: None, assessor: Any, settings: Any
) -> None:
    settings.YURD_MAP_TILES = ""  # no network in tests
    place = make_place("TST-XSS", NAME, PlaceKind.SETTLEMENT)
    place.latitude, place.longitude = Decimal("40.1"), Decimal("46.2")
    place.save(update_fields=["latitude", "longitude"])
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
    page.goto(f"{live_server.url}/places/{place.code}/")
    marker = page.locator("#place-map path.leaflet-interactive").first
    marker.wait_for()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.inner_text() == NAME
    assert page.locator("#injected").count() == 0
    assert page.evaluate("window.yurdInjected") is None
