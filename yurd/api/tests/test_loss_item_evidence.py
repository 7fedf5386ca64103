"""A claim's loss items carry their evidence references over the API, under the vault's rule:
a reference to evidence the reader may not see is left out, as on the claim page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.claims.models import Claim
from yurd.claims.tests import conftest as claims_conftest
from yurd.claims.tests.conftest import World, new_claim
from yurd.evidence.models import EvidenceItem, Sensitivity
from yurd.evidence.tests.conftest import ingest_bytes

pytestmark = pytest.mark.django_db

world = claims_conftest.world

UNKNOWN = "f" * 64  # a SHA-256 the vault does not hold


@pytest.fixture
def vault() -> dict[str, EvidenceItem]:
    return {
        "internal": ingest_bytes(b"deed of the house (synthetic)", name="deed.pdf"),
        "restricted": ingest_bytes(b"medical note (synthetic)", name="note.pdf", sensitivity=Sensitivity.RESTRICTED),
    }


@pytest.fixture
def claim(world: World, vault: dict[str, EvidenceItem]) -> Claim:
    # The internal item cited by its SHA-256, the restricted one by its UUID, as the claim form takes them.
    return new_claim(
        world,
        items=[{"evidence": [vault["internal"].sha256, str(vault["restricted"].public_code), UNKNOWN]}],
    )


def evidence_of(user: User, claim: Claim) -> list[dict[str, object]]:
    response = token_client(user).get(reverse("api:claim-loss-items", args=[claim.case_number]))
    assert response.status_code == 200, response.content
    (item,) = response.json()["results"]
    return item["evidence"]


def test_registrar_sees_the_references_to_evidence_she_may_see(
    claim: Claim, vault: dict[str, EvidenceItem], registrar: User
) -> None:
    assert evidence_of(registrar, claim) == [
        {"reference": vault["internal"].sha256, "note": "", "evidence": str(vault["internal"].public_code)},
        {"reference": UNKNOWN, "note": "", "evidence": None},
    ]


def test_a_reference_to_restricted_evidence_is_not_revealed(
    claim: Claim, vault: dict[str, EvidenceItem], assessor: User
) -> None:
    response = token_client(assessor).get(reverse("api:claim-loss-items", args=[claim.case_number]))
    content = response.content.decode()
    assert str(vault["restricted"].public_code) not in content
    assert vault["restricted"].sha256 not in content
    assert len(response.json()["results"][0]["evidence"]) == 2


def test_administrator_sees_every_reference(claim: Claim, vault: dict[str, EvidenceItem], administrator: User) -> None:
    shown = evidence_of(administrator, claim)
    assert [entry["evidence"] for entry in shown] == [
        str(vault["internal"].public_code),
        str(vault["restricted"].public_code),
        None,
    ]


def test_the_schema_documents_the_evidence_references(registrar: User) -> None:
    schema = token_client(registrar).get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    evidence = components["LossItem"]["properties"]["evidence"]
    assert evidence["type"] == "array"
    assert evidence["readOnly"] is True
    referenced = components[evidence["items"]["$ref"].rsplit("/", 1)[1]]
    assert referenced["properties"]["evidence"] == {
        "type": "string",
        "format": "uuid",
        "readOnly": True,
        "nullable": True,
        "description": referenced["properties"]["evidence"]["description"],
    }
    assert set(referenced["properties"]) == {"reference", "note", "evidence"}
