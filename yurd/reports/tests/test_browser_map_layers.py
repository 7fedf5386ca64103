"""A registrar opens the dashboard, sees the map's layer control and legend, clicks a heritage
site and lands on its dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.heritage.tests.conftest import make_site
from yurd.reports.tests.data import make_household
from yurd.returns.services import return_intention_record
from yurd.testing.personas import make_gazetteer, make_scoped_user, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_a_heritage_site_on_the_dashboard_map_opens_its_dossier(
    browser: Any, live_server: Any, settings: Any
) -> None:
    settings.YURD_DASHBOARD_CACHE_SECONDS = 0
    gazetteer = make_gazetteer()
    gazetteer.settlement_a1.latitude, gazetteer.settlement_a1.longitude = 40.1, 45.2
    gazetteer.settlement_a1.save(update_fields=["latitude", "longitude"])
    household = make_household(origin=gazetteer.settlement_a1)
    return_intention_record(
        actor=system_actor(),
        household=household,
        survey_date=dt.date(2025, 1, 1),
        intention="yes",
        preferred_place=gazetteer.settlement_a1,
    )
    site = make_site(make_user("researcher-humay", Role.HERITAGE_RESEARCHER), gazetteer, name="Juma Mosque")
    registrar = make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    client = Client()
    client.force_login(registrar)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/reports/")
    page.wait_for_function("() => document.getElementById('settlement-map').dataset.layersState === 'ready'")
    control = page.locator(".leaflet-control-layers-overlays")
    for title in (
        "Settlements of origin, sized by households",
        "Heritage sites by condition",
        "Return intentions by preferred settlement",
    ):
        assert control.get_by_text(title).count() == 1
    assert page.locator("#map-legend li").get_by_text("no published observation").count() == 1

    # Hide the intentions and origins layers, which sit on the same settlement.
    control.get_by_text("Settlements of origin, sized by households").click()
    control.get_by_text("Return intentions by preferred settlement").click()
    # Centre on the site without animation, so the pixel computed is where the marker stays.
    point = page.evaluate(
        """([latitude, longitude]) => {
            const map = document.getElementById('settlement-map').yurdMap.map;
            map.setView([latitude, longitude], 12, {animate: false});
            const target = map.latLngToContainerPoint([latitude, longitude]);
            return {x: target.x, y: target.y};
        }""",
        [site.latitude, site.longitude],
    )
    page.locator("#settlement-map").click(position=point)
    page.locator(".leaflet-popup-content a").click()
    page.wait_for_url(f"**/heritage/sites/{site.code}/")
    assert "Juma Mosque" in page.content()
    context.close()
