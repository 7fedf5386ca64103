"""Paging the evidence list keeps the filters: page 2 of the documents is still documents."""

from __future__ import annotations

import re

from django.test import Client

from yurd.accounts.models import User
from yurd.evidence.models import EvidenceKind
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes


def test_next_page_link_keeps_the_active_filters(client: Client, archivist: User) -> None:
    for number in range(51):
        ingest_bytes(
            f"letter {number}, synthetic".encode(), name=f"letter-{number}.txt", kind=EvidenceKind.ARCHIVAL_DOCUMENT
        )
    ingest_bytes(photo_bytes(), name="orchard.jpg", kind=EvidenceKind.PHOTO, title_en="Orchard photo")
    client.force_login(archivist)

    first = client.get("/evidence/", {"kind": EvidenceKind.ARCHIVAL_DOCUMENT, "q": ""}).content.decode()
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert next_link is not None
    assert next_link.group(1) == "?kind=archival_document&amp;q=&amp;page=2"

    second = client.get("/evidence/" + next_link.group(1).replace("&amp;", "&")).content.decode()
    assert "Page 2 of 2" in second
    # 51 documents: one on page 2 (without the filter, 52 items would leave two there).
    assert len(re.findall(r'href="/evidence/items/[^/"]+/"', second)) == 1
    assert "Orchard photo" not in first + second
