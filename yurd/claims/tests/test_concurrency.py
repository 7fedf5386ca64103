"""Two people editing one claim: the second gets a conflict notice, never a silent overwrite."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.errors import ConcurrentEditError
from yurd.claims.models import Claim
from yurd.claims.services.filing import ClaimantShare, claim_update
from yurd.claims.services.workflow import claim_submit, claim_withdraw
from yurd.claims.tests.conftest import World, actor, login, new_claim


def test_second_editor_with_a_stale_version_is_refused(world: World, registrar: User) -> None:
    claim = new_claim(world)
    first_read = Claim.objects.get(pk=claim.pk)
    second_read = Claim.objects.get(pk=claim.pk)
    claimants = [ClaimantShare(world.head_a, Fraction(1))]
    claim_update(
        actor=actor(registrar),
        claim=first_read,
        expected_version=first_read.version,
        remedy="restitution",
        language="ru",
        notes="first",
        claimants=claimants,
    )
    with pytest.raises(ConcurrentEditError, match="Someone else changed claim"):
        claim_update(
            actor=actor(registrar),
            claim=second_read,
            expected_version=second_read.version,
            remedy="compensation",
            language="az",
            notes="second",
            claimants=claimants,
        )
    claim.refresh_from_db()
    assert (claim.remedy, claim.notes) == ("restitution", "first")


def test_stale_transition_is_refused(world: World) -> None:
    claim = new_claim(world)
    stale = claim.version
    claim_submit(actor=actor(None), claim=claim, expected_version=stale)
    with pytest.raises(ConcurrentEditError):
        claim_withdraw(actor=actor(None), claim=claim, expected_version=stale, reason="x")


def test_edit_page_shows_the_conflict_notice(world: World, registrar: User) -> None:
    claim = new_claim(world)
    client = login(Client(), registrar)
    url = reverse("claims:claim_edit", args=[claim.case_number])
    form = {
        "remedy": "restitution",
        "language": "az",
        "notes": "",
        "claimants": [world.head_a.code],
        f"share_{world.head_a.code}": "1",
    }
    assert client.post(url, {**form, "version": claim.version}).status_code == 302
    response = client.post(url, {**form, "notes": "late", "version": claim.version})
    assert response.status_code == 200
    assert "Someone else changed claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.notes == ""
