"""Maps work offline: the base map shipped with Yurd, no request to another site, a legend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from yurd.places.models import PlaceKind
from yurd.testing.personas import make_place


def _open_place_page(page: Any, live_server: Any, user: Any, settings: Any) -> tuple[list[str], list[str]]:
    """Open a place's page, recording every request: (same-site URLs, other sites' URLs, refused)."""
    place = make_place("TST-MAP", "Qarabulaq", PlaceKind.SETTLEMENT)
    place.latitude, place.longitude = Decimal("39.88"), Decimal("44.44")
    place.save(update_fields=["latitude", "longitude"])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    local: list[str] = []
    external: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(live_server.url):
            local.append(url)
            request_route.continue_()
        else:
            external.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(f"{live_server.url}/places/{place.code}/")
    return local, external


@pytest.mark.browser
def test_without_a_tile_server_the_map_draws_the_shipped_base_map_and_asks_no_other_site(
    page: Any, live_server: Any, transactional_db: None, assessor: Any, settings: Any
) -> None:
    settings.YURD_MAP_TILES = ""
    local, external = _open_place_page(page, live_server, assessor, settings)

    page.wait_for_selector("#place-map[data-base-loaded='true']", state="attached")

    assert page.locator("#place-map").get_attribute("data-base-layer") == "local"
    assert any(url.endswith("/maps/region.geojson") for url in local)
    assert external == []
    assert page.locator("#place-map .leaflet-tile").count() == 0
    # Country and district boundaries, lakes and rivers on one canvas; towns labelled.
    assert page.locator("#place-map .leaflet-yurdBase-pane canvas").count() == 1
    assert "İrəvan" not in page.locator("#place-map").inner_text()  # the page is English
    assert "Yerevan" in page.locator("#place-map .yurd-town-1").all_inner_texts()
    legend = page.locator("ul.map-legend").inner_text()
    assert "This place" in legend and "State border" in legend and "Lakes and rivers" in legend


@pytest.mark.browser
def test_a_tile_server_setting_replaces_the_shipped_base_map(
    page: Any, live_server: Any, transactional_db: None, assessor: Any, settings: Any
) -> None:
    settings.YURD_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    local, external = _open_place_page(page, live_server, assessor, settings)

    page.locator("#place-map .leaflet-tile").first.wait_for(state="attached")

    assert page.locator("#place-map").get_attribute("data-base-layer") == "tiles"
    assert external and all(url.startswith("https://tiles.example.org/") for url in external)
    assert not any(url.endswith("/maps/region.geojson") for url in local)
