"""The place page: names, renamings, map data, and households within the viewer's scope."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from yurd.core.actors import system_actor
from yurd.core.models import AccessLogEntry
from yurd.places.models import NameKind, NameScript
from yurd.places.services import place_name_add
from yurd.places.tests.conftest import login_verified
from yurd.registry.models import Household, Wave
from yurd.testing.personas import Gazetteer


@pytest.fixture
def households(gazetteer: Gazetteer) -> None:
    waves = list(Wave.objects.order_by("year_from"))
    Household.objects.create(code="HH-000001", origin_place=gazetteer.settlement_a1, wave=waves[-1])
    Household.objects.create(code="HH-000002", origin_place=gazetteer.settlement_a1, wave=waves[-1])
    Household.objects.create(code="HH-000003", origin_place=gazetteer.settlement_a1, wave=waves[1])
    Household.objects.create(code="HH-000004", origin_place=gazetteer.settlement_b1, wave=waves[-1])


def page(client: Client, code: str) -> str:
    response = client.get(reverse("places:place_detail", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_names_and_renamings_timeline(client: Client, gazetteer: Gazetteer, assessor) -> None:
    village = gazetteer.settlement_a1
    place_name_add(
        actor=system_actor(),
        place=village,
        text="Гарабулаг",
        language=NameScript.RU,
        kind=NameKind.OFFICIAL,
        year_from=1930,
        year_to=1991,
    )
    place_name_add(
        actor=system_actor(),
        place=village,
        text="Yernjatap",
        language=NameScript.EN,
        kind=NameKind.OFFICIAL,
        year_from=1991,
    )
    client.force_login(assessor)
    html = page(client, village.code)
    assert "Гарабулаг" in html
    assert "1930–1991" in html
    assert html.index("Гарабулаг") < html.index("Yernjatap", html.index("timeline-heading"))


def test_map_data_and_vendored_leaflet(client: Client, sample_places: None, assessor) -> None:
    client.force_login(assessor)
    html = page(client, "SYN-D")
    assert "vendor/leaflet-1.9.4/leaflet.js" in html
    assert 'id="place-map-data"' in html
    assert "Sar\\u0131bulaq" in html or "Sarıbulaq" in html  # its villages are markers


def test_full_scope_user_sees_households_and_counts_by_wave(
    client: Client, households: None, gazetteer: Gazetteer, assessor
) -> None:
    client.force_login(assessor)
    html = page(client, gazetteer.district_a.code)
    assert "HH-000001" in html and "HH-000003" in html
    assert "HH-000004" not in html  # originates in district B
    assert AccessLogEntry.objects.filter(target_type="registry.household", action="list").exists()


def test_registrar_sees_households_of_her_district(
    client: Client, households: None, gazetteer: Gazetteer, registrar
) -> None:
    client.force_login(registrar)
    html = page(client, gazetteer.settlement_a1.code)
    assert "HH-000002" in html


def test_registrar_outside_her_scope_sees_neither_households_nor_counts(
    client: Client, households: None, gazetteer: Gazetteer, registrar
) -> None:
    client.force_login(registrar)
    html = page(client, gazetteer.settlement_b1.code)
    assert "HH-000004" not in html
    assert "No households recorded." in html
    assert not AccessLogEntry.objects.filter(target_type="registry.household").exists()


def test_analyst_sees_counts_but_no_household_codes(
    client: Client, households: None, gazetteer: Gazetteer, analyst
) -> None:
    client.force_login(analyst)
    html = page(client, gazetteer.settlement_a1.code)
    assert "HH-000001" not in html
    assert "<td>3</td>" in html  # total


def test_outsider_is_refused(client: Client, gazetteer: Gazetteer, outsider) -> None:
    client.force_login(outsider)
    assert client.get(reverse("places:place_detail", args=[gazetteer.country.code])).status_code == 403
    assert client.get(reverse("places:place_list")).status_code == 403


def test_anonymous_is_sent_to_login(client: Client, gazetteer: Gazetteer) -> None:
    response = client.get(reverse("places:place_detail", args=[gazetteer.country.code]))
    assert response.status_code == 302


def test_unknown_code_is_404(client: Client, gazetteer: Gazetteer, assessor) -> None:
    client.force_login(assessor)
    assert client.get(reverse("places:place_detail", args=["NOPE"])).status_code == 404


def test_place_page_query_count_is_flat(
    client: Client, households: None, gazetteer: Gazetteer, assessor, django_assert_max_num_queries
) -> None:
    client.force_login(assessor)
    with django_assert_max_num_queries(20):
        page(client, gazetteer.district_a.code)


def test_search_page_and_htmx_partial(client: Client, demo_places: None, administrator) -> None:
    login_verified(client, administrator)
    response = client.get(reverse("places:place_list"), {"q": "Гарабулаг"})
    assert response.status_code == 200
    assert "Qarabulaq" in response.content.decode()
    partial = client.get(reverse("places:place_list"), {"q": "Yernjatap"}, headers={"HX-Request": "true"})
    assert "<h1>" not in partial.content.decode()
    assert "Qarabulaq" in partial.content.decode()


@pytest.mark.parametrize(("language", "heading"), [("ru", "Переименования"), ("az", "Adların dəyişdirilməsi")])
@pytest.mark.usefixtures("sample_places")
def test_page_speaks_russian_and_azerbaijani(client: Client, assessor, language: str, heading: str) -> None:
    client.force_login(assessor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert heading in page(client, "SYN-S1")
