"""The change log names claims and their loss items by case number and shows each step's reason."""

from __future__ import annotations

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.claims.services.workflow import claim_submit
from yurd.claims.tests.conftest import World, new_claim
from yurd.core.actors import Actor
from yurd.testing.personas import login_verified

pytestmark = pytest.mark.django_db


def test_claims_and_loss_items_are_named_by_case_number_and_steps_keep_their_reason(
    client: Client, auditor: User, world: World
) -> None:
    claim = new_claim(world)
    claim_submit(actor=Actor(user=None), claim=claim, expected_version=claim.version, reason="Papers complete")
    item = claim.loss_items.get()
    login_verified(client, auditor)

    claims = client.get("/audit/changes/", {"model": "claims.claim"}).context["rows"]
    items = client.get("/audit/changes/", {"model": "claims.lossitem"}).context["rows"]

    assert {row.record_label for row in claims} == {claim.case_number}
    assert claims[0].reason == "Papers complete"  # the newest row: the submission
    assert {row.record_label for row in items} == {f"{claim.case_number} / {item.pk}"}
    assert str(claim.pk) != claim.case_number
