"""Claims and heritage sites through the API: the claims app's selectors and scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.serializers import ClaimSerializer, HeritageSiteSerializer
from yurd.api.tests.test_read import _serialized, token_client
from yurd.claims.models import Claim
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.heritage.models import Site
from yurd.heritage.tests.conftest import make_site
from yurd.reports.tests.data import populate
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def make_claims(gazetteer: Gazetteer) -> list[Claim]:
    households = populate(gazetteer)
    return [
        Claim.objects.create(case_number=f"CL-T-{index:04d}", household=household, secret_hash="0" * 64)
        for index, household in enumerate(households[:3])
    ]


def test_assessor_lists_and_opens_claims_logged(gazetteer: Gazetteer, assessor: User) -> None:
    claims = make_claims(gazetteer)
    client = token_client(assessor)
    body = client.get(reverse("api:claim-list")).json()
    assert body["count"] == 3
    detail = client.get(reverse("api:claim-detail", args=[claims[0].case_number])).json()
    assert detail["household"] == claims[0].household.code
    assert AccessLogEntry.objects.filter(
        action=AccessAction.VIEW, target_code=claims[0].case_number, channel=Channel.API
    ).exists()


def test_analyst_cannot_read_claims(gazetteer: Gazetteer, analyst: User) -> None:
    make_claims(gazetteer)
    assert token_client(analyst).get(reverse("api:claim-list")).status_code == 403


def test_unknown_claim_is_not_found(gazetteer: Gazetteer, assessor: User) -> None:
    assert token_client(assessor).get(reverse("api:claim-detail", args=["CL-NONE"])).status_code == 404


def test_heritage_sites_list(heritage_researcher: User) -> None:
    response = token_client(heritage_researcher).get(reverse("api:heritage-site-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_claim_and_site_lists_are_exactly_what_the_serializers_make(
    gazetteer: Gazetteer, assessor: User, heritage_researcher: User
) -> None:
    """Both lists are read as plain values for speed; they must match the serializers."""
    claims = make_claims(gazetteer)
    Claim.objects.filter(pk=claims[0].pk).update(
        total_value=Decimal("1234.5"), currency="AZN", decided_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    )
    body = token_client(assessor).get(reverse("api:claim-list")).json()
    expected = _serialized(ClaimSerializer, Claim.objects.order_by("-case_number"), assessor)
    assert body["results"] == expected
    assert {item["total_value"] for item in body["results"]} == {"1234.50", None}
    for number in range(3):
        make_site(heritage_researcher, gazetteer, name=f"Site {number}", published=number != 1)
    body = token_client(heritage_researcher).get(reverse("api:heritage-site-list"), {"page_size": 2}).json()
    assert body["count"] == 3
    assert body["results"] == _serialized(
        HeritageSiteSerializer, Site.objects.order_by("code")[:2], heritage_researcher
    )
