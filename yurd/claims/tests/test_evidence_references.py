"""The claim page shows a loss item's evidence references under the vault's rule: a reference
to evidence the reader may not see is left out; one the reader may see links to the item."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.selectors import loss_item_evidence
from yurd.claims.tests.conftest import World, login, new_claim
from yurd.core.actors import system_actor
from yurd.evidence.models import Sensitivity
from yurd.evidence.selectors import visible_evidence
from yurd.evidence.services import evidence_link
from yurd.evidence.tests.conftest import ingest_bytes

pytestmark = pytest.mark.django_db


def test_claim_page_hides_references_to_restricted_evidence(world: World, registrar: User) -> None:
    internal = ingest_bytes(b"deed of the house (synthetic)", name="deed.pdf")
    restricted = ingest_bytes(b"medical note (synthetic)", name="note.pdf", sensitivity=Sensitivity.RESTRICTED)
    claim = new_claim(world, items=[{"evidence": [internal.sha256, restricted.sha256]}])
    page = login(Client(), registrar).get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode()
    assert reverse("evidence:item_detail", args=[internal.public_code]) in page
    assert internal.sha256[:13] in page
    assert restricted.sha256[:13] not in page
    assert str(restricted.public_code) not in page


def test_the_evidence_of_many_loss_items_costs_three_queries(world: World, assessor: User) -> None:
    items = [{"reference": f"House {number}", "evidence": [f"{number:064x}"]} for number in range(1, 6)]
    items.append({"reference": "House 9", "evidence": [ingest_bytes(b"plan (synthetic)").sha256]})
    claim = new_claim(world, items=items)
    loss_items = list(claim.loss_items.all())
    assessor.has_perm("evidence.view_evidenceitem")  # the user's permissions, cached as a request does
    with CaptureQueriesContext(connection) as queries:
        shown = loss_item_evidence(items=loss_items, user=assessor)
    # The references, the vault items they name, and which of those the assessor may see.
    assert len(queries.captured_queries) == 3
    assert sum(len(references) for references in shown.values()) == 6


def test_evidence_cited_by_a_claim_outside_the_scope_is_hidden_in_the_vault(world: World, registrar: User) -> None:
    """Issue 15: a loss item of a district B claim cites two vault items, by SHA-256 and by
    UUID (as typed, upper case); a district A registrar sees neither, on any channel."""
    by_hash = ingest_bytes(b"deed of a house in B (synthetic)", name="deed-b.pdf")
    by_code = ingest_bytes(b"photo of a house in B (synthetic)", name="house-b.jpg")
    own = ingest_bytes(b"deed of a house in A (synthetic)", name="deed-a.pdf")
    new_claim(
        world, household=world.household_b, items=[{"evidence": [by_hash.sha256, str(by_code.public_code).upper()]}]
    )
    new_claim(world, items=[{"evidence": [own.sha256]}])
    client = login(Client(), registrar)
    listed = client.get(reverse("api:evidence-list")).json()["results"]
    assert {row["public_code"] for row in listed} == {str(own.public_code)}
    for item in (by_hash, by_code):
        assert client.get(reverse("evidence:item_detail", args=[item.public_code])).status_code == 404
    assert client.get(reverse("evidence:item_detail", args=[own.public_code])).status_code == 200


def test_evidence_a_claim_cites_is_hidden_from_the_analyst(world: World, analyst: User) -> None:
    """A photo of a heritage site that a loss item also cites may show the claimant's house:
    the analyst, who reads no personal names, does not see it; the same photo uncited she does."""
    cited = ingest_bytes(b"photo of the bridge by the house (synthetic)", name="bridge-house.jpg")
    uncited = ingest_bytes(b"photo of the bridge (synthetic)", name="bridge.jpg")
    for item in (cited, uncited):
        evidence_link(actor=system_actor(), item=item, target_type="heritage.site", target_code="HS-000001")
    new_claim(world, items=[{"evidence": [str(cited.public_code)]}])
    assert set(visible_evidence(analyst)) == {uncited}
    client = login(Client(), analyst)
    assert client.get(reverse("evidence:item_detail", args=[cited.public_code])).status_code == 404
    assert client.get(reverse("evidence:item_detail", args=[uncited.public_code])).status_code == 200
