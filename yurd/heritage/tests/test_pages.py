from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.evidence.models import EvidenceLink
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes
from yurd.heritage.models import Observation, ObservationStatus, Site, SiteType
from yurd.heritage.services import observation_record
from yurd.heritage.tests.conftest import login_verified, make_site
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_researcher_creates_a_site_from_the_form(
    client: Client, heritage_researcher: User, gazetteer: Gazetteer
) -> None:
    client.force_login(heritage_researcher)
    response = client.post(
        "/heritage/sites/new/",
        {
            "name": "Stone bridge",
            "site_type": SiteType.objects.get(code="bridge").pk,
            "settlement": gazetteer.settlement_a1.pk,
            "latitude": "40.5",
            "longitude": "45.25",
            "names": "Daş körpü | az-Latn | 19th century\nКаменный мост | ru |",
        },
    )
    assert response.status_code == 302, response.content.decode()
    site = Site.objects.get(name="Stone bridge")
    assert site.geometry == {"type": "Point", "coordinates": [45.25, 40.5]}
    assert site.names.count() == 2
    assert not site.is_published  # researchers cannot publish to the catalogue


def test_site_form_refuses_an_invalid_geometry(client: Client, heritage_researcher: User, gazetteer: Gazetteer) -> None:
    client.force_login(heritage_researcher)
    response = client.post(
        "/heritage/sites/new/",
        {
            "name": "Broken",
            "site_type": SiteType.objects.get(code="bridge").pk,
            "settlement": gazetteer.settlement_a1.pk,
            "geometry": '{"type": "Point", "coordinates": [40.5, 145.25]}',
        },
    )
    assert response.status_code == 200
    assert "latitude" in response.content.decode()


def test_observation_with_photo_then_review_changes_the_derived_condition(
    client: Client, heritage_researcher: User, reviewer: User, site: Site
) -> None:
    client.force_login(heritage_researcher)
    response = client.post(
        f"/heritage/sites/{site.code}/observations/new/",
        {
            "physical_state": "destroyed",
            "extent": "91-100",
            "certainty": "high",
            "method": "satellite",
            "observed_on": "",
            "interval_start": "05.2019",
            "interval_end": "08.2021",
            "photo": SimpleUploadedFile("after.jpg", photo_bytes("black"), content_type="image/jpeg"),
            "photo_sensitivity": "public",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get(site=site)
    assert observation.status == ObservationStatus.PENDING_REVIEW
    assert EvidenceLink.objects.filter(target_code=observation.code, relation="supports").exists()
    map_data = client.get("/heritage/map/data.json").json()
    assert map_data["sites"][0][4] == "unknown"

    login_verified(client, reviewer)
    queue = client.get("/heritage/review/").content.decode()
    assert observation.code in queue
    response = client.post(f"/heritage/observations/{observation.code}/review/", {"decision": "approve", "note": ""})
    assert response.status_code == 302
    map_data = client.get("/heritage/map/data.json").json()
    assert map_data["sites"][0][4] == "destroyed"
    page = client.get(f"/heritage/sites/{site.code}/").content.decode()
    assert observation.code in page


def test_conflicting_observations_are_shown_side_by_side(
    client: Client, heritage_researcher: User, administrator: User, site: Site
) -> None:
    for user, state, certainty in (
        (heritage_researcher, "slightly_damaged", "high"),
        (administrator, "moderately_damaged", "low"),
    ):
        observation_record(
            actor=Actor(user=user),
            site=site,
            physical_state=state,
            certainty=certainty,
            method="field_visit",
            observed_on="2022-06",
        )
    client.force_login(heritage_researcher)
    page = client.get(f"/heritage/sites/{site.code}/").content.decode()
    assert "Conflicting observations" in page
    assert "side-by-side" in page
    assert "(disputed)" in page


def test_site_list_filters_by_condition_without_n_plus_one(
    client: Client,
    heritage_researcher: User,
    gazetteer: Gazetteer,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(6):
        make_site(heritage_researcher, gazetteer, name=f"Site {number}")
    destroyed = Site.objects.order_by("code").first()
    assert destroyed is not None
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=destroyed,
        physical_state="slightly_damaged",
        certainty="high",
        method="archival",
        observed_on="1990",
    )
    client.force_login(heritage_researcher)
    with django_assert_max_num_queries(12):
        response = client.get("/heritage/?condition=slightly_damaged")
    assert response.content.decode().count("/heritage/sites/HS-") == 1


def test_printable_dossier_is_a_pdf(client: Client, heritage_researcher: User, site: Site) -> None:
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=site,
        physical_state="slightly_damaged",
        certainty="high",
        method="field_visit",
        observed_on="2023-04-02",
        photo=[photo_bytes("gray")],
        photo_name="wall.jpg",
    )
    client.force_login(heritage_researcher)
    response = client.get(f"/heritage/sites/{site.code}/dossier.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_before_after_slider_shows_earliest_and_latest_photos(
    client: Client, heritage_researcher: User, site: Site
) -> None:
    for when, colour in (("2015", "white"), ("2022", "black")):
        observation_record(
            actor=Actor(user=heritage_researcher),
            site=site,
            physical_state="no_visible_change" if when == "2015" else "moderately_damaged",
            certainty="high",
            method="satellite",
            observed_on=when,
            photo=[photo_bytes(colour)],
            photo_name=f"{when}.jpg",
        )
    client.force_login(heritage_researcher)
    page = client.get(f"/heritage/sites/{site.code}/").content.decode()
    assert 'class="compare"' in page
    assert 'type="range"' in page


def test_public_catalogue_lists_only_published_sites_and_never_restricted_evidence(
    client: Client, heritage_researcher: User, reviewer: User, gazetteer: Gazetteer
) -> None:
    published = make_site(heritage_researcher, gazetteer, name="Published mosque", published=True)
    make_site(heritage_researcher, gazetteer, name="Unpublished bath", published=False)
    restricted = ingest_bytes(
        photo_bytes("purple"), name="restricted.jpg", sensitivity="restricted", title_en="Secret photo"
    )
    public = ingest_bytes(photo_bytes("orange"), name="public.jpg", sensitivity="public", title_en="Open photo")
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=published,
        physical_state="slightly_damaged",
        certainty="high",
        method="field_visit",
        observed_on="2021",
        supporting=[restricted, public],
    )
    pending = observation_record(
        actor=Actor(user=heritage_researcher),
        site=published,
        physical_state="destroyed",
        certainty="high",
        method="satellite",
        observed_on="2023",
    )
    catalogue = client.get("/heritage/catalogue/").content.decode()
    assert "Published mosque" in catalogue
    assert "Unpublished bath" not in catalogue
    detail = client.get(f"/heritage/catalogue/{published.code}/").content.decode()
    assert "Open photo" in detail
    assert "Secret photo" not in detail
    assert restricted.sha256[:10] not in detail
    assert str(restricted.public_code) not in detail
    assert pending.code not in detail
    assert client.get("/heritage/catalogue/HS-000002/").status_code == 404
    data = client.get("/heritage/catalogue/map/data.json").json()
    assert [row[0] for row in data["sites"]] == [published.code]
