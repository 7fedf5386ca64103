"""Loss items, decisions, heirs, consents, site names and testimony media through the API:
each with its page's permissions, scope and selector, logged, and without names for
users who may not see names."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.claims.tests import conftest as claims_conftest
from yurd.claims.tests.conftest import World, advance, new_claim
from yurd.core.actors import Actor, system_actor
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.evidence.services import evidence_ingest
from yurd.heritage.tests.conftest import make_site
from yurd.registry import services as registry_services
from yurd.registry.models import Kinship
from yurd.testimonies import services as testimony_services
from yurd.testimonies.tests.conftest import make_testimony
from yurd.testing.personas import Gazetteer, make_user

pytestmark = pytest.mark.django_db

# The claims tests' world: two households in two districts, a deceased grandfather, a table.
world = claims_conftest.world


def logged(code: str, page: str) -> bool:
    return AccessLogEntry.objects.filter(
        action=AccessAction.VIEW, target_code=code, channel=Channel.API, detail__page=page
    ).exists()


def claims_reader_without_names() -> User:
    """Someone who may read claims but not names: only analysts lack names among the roles,
    and they may not read claims, so the rule is tested with direct permissions."""
    user = make_user("reader-nameless")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="claims", codename__in=["view_claim", "view_decision"])
    )
    return User.objects.get(pk=user.pk)


# --- Claims: loss items and decisions --------------------------------------------------------


def test_registrar_reads_loss_items_of_a_claim_in_scope(world: World, registrar: User) -> None:
    claim = new_claim(world, items=[{"original_owner": world.grandfather_a}])
    response = token_client(registrar).get(reverse("api:claim-loss-items", args=[claim.case_number]))
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["category"] == "dwelling"
    assert world.household_a.origin_place is not None
    assert item["place"] == world.household_a.origin_place.code
    assert item["original_owner"] == world.grandfather_a.code
    assert "Həsən" in item["original_owner_name"]
    assert item["quantity"] == "120.0000"
    assert logged(claim.case_number, "loss items")


def test_loss_items_withhold_the_owner_name_from_users_without_names(world: World) -> None:
    claim = new_claim(world, items=[{"original_owner": world.grandfather_a}])
    response = token_client(claims_reader_without_names()).get(
        reverse("api:claim-loss-items", args=[claim.case_number])
    )
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["original_owner"] == world.grandfather_a.code
    assert item["original_owner_name"] is None
    assert "Həsən" not in response.content.decode()
    assert "Məmmədov" not in response.content.decode()


def test_claim_parts_outside_scope_are_not_found(world: World, registrar: User) -> None:
    claim = new_claim(world, household=world.household_b)
    client = token_client(registrar)
    assert client.get(reverse("api:claim-loss-items", args=[claim.case_number])).status_code == 404
    assert client.get(reverse("api:claim-decisions", args=[claim.case_number])).status_code == 404
    assert client.get(reverse("api:claim-loss-items", args=["CL-NONE"])).status_code == 404


def test_analyst_and_outsider_cannot_read_claim_parts(world: World, analyst: User, outsider: User) -> None:
    claim = new_claim(world)
    for user in (analyst, outsider):
        client = token_client(user)
        assert client.get(reverse("api:claim-loss-items", args=[claim.case_number])).status_code == 403
        assert client.get(reverse("api:claim-decisions", args=[claim.case_number])).status_code == 403


def test_auditor_reads_the_decisions_of_a_claim(world: World, assessor: User, reviewer: User, auditor: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    response = token_client(auditor).get(reverse("api:claim-decisions", args=[claim.case_number]))
    assert response.status_code == 200
    (decision,) = response.json()["results"]
    assert decision["number"] == 1
    assert decision["public_code"] == f"{claim.case_number}/D1"
    assert decision["table_version"] == world.table.version
    assert len(decision["content_hash"]) == 64
    assert decision["supersedes"] is None
    assert logged(claim.case_number, "decisions")


# --- Registry: heirs and consents ------------------------------------------------------------


def test_registrar_reads_heirs_in_scope_only(world: World, registrar: User, administrator: User) -> None:
    ancestor = world.grandfather_a
    Kinship.objects.create(from_person=ancestor, to_person=world.head_a, kind="parent_of")
    # A child registered in the other district: an heir, but outside the registrar's scope.
    Kinship.objects.create(from_person=ancestor, to_person=world.head_b, kind="parent_of")
    line = registry_services.heir_line_create(actor=Actor(user=administrator), ancestor=ancestor)
    url = reverse("api:person-heirs", args=[ancestor.code])

    body = token_client(registrar).get(url).json()
    assert body["heir_line"] == line.code
    assert body["is_deceased"] is True
    assert [[heir["code"] for heir in generation] for generation in body["generations"]] == [[world.head_a.code]]
    assert body["generations"][0][0]["given_name"] == "Əli"
    assert logged(ancestor.code, "heirs")

    everyone = token_client(administrator).get(url).json()
    assert {heir["code"] for heir in everyone["generations"][0]} == {world.head_a.code, world.head_b.code}


def test_heirs_and_consents_outside_scope_are_not_found(world: World, registrar: User) -> None:
    client = token_client(registrar)
    assert client.get(reverse("api:person-heirs", args=[world.head_b.code])).status_code == 404
    assert client.get(reverse("api:person-consents", args=[world.head_b.code])).status_code == 404


def test_analyst_and_outsider_cannot_read_heirs_or_consents(world: World, analyst: User, outsider: User) -> None:
    for user in (analyst, outsider):
        client = token_client(user)
        response = client.get(reverse("api:person-heirs", args=[world.head_a.code]))
        assert response.status_code == 403
        assert "Əli" not in response.content.decode()
        assert client.get(reverse("api:person-consents", args=[world.head_a.code])).status_code == 403


def test_registrar_reads_consents_newest_first(world: World, registrar: User) -> None:
    actor = Actor(user=registrar)
    registry_services.consent_record(
        actor=actor, person=world.head_a, purpose="Registry (synthetic)", given_on=dt.date(2024, 3, 1)
    )
    later = registry_services.consent_record(
        actor=actor, person=world.head_a, purpose="Claims (synthetic)", given_on=dt.date(2025, 5, 2)
    )
    registry_services.consent_withdraw(
        actor=actor, consent=later, withdrawn_on=dt.date(2025, 6, 1), reason="Asked by phone (synthetic)."
    )
    response = token_client(registrar).get(reverse("api:person-consents", args=[world.head_a.code]))
    assert response.status_code == 200
    consents = response.json()["results"]
    assert [(row["purpose"], row["is_active"]) for row in consents] == [
        ("Claims (synthetic)", False),
        ("Registry (synthetic)", True),
    ]
    assert consents[0]["withdrawn_on"] == "2025-06-01"
    assert logged(world.head_a.code, "consents")


# --- Heritage: site names ----------------------------------------------------------------------


def test_site_names_in_every_script(gazetteer: Gazetteer, heritage_researcher: User, analyst: User) -> None:
    site = make_site(
        heritage_researcher,
        gazetteer,
        names=[
            {"text": "Cümə məscidi", "language": "az-Latn", "period": "", "year_from": 1991},
            {"text": "Джума мечеть", "language": "ru", "period": "Soviet", "year_from": 1930, "year_to": 1991},
        ],
    )
    # Site names are not personal: the analyst, who may view sites, reads them too.
    for user in (heritage_researcher, analyst):
        response = token_client(user).get(reverse("api:heritage-site-names", args=[site.code]))
        assert response.status_code == 200
        assert [name["text"] for name in response.json()["results"]] == ["Джума мечеть", "Cümə məscidi"]
    assert logged(site.code, "names")


def test_site_names_refused_without_the_role_and_unknown_site_not_found(
    heritage_researcher: User, outsider: User
) -> None:
    assert token_client(outsider).get(reverse("api:heritage-site-names", args=["HS-NONE"])).status_code == 403
    assert (
        token_client(heritage_researcher).get(reverse("api:heritage-site-names", args=["HS-NONE"])).status_code == 404
    )


# --- Testimonies: media as evidence codes ---------------------------------------------------


def test_testimony_media_only_as_the_vault_allows(gazetteer: Gazetteer, registrar: User, archivist: User) -> None:
    testimony = make_testimony(gazetteer)
    photo = evidence_ingest(
        actor=system_actor(), stream=io.BytesIO(b"synthetic photo"), original_name="photo.jpg", kind="photo"
    ).item
    letter = evidence_ingest(
        actor=system_actor(),
        stream=io.BytesIO(b"synthetic restricted letter"),
        original_name="letter.pdf",
        sensitivity="restricted",
    ).item
    testimony_services.testimony_update(
        actor=system_actor(), testimony=testimony, reason="Media added (synthetic).", other_media=[photo, letter]
    )
    assert testimony.media is not None
    recording = str(testimony.media.public_code)

    detail = token_client(archivist).get(reverse("api:testimony-detail", args=[testimony.code])).json()
    assert detail["recording"] == recording
    assert set(detail["other_media"]) == {str(photo.public_code), str(letter.public_code)}

    # The registrar may not see restricted evidence: the letter is left out, in the list too.
    client = token_client(registrar)
    detail = client.get(reverse("api:testimony-detail", args=[testimony.code])).json()
    assert detail["recording"] == recording
    assert detail["other_media"] == [str(photo.public_code)]
    (listed,) = client.get(reverse("api:testimony-list")).json()["results"]
    assert listed["other_media"] == [str(photo.public_code)]
    assert listed["recording"] == recording


def test_testimony_media_cost_no_query_per_testimony(gazetteer: Gazetteer, registrar: User) -> None:
    client = token_client(registrar)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("api:testimony-list")).status_code == 200
        return len(captured)

    make_testimony(gazetteer, title="First (synthetic)")
    queries()  # the first request of a token reads more (the user's scopes are then cached)
    one = queries()
    make_testimony(gazetteer, title="Second (synthetic)")
    make_testimony(gazetteer, title="Third (synthetic)")
    assert queries() == one
