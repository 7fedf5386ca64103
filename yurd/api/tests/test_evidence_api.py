"""Evidence through the API: ingest by multipart upload (hashed, stored unaltered), metadata reads
with the vault's visibility rules, the custody log and the access log."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.core.actors import system_actor
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.evidence.models import CustodyAction, CustodyEntry, EvidenceItem, Sensitivity
from yurd.evidence.services import evidence_link
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 synthetic archival letter\n" + bytes(range(256)) * 64


def upload(content: bytes = CONTENT, **fields: object) -> dict[str, object]:
    return {"file": SimpleUploadedFile("letter.pdf", content, content_type="application/pdf"), **fields}


def test_archivist_ingests_a_file_stored_byte_for_byte(archivist: User, gazetteer: Gazetteer) -> None:
    digest = hashlib.sha256(CONTENT).hexdigest()
    response = token_client(archivist).post(
        reverse("api:evidence-list"),
        upload(
            sha256=digest, title_en="Letter (synthetic)", kind="archival_document", captured="11.1988", place="TST-S11"
        ),
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == digest
    assert body["sha512"] == hashlib.sha512(CONTENT).hexdigest()
    assert body["place"] == "TST-S11"
    item = EvidenceItem.objects.get(sha256=digest)
    with default_storage.open(item.storage_name, "rb") as handle:
        assert handle.read() == CONTENT
    entry = CustodyEntry.objects.get(item_sha256=digest, action=CustodyAction.INGEST)
    assert entry.actor == archivist.username
    assert entry.channel == Channel.API


def test_the_same_bytes_again_give_the_same_item(archivist: User) -> None:
    client = token_client(archivist)
    first = client.post(reverse("api:evidence-list"), upload(), format="multipart")
    again = client.post(reverse("api:evidence-list"), upload(title_en="Other title"), format="multipart")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["public_code"] == first.json()["public_code"]
    assert EvidenceItem.objects.count() == 1


def test_a_hash_mismatch_is_refused_before_storing(archivist: User) -> None:
    response = token_client(archivist).post(reverse("api:evidence-list"), upload(sha256="0" * 64), format="multipart")
    assert response.status_code == 400
    assert "sha256" in response.json()
    assert not EvidenceItem.objects.exists()
    assert not CustodyEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"captured": "sometime"}, "captured"),
        ({"kind": "painting"}, "kind"),
        ({"place": "NOWHERE"}, "place"),
        ({"sensitivity": "secret"}, "sensitivity"),
    ],
)
def test_bad_metadata_names_the_field(archivist: User, fields: dict[str, str], field: str) -> None:
    response = token_client(archivist).post(reverse("api:evidence-list"), {**upload(), **fields}, format="multipart")
    assert response.status_code == 400
    assert field in response.json()
    assert not EvidenceItem.objects.exists()


def test_missing_file_is_refused(archivist: User) -> None:
    response = token_client(archivist).post(reverse("api:evidence-list"), {"title_en": "x"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


@pytest.mark.parametrize("persona", ["analyst", "assessor", "reviewer", "outsider"])
def test_roles_without_ingest_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    response = token_client(user).post(reverse("api:evidence-list"), upload(), format="multipart")
    assert response.status_code == 403
    assert not EvidenceItem.objects.exists()


def test_restricted_items_are_invisible_without_the_permission(registrar: User, archivist: User) -> None:
    restricted = ingest_bytes(b"restricted statement (synthetic)", sensitivity=Sensitivity.RESTRICTED)
    internal = ingest_bytes(b"internal note (synthetic)")
    registrar_client = token_client(registrar)
    listed = registrar_client.get(reverse("api:evidence-list")).json()
    assert [item["public_code"] for item in listed["results"]] == [str(internal.public_code)]
    detail = registrar_client.get(reverse("api:evidence-detail", args=[restricted.public_code]))
    assert detail.status_code == 404
    archivist_view = token_client(archivist).get(reverse("api:evidence-detail", args=[restricted.public_code]))
    assert archivist_view.status_code == 200
    assert CustodyEntry.objects.filter(
        item_sha256=restricted.sha256, action=CustodyAction.VIEW, actor=archivist.username
    ).exists()
    assert AccessLogEntry.objects.filter(
        action=AccessAction.VIEW, target_code=str(restricted.public_code), channel=Channel.API
    ).exists()


def test_outsider_reads_no_evidence(outsider: User) -> None:
    ingest_bytes(b"internal note (synthetic)")
    assert token_client(outsider).get(reverse("api:evidence-list")).status_code == 403


def test_a_content_type_with_control_characters_is_not_stored(archivist: User) -> None:
    """A multipart part may claim any content type; PostgreSQL refuses NUL in text, and a header
    built from it later must not carry control characters."""
    file = SimpleUploadedFile("letter.pdf", CONTENT, content_type="application/pdf\x00<script>")
    response = token_client(archivist).post(reverse("api:evidence-list"), {"file": file}, format="multipart")
    assert response.status_code == 201, response.content
    assert EvidenceItem.objects.get().media_type == "application/pdf"


def test_the_schema_allows_the_nulls_an_item_is_read_with(analyst: User) -> None:
    """An item without a place, read by a role without names: both are null, and the schema
    says they may be (schemathesis found each as a schema violation)."""
    item = ingest_bytes(b"scan without a place (synthetic)", author="Collector (synthetic)")
    evidence_link(actor=system_actor(), item=item, target_type="heritage.site", target_code="HS-000001")
    client = token_client(analyst)
    (item,) = client.get(reverse("api:evidence-list")).json()["results"]
    assert item["place"] is None
    assert item["author"] is None
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    properties = schema["components"]["schemas"]["EvidenceItem"]["properties"]
    assert properties["place"]["nullable"] is True
    assert properties["author"]["nullable"] is True
