"""Queries per loss item on the filing and valuation paths: they must not grow with the items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.letters import decision_letter_html
from yurd.claims.services.assessment import claim_assess
from yurd.claims.tests.conftest import World, actor, add_item, advance, login, new_claim

STREETS = ["Lenin", "Nizami", "Füzuli", "Sabir", "Vurğun", "Natəvan", "Xətai", "Cavid"]


def _claim_with(world: World, count: int):
    claim = new_claim(world, items=[{"reference": f"House {count}1, {STREETS[0]} street"}])
    for number in range(1, count):
        add_item(world, claim, reference=f"House {count}{number + 1}, {STREETS[number]} street")
    claim.refresh_from_db()
    return claim


@pytest.mark.parametrize("step", ["assess", "claim page", "letter"])
def test_queries_do_not_grow_with_loss_items(
    world: World, assessor: User, reviewer: User, administrator: User, step: str
) -> None:
    counts = {}
    for size in (1, 6):
        claim = _claim_with(world, size)
        if step == "assess":
            claim = advance(claim, to="documents_verified", assessor=assessor, reviewer=reviewer)
            with CaptureQueriesContext(connection) as queries:
                claim_assess(actor=actor(assessor), claim=claim, expected_version=claim.version)
        elif step == "claim page":
            client = login(Client(), administrator)
            url = reverse("claims:claim_detail", args=[claim.case_number])
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
        else:
            claim = advance(claim, to="decided", assessor=assessor, reviewer=reviewer)
            decision = claim.decisions.get()
            with CaptureQueriesContext(connection) as queries:
                decision_letter_html(decision, language="az")
        counts[size] = len(queries)
    print(f"{step}: {counts[1]} queries with 1 item, {counts[6]} with 6")
    # The first claim pays once for what later ones find cached (categories, the table): at most as many.
    assert counts[6] <= counts[1], counts
