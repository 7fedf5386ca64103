"""Roles, scopes and the access log on every claim page and export."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.tests.conftest import World, advance, login, new_claim
from yurd.core.models import AccessAction, AccessLogEntry


def test_registrar_sees_only_claims_of_her_district(world: World, registrar: User) -> None:
    inside = new_claim(world)
    outside = new_claim(world, household=world.household_b)
    client = login(Client(), registrar)
    listing = client.get(reverse("claims:claim_list")).content.decode()
    assert inside.case_number in listing and outside.case_number not in listing
    assert client.get(reverse("claims:claim_detail", args=[outside.case_number])).status_code == 404
    assert client.get(reverse("claims:claim_detail", args=[inside.case_number])).status_code == 200


def test_registrar_cannot_file_for_a_household_outside_her_scope(world: World, registrar: User) -> None:
    client = login(Client(), registrar)
    response = client.post(
        reverse("claims:claim_create"),
        {
            "household": world.household_b.code,
            "remedy": "compensation",
            "language": "az",
            "claimants": [world.head_b.code],
        },
    )
    assert "No household with this code within your scope." in response.content.decode()


def test_claim_view_is_logged(world: World, assessor: User) -> None:
    claim = new_claim(world)
    login(Client(), assessor).get(reverse("claims:claim_detail", args=[claim.case_number]))
    entry = AccessLogEntry.objects.get(action=AccessAction.VIEW, target_code=claim.case_number)
    assert entry.username == assessor.username and entry.target_type == "claims.claim"


def test_analyst_and_outsider_cannot_open_claims(world: World, analyst: User, outsider: User) -> None:
    claim = new_claim(world)
    for person in (analyst, outsider):
        client = login(Client(), person)
        assert client.get(reverse("claims:claim_detail", args=[claim.case_number])).status_code == 403
        assert client.get(reverse("claims:claim_list")).status_code == 403
    assert login(Client(), analyst).get(reverse("claims:progress")).status_code == 200
    assert login(Client(), outsider).get(reverse("claims:progress")).status_code == 403


def test_export_requires_a_purpose_and_is_logged(world: World, registrar: User) -> None:
    claim = new_claim(world)
    new_claim(world, household=world.household_b)
    client = login(Client(), registrar)
    assert client.post(reverse("claims:claim_export"), {"purpose": ""}).status_code == 200
    response = client.post(reverse("claims:claim_export"), {"purpose": "Monthly report to the board"})
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert claim.case_number in body and world.household_b.code not in body
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert entry.purpose == "Monthly report to the board"


def test_letter_download_is_logged(world: World, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    response = login(Client(), reviewer).get(reverse("claims:decision_letter", args=[claim.case_number, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD, target_type="claims.decision").exists()


def test_pages_render_for_their_roles(world: World, administrator: User, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    client = login(Client(), administrator)
    for url in [
        reverse("claims:claim_list"),
        reverse("claims:claim_create"),
        reverse("claims:claim_detail", args=[claim.case_number]),
        reverse("claims:decision_detail", args=[claim.case_number, 1]) + "?verify=1",
        reverse("claims:valuation_list"),
        reverse("claims:valuation_detail", args=[world.table.version]),
        reverse("claims:valuation_import"),
        reverse("claims:cohort_list"),
        reverse("claims:progress"),
        reverse("claims:progress_households"),
        reverse("claims:status_lookup"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        "identical, byte for byte"
        in client.get(reverse("claims:decision_detail", args=[claim.case_number, 1]) + "?verify=1").content.decode()
    )


def test_claim_list_query_count_does_not_grow_with_claims(
    world: World, registrar: User, django_assert_max_num_queries
) -> None:
    for _number in range(6):
        new_claim(world, items=[])
    client = login(Client(), registrar)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("claims:claim_list"))
    assert response.status_code == 200


def test_a_step_the_role_may_not_take_is_refused_before_the_claim_is_looked_up(
    world: World, analyst: User, registrar: User
) -> None:
    """The analyst's POST to a step is refused alike for a case that exists and one that does
    not (no redirect to the claim); a registrar's step on a claim outside her scope is a 404."""
    claim = new_claim(world, household=world.household_b)
    analyst_client = login(Client(), analyst)
    for case_number in (claim.case_number, "CL-2099-999999"):
        response = analyst_client.post(reverse("claims:claim_transition", args=[case_number, "submit"]), {})
        assert response.status_code == 403, case_number
    response = login(Client(), registrar).post(
        reverse("claims:claim_transition", args=[claim.case_number, "submit"]), {"version": claim.version}
    )
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == "draft"
