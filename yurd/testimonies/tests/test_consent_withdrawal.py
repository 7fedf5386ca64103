from __future__ import annotations

import pytest
from django.urls import reverse

from yurd.core.models import AccessLogEntry
from yurd.testimonies.models import ConsentEvent

pytestmark = pytest.mark.django_db


def _everywhere(client, testimony):
    """What the archivist sees of the testimony on each channel."""
    detail = client.get(reverse("testimonies:testimony_detail", args=[testimony.code])).status_code
    listed = testimony.code in client.get(reverse("testimonies:testimony_list")).content.decode()
    search = client.get(reverse("testimonies:search"), {"q": "Qarabulaq"}).content.decode()
    exported = client.post(reverse("testimonies:export"), {"use": "research", "purpose": "oral history study"})
    api_list = client.get(reverse("api:testimony-list")).json()
    api_detail = client.get(reverse("api:testimony-detail", args=[testimony.code])).status_code
    # The project's REST API (/api/) serves the same views.
    rest_list = client.get(reverse("api:testimony-list")).json()
    rest_detail = client.get(reverse("api:testimony-detail", args=[testimony.code])).status_code
    return {
        "rest_list": any(item["code"] == testimony.code for item in rest_list["results"]),
        "rest_detail": rest_detail,
        "detail": detail,
        "listed": listed,
        "searched": testimony.title in search,
        "exported": testimony.code in exported.content.decode(),
        "api_list": any(item["code"] == testimony.code for item in api_list["results"]),
        "api_detail": api_detail,
    }


def test_withdrawal_hides_the_testimony_from_pages_search_exports_and_api_at_once(client, archivist, testimony):
    client.force_login(archivist)
    assert _everywhere(client, testimony) == {
        "rest_list": True,
        "rest_detail": 200,
        "detail": 200,
        "listed": True,
        "searched": True,
        "exported": True,
        "api_list": True,
        "api_detail": 200,
    }
    response = client.post(
        reverse("testimonies:withdraw", args=[testimony.code]), {"reason": "Narrator phoned on 2 June 2025."}
    )
    assert response.status_code == 302
    assert _everywhere(client, testimony) == {
        "rest_list": False,
        "rest_detail": 404,
        "detail": 404,
        "listed": False,
        "searched": False,
        "exported": False,
        "api_list": False,
        "api_detail": 404,
    }
    event = ConsentEvent.objects.get(testimony=testimony, action="withdrawn")
    assert event.by == archivist
    assert AccessLogEntry.objects.filter(user=archivist, action="change", target_code=testimony.code).exists()


def test_withdrawal_needs_a_reason_and_the_permission(client, heritage_researcher, archivist, testimony):
    client.force_login(heritage_researcher)
    url = reverse("testimonies:withdraw", args=[testimony.code])
    assert client.post(url, {"reason": "no"}).status_code == 403
    client.force_login(archivist)
    client.post(url, {"reason": ""})
    testimony.refresh_from_db()
    assert testimony.withdrawn_at is None


def test_export_contains_only_consented_uses_and_is_logged(client, archivist, testimony):
    client.force_login(archivist)
    published = client.post(reverse("testimonies:export"), {"use": "publication", "purpose": "book"})
    assert testimony.code not in published.content.decode()
    assert AccessLogEntry.objects.filter(action="export", purpose="book").exists()
