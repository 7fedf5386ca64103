"""The item page shows its custody log: every access, in the chain's order, newest first."""

from __future__ import annotations

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.core.actors import Actor, system_actor
from yurd.evidence.models import EvidenceItem, LinkRelation, Sensitivity
from yurd.evidence.services import evidence_change_sensitivity, evidence_link, evidence_record_transfer
from yurd.testing.responses import streamed

pytestmark = pytest.mark.django_db


def test_the_item_page_lists_its_custody_entries_with_their_details(
    client: Client, archivist: User, restricted_item: EvidenceItem
) -> None:
    evidence_record_transfer(
        actor=Actor(user=archivist), item=restricted_item, recipient="Court registry", note="sealed envelope 4"
    )
    client.force_login(archivist)
    download = client.get(f"/evidence/items/{restricted_item.public_code}/download/")
    # Read through, not .close(): the test client closes a streamed response with Django's
    # close_old_connections disconnected; calling close() here would drop PostgreSQL's connection.
    assert streamed(download)

    page = client.get(f"/evidence/items/{restricted_item.public_code}/").content.decode()

    log = page[page.index('id="custody-heading"') :]
    log = log[: log.index("</table>")]
    rows = log.split("<tr>")[2:]  # past the header row
    assert [row.split("data-label")[3].split("</td>")[0].split(">")[-1] for row in rows] == [
        "viewed", "downloaded", "transferred", "ingested",
    ]  # fmt: skip
    # Details in the order the database keeps them (PostgreSQL's jsonb sorts the keys).
    assert "recipient: Court registry" in log and "note: sealed envelope 4" in log
    assert archivist.username in log
    assert restricted_item.sha512 not in log  # digests are for `yurd evidence verify`, not for reading


def test_the_custody_log_is_translated(client: Client, archivist: User, restricted_item: EvidenceItem) -> None:
    client.force_login(archivist)
    page = client.get(f"/evidence/items/{restricted_item.public_code}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Журнал хранения" in page and ">Кто<" in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("az", ["sistem", "Ailə HH-000042", "əlaqə: təsdiqləyir", "məhdud", "daxili"]),
        ("ru", ["система", "Семья HH-000042", "связь: подтверждает", "ограниченный", "внутренний"]),
    ],
)
def test_the_custody_logs_actor_and_details_are_named_in_the_pages_language(
    client: Client, archivist: User, restricted_item: EvidenceItem, language: str, expected: list[str]
) -> None:
    actor = system_actor()
    evidence_link(
        actor=actor,
        item=restricted_item,
        target_type="registry.household",
        target_code="HH-000042",
        relation=LinkRelation.SUPPORTS,
    )
    evidence_change_sensitivity(
        actor=actor, item=restricted_item, sensitivity=Sensitivity.INTERNAL, reason="cleared for staff"
    )
    client.force_login(archivist)
    client.cookies["django_language"] = language

    page = client.get(f"/evidence/items/{restricted_item.public_code}/", HTTP_ACCEPT_LANGUAGE=language)

    log = page.content.decode()
    log = log[log.index('id="custody-heading"') : log.index("</table>", log.index('id="custody-heading"'))]
    for text in expected:
        assert text in log
    for code in ("system", "registry.household", "supports", "restricted", "internal"):
        assert code not in log
