"""The analyst, who reads no personal names, sees only evidence about heritage.

An item's title and links name the people, households and claims it documents, and an
item that documents nothing yet may name anyone: the vault shows the analyst only items
that document heritage records and nothing else (list, page, download, thumbnail, API).
"""

from __future__ import annotations

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.evidence.models import EvidenceItem
from yurd.evidence.selectors import visible_evidence
from yurd.evidence.services import evidence_link
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes

pytestmark = pytest.mark.django_db


def _item(title: str, *targets: tuple[str, str]) -> EvidenceItem:
    item = ingest_bytes(photo_bytes(size=(20, 10 + len(title))), name="photo.jpg", kind="photo", title_en=title)
    for target_type, target_code in targets:
        evidence_link(actor=system_actor(), item=item, target_type=target_type, target_code=target_code)
    return item


def test_the_analyst_sees_heritage_evidence_only(client: Client, analyst: User, archivist: User) -> None:
    heritage = _item("Bridge, east arch", ("heritage.site", "HS-000001"), ("heritage.observation", "OBS-000001"))
    hidden = [
        _item("Qaraxanli family passport", ("registry.person", "P-0000001")),
        _item("Qaraxanli household deed", ("registry.household", "HH-000001")),
        _item("Qaraxanli house before 1988", ("heritage.site", "HS-000001"), ("claims.claim", "CL-2026-000001")),
        _item("Qaraxanli letter, not yet linked"),
    ]
    assert set(visible_evidence(analyst)) == {heritage}
    assert set(visible_evidence(archivist)) == {heritage, *hidden}

    client.force_login(analyst)
    for url in ("/evidence/", "/evidence/api/items/", "/api/evidence/", "/api/evidence/?q=Qaraxanli"):
        text = client.get(url).content.decode()
        assert "Qaraxanli" not in text, url
    assert "Bridge, east arch" in client.get("/evidence/").content.decode()
    assert client.get(f"/evidence/items/{heritage.public_code}/").status_code == 200
    for item in hidden:
        for url in (
            f"/evidence/items/{item.public_code}/",
            f"/evidence/items/{item.public_code}/thumbnail/",
            f"/api/evidence/{item.public_code}/",
        ):
            assert client.get(url).status_code in {403, 404}, url
