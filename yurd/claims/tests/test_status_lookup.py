"""The public status look-up: case number and secret give the state, and nothing else; rate-limited."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from yurd.claims.models import Claim
from yurd.claims.services.case_numbers import secret_matches
from yurd.claims.services.filing import ClaimantShare, claim_create, claim_reissue_secret
from yurd.claims.tests.conftest import World
from yurd.core.actors import system_actor


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _claim_with_secret(world: World) -> tuple[Claim, str]:
    return claim_create(
        actor=system_actor(), household=world.household_a, claimants=[ClaimantShare(world.head_a, Fraction(1))]
    )


def test_correct_secret_shows_the_state_only(world: World) -> None:
    claim, secret = _claim_with_secret(world)
    response = Client().post(
        reverse("claims:status_lookup"), {"case_number": claim.case_number, "secret": secret.lower().replace("-", " ")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Claim {claim.case_number} is: draft." in page
    for private in (world.household_a.code, world.head_a.code, "Məmmədov", "Qarabulaq"):
        assert private not in page


def test_wrong_secret_reveals_nothing_not_even_that_the_case_exists(world: World) -> None:
    claim, _secret = _claim_with_secret(world)
    client = Client()
    wrong = client.post(
        reverse("claims:status_lookup"), {"case_number": claim.case_number, "secret": "AAAA-BBBB-CCCC"}
    ).content.decode()
    missing = client.post(
        reverse("claims:status_lookup"), {"case_number": "CL-2026-999999", "secret": "AAAA-BBBB-CCCC"}
    ).content.decode()
    assert "No claim matches this case number and secret code." in wrong
    assert "draft" not in wrong.lower().split("<main")[1]
    strip = lambda page: page.split("<main")[1].replace(claim.case_number, "X").replace("CL-2026-999999", "X")  # noqa: E731

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", strip(wrong)) == token.sub("", strip(missing))


def test_only_a_hash_of_the_secret_is_stored(world: World) -> None:
    claim, secret = _claim_with_secret(world)
    assert secret not in claim.secret_hash and len(claim.secret_hash) == 64
    assert secret_matches(claim, secret) and not secret_matches(claim, "nope")
    assert not secret_matches(None, secret)


def test_lookups_are_rate_limited_per_address(world: World) -> None:
    claim, secret = _claim_with_secret(world)
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(10):
        client.post(reverse("claims:status_lookup"), {"case_number": claim.case_number, "secret": "WRONG"})
    blocked = client.post(reverse("claims:status_lookup"), {"case_number": claim.case_number, "secret": secret})
    assert blocked.status_code == 429
    assert "draft" not in blocked.content.decode().split("<main")[1]
    other = Client(REMOTE_ADDR="203.0.113.10").post(
        reverse("claims:status_lookup"), {"case_number": claim.case_number, "secret": secret}
    )
    assert other.status_code == 200 and "is: draft" in other.content.decode()


def test_reissued_secret_replaces_the_old_one(world: World) -> None:
    claim, old = _claim_with_secret(world)
    new = claim_reissue_secret(actor=system_actor(), claim=claim)
    claim.refresh_from_db()
    assert secret_matches(claim, new) and not secret_matches(claim, old)
