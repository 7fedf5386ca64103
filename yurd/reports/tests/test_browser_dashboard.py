"""A registrar opens the dashboard, clicks a bar of the wave chart, and lands on the filtered list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yurd.accounts.roles import Role
from yurd.registry.models import Household
from yurd.reports.tests.data import populate
from yurd.testing.personas import make_gazetteer, make_scoped_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_a_wave_bar_opens_the_households_of_that_wave(browser: Any, live_server: Any, settings: Any) -> None:
    settings.YURD_DASHBOARD_CACHE_SECONDS = 0
    gazetteer = make_gazetteer()
    populate(gazetteer)
    registrar = make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    client = Client()
    client.force_login(registrar)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/reports/")
    canvas = page.locator("#chart-households_by_wave")
    canvas.wait_for()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-households_by_wave'))")
    labels = page.evaluate("() => Chart.getChart(document.getElementById('chart-households_by_wave')).data.labels")
    index = labels.index("1948–1953")
    bar = page.evaluate(
        """(index) => {
            const chart = Chart.getChart(document.getElementById('chart-households_by_wave'));
            const bar = chart.getDatasetMeta(0).data[index];
            return {x: bar.x, y: (bar.y + bar.base) / 2};
        }""",
        index,
    )
    canvas.click(position={"x": bar["x"], "y": bar["y"]})
    page.wait_for_url("**/registry/?wave=*")

    expected = set(Household.objects.filter(wave__code="1948-1953").values_list("code", flat=True))
    others = set(Household.objects.exclude(wave__code="1948-1953").values_list("code", flat=True))
    content = page.content()
    assert expected
    assert all(code in content for code in expected)
    assert not any(code in content for code in others)
    context.close()
