from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.core.models import AccessLogEntry
from yurd.evidence.models import CustodyEntry, EvidenceItem
from yurd.evidence.services import evidence_link
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes
from yurd.testing.personas import login_verified, make_user
from yurd.testing.responses import streamed

pytestmark = pytest.mark.django_db


def test_archivist_sees_restricted_items_and_the_view_is_logged_twice(
    client: Client, archivist: User, restricted_item: EvidenceItem
) -> None:
    client.force_login(archivist)
    response = client.get(f"/evidence/items/{restricted_item.public_code}/")
    assert response.status_code == 200
    assert restricted_item.sha256 in response.content.decode()
    assert CustodyEntry.objects.filter(
        item_sha256=restricted_item.sha256, action="view", actor=archivist.username
    ).exists()
    assert AccessLogEntry.objects.filter(
        action="view", target_code=str(restricted_item.public_code), username=archivist.username
    ).exists()


def test_download_is_logged_in_custody_and_access_log(
    client: Client, archivist: User, photo_item: EvidenceItem
) -> None:
    client.force_login(archivist)
    response = client.get(f"/evidence/items/{photo_item.public_code}/download/")
    assert response.status_code == 200
    # Consuming the stream closes the file (the test client wraps it); closing again would close the database.
    assert hashlib.sha256(streamed(response)).hexdigest() == photo_item.sha256
    assert CustodyEntry.objects.filter(item_sha256=photo_item.sha256, action="download").exists()
    assert AccessLogEntry.objects.filter(action="download", target_code=str(photo_item.public_code)).exists()


@pytest.mark.parametrize("persona", ["analyst", "assessor", "registrar"])
def test_roles_without_access_never_see_restricted_evidence(
    client: Client,
    request: pytest.FixtureRequest,
    persona: str,
    restricted_item: EvidenceItem,
    public_item: EvidenceItem,
) -> None:
    user = request.getfixturevalue(persona)
    # About a heritage site, so that the analyst, who reads no personal names, may see them.
    for item in (restricted_item, public_item):
        evidence_link(actor=system_actor(), item=item, target_type="heritage.site", target_code="HS-000001")
    client.force_login(user)
    listing = client.get("/evidence/").content.decode()
    assert "Restricted statement" not in listing
    assert "Public note" in listing
    assert client.get(f"/evidence/items/{restricted_item.public_code}/").status_code == 404
    assert client.get(f"/evidence/items/{restricted_item.public_code}/download/").status_code in {403, 404}
    api = client.get("/api/evidence/").json()
    assert restricted_item.sha256 not in str(api)
    assert public_item.sha256 in str(api)


def test_outsider_sees_no_evidence_anywhere(client: Client, outsider: User, public_item: EvidenceItem) -> None:
    client.force_login(outsider)
    assert client.get("/evidence/").status_code == 403
    assert client.get(f"/evidence/items/{public_item.public_code}/").status_code == 403
    assert client.get("/api/evidence/").status_code == 403


def test_anonymous_gets_only_public_thumbnails(client: Client, db: None) -> None:
    public = ingest_bytes(photo_bytes("green"), name="p.jpg", sensitivity="public")
    restricted = ingest_bytes(photo_bytes("blue"), name="r.jpg", sensitivity="restricted")
    response = client.get(f"/evidence/items/{public.public_code}/thumbnail/")
    assert response.status_code == 200
    assert streamed(response).startswith(b"\xff\xd8")
    assert client.get(f"/evidence/items/{restricted.public_code}/thumbnail/").status_code == 404
    assert client.get("/api/evidence/").status_code in {401, 403}


def test_upload_page_stores_the_file_and_a_second_upload_finds_it(client: Client, heritage_researcher: User) -> None:
    client.force_login(heritage_researcher)
    content = photo_bytes("yellow")
    for _attempt in range(2):
        response = client.post(
            "/evidence/add/",
            {
                "file": SimpleUploadedFile("wall.jpg", content, content_type="image/jpeg"),
                "title_en": "North wall",
                "kind": "photo",
                "captured": "08.2021",
                "sensitivity": "internal",
            },
        )
        assert response.status_code == 302
    assert EvidenceItem.objects.count() == 1
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert response["Location"] == f"/evidence/items/{item.public_code}/"


@pytest.mark.parametrize(("persona", "sees_author"), [("analyst", False), ("archivist", True)])
def test_the_author_of_an_item_is_a_name_analysts_never_receive(
    client: Client, request: pytest.FixtureRequest, persona: str, sees_author: bool, public_item: EvidenceItem
) -> None:
    evidence_link(actor=system_actor(), item=public_item, target_type="heritage.site", target_code="HS-000001")
    public_item.author = "Leyla Synthetic-Collector"
    public_item.original_name = "Leyla-Synthetic-Collector-notes.txt"
    public_item.save(update_fields=["author", "original_name"])
    client.force_login(request.getfixturevalue(persona))
    for url in (
        f"/evidence/items/{public_item.public_code}/",
        "/api/evidence/",
        f"/api/evidence/{public_item.public_code}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert ("Synthetic-Collector" in response.content.decode()) is sees_author, url


def test_a_player_gets_the_byte_range_it_asks_for_and_each_part_is_logged(
    client: Client, archivist: User, photo_item: EvidenceItem
) -> None:
    content = photo_bytes()
    url = f"/evidence/items/{photo_item.public_code}/download/"
    client.force_login(archivist)
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert streamed(whole) == content

    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(content)}"
    assert streamed(part) == content[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert streamed(tail) == content[-5:]
    rest = client.get(url, HTTP_RANGE=f"bytes={len(content) - 3}-")
    assert streamed(rest) == content[-3:]

    beyond = client.get(url, HTTP_RANGE=f"bytes={len(content)}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(content)}"

    downloads = CustodyEntry.objects.filter(item_sha256=photo_item.sha256, action="download")
    assert sorted(entry.details.get("bytes", "whole") for entry in downloads) == sorted(
        ["whole", "10-19", f"{len(content) - 5}-{len(content) - 1}", f"{len(content) - 3}-{len(content) - 1}"]
    )


def test_the_admins_evidence_pages_are_logged_like_the_vaults(client: Client, photo_item: EvidenceItem) -> None:
    administrator = make_user("admin-staff", Role.ADMINISTRATOR, is_staff=True)
    login_verified(client, administrator)
    base = f"/admin/evidence/evidenceitem/{photo_item.pk}"
    for url, action in (
        ("/admin/evidence/evidenceitem/", "list"),
        (f"{base}/change/", "view"),
        (f"{base}/history/", "view"),
    ):
        before = AccessLogEntry.objects.filter(username=administrator.username, action=action).count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Mosque, north wall" in response.content.decode(), url
        assert AccessLogEntry.objects.filter(username=administrator.username, action=action).count() == before + 1, url
    assert CustodyEntry.objects.filter(item_sha256=photo_item.sha256, action="view", actor="admin-staff").exists()
