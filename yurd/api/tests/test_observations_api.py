"""Recording and reading heritage observations through the API: heritage.services.observation_record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.evidence.models import EvidenceItem, EvidenceLink
from yurd.evidence.tests.conftest import photo_bytes
from yurd.heritage.models import Observation, ObservationStatus, Site
from yurd.heritage.tests.conftest import make_site
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(heritage_researcher: User, gazetteer: Gazetteer) -> Site:
    return make_site(heritage_researcher, gazetteer)


def payload(target: Site, **changes: object) -> dict[str, object]:
    return {
        "site": target.code,
        "physical_state": "slightly_damaged",
        "certainty": "high",
        "method": "field_visit",
        "observed_on": "14.08.2021",
        "summary": "North wall cracked (synthetic).",
        **changes,
    }


def test_researcher_records_an_observation_published_at_once(site: Site, heritage_researcher: User) -> None:
    response = token_client(heritage_researcher).post(reverse("api:observation-list"), payload(site), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    observation = Observation.objects.get(code=body["code"])
    assert observation.status == ObservationStatus.PUBLISHED
    assert body["observed_on"] == "2021-08-14"
    site.refresh_from_db()
    assert site.condition_state == "slightly_damaged"


def test_destroyed_waits_for_a_second_reviewer(site: Site, heritage_researcher: User) -> None:
    response = token_client(heritage_researcher).post(
        reverse("api:observation-list"), payload(site, physical_state="destroyed"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == ObservationStatus.PENDING_REVIEW
    site.refresh_from_db()
    assert site.condition_state == "unknown"


def test_photo_upload_is_stored_and_linked(site: Site, heritage_researcher: User) -> None:
    data = payload(site)
    data["photo"] = _upload("wall.jpg", photo_bytes("blue"))
    response = token_client(heritage_researcher).post(reverse("api:observation-list"), data, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    item = EvidenceItem.objects.get()
    assert body["evidence"] == [{"evidence": str(item.public_code), "relation": "supports"}]
    assert EvidenceLink.objects.filter(item=item, target_code=body["code"]).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"physical_state": "gone"}, "physical_state"),
        ({"observed_on": ""}, "observed_on"),
        ({"observed_on": "31.02.2021"}, "observed_on"),
        ({"site": "HS-NONE"}, "site"),
        ({"alterations": ["painted"]}, "alterations"),
        ({"supporting": ["00000000-0000-0000-0000-000000000000"]}, "supporting"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    site: Site, heritage_researcher: User, changes: dict[str, object], field: str
) -> None:
    response = token_client(heritage_researcher).post(
        reverse("api:observation-list"), payload(site, **changes), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Observation.objects.exists()


def test_bad_date_with_a_photo_stores_no_photo(site: Site, heritage_researcher: User) -> None:
    data = payload(site, observed_on="")
    data["photo"] = _upload("wall.jpg", photo_bytes("green"))
    response = token_client(heritage_researcher).post(reverse("api:observation-list"), data, format="multipart")
    assert response.status_code == 400
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "analyst", "registrar", "outsider"])
def test_other_roles_may_not_record(
    site: Site, persona: str, request: pytest.FixtureRequest, gazetteer: Gazetteer
) -> None:
    user = request.getfixturevalue(persona)
    response = token_client(user).post(reverse("api:observation-list"), payload(site), format="json")
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_list_and_detail_are_logged_and_hide_the_observer_from_analysts(
    site: Site, heritage_researcher: User, analyst: User
) -> None:
    token_client(heritage_researcher).post(reverse("api:observation-list"), payload(site), format="json")
    observation = Observation.objects.get()
    researcher_view = token_client(heritage_researcher).get(reverse("api:observation-detail", args=[observation.code]))
    assert researcher_view.json()["observer"] == heritage_researcher.username
    client = token_client(analyst)
    listed = client.get(reverse("api:observation-list"), {"site": site.code}).json()
    assert [item["code"] for item in listed["results"]] == [observation.code]
    assert listed["results"][0]["observer"] is None
    assert client.get(reverse("api:observation-list"), {"site": "HS-OTHER"}).json()["count"] == 0
    assert client.get(reverse("api:observation-list"), {"status": "nonsense"}).status_code == 400
    assert AccessLogEntry.objects.filter(
        action=AccessAction.VIEW, target_code=observation.code, channel=Channel.API
    ).exists()


def test_outsider_may_not_read_observations(outsider: User) -> None:
    assert token_client(outsider).get(reverse("api:observation-list")).status_code == 403


def _upload(name: str, content: bytes) -> object:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_list_takes_the_same_number_of_queries_for_more_observations(
    site: Site, heritage_researcher: User, gazetteer: Gazetteer
) -> None:
    client = token_client(heritage_researcher)
    client.post(reverse("api:observation-list"), payload(site), format="json")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("api:observation-list")).status_code == 200
        return len(captured)

    few = queries()
    other = make_site(heritage_researcher, gazetteer, name="Bridge (synthetic)")
    for target in (site, other, other):
        client.post(reverse("api:observation-list"), payload(target), format="json")
    assert queries() == few
