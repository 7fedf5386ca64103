"""An heir line's claimants are the heirs the registry derives from kinship, with per stirpes shares."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.errors import ClaimError, ClaimPermissionError
from yurd.claims.models import ClaimEvent
from yurd.claims.services.filing import ClaimantShare, claim_create, claim_update
from yurd.claims.services.heirs import claim_review_share_override, heirs_derived
from yurd.claims.services.workflow import claim_approve
from yurd.claims.tests.conftest import World, actor, add_item, advance, login, make_child, make_person, new_claim
from yurd.core.actors import system_actor
from yurd.registry.models import HeirLine, KinshipKind
from yurd.registry.services import kinship_add, person_update


@pytest.fixture
def family(world: World) -> dict[str, object]:
    """Grandfather Həsən (deceased): a living daughter, and a son who died leaving two children."""
    grandfather = world.grandfather_a
    daughter = make_child(grandfather, world.household_b, "Leyla")
    son = make_child(grandfather, world.household_a, "Kamal", deceased=True)
    grandson = make_child(son, world.household_a, "Tural")
    granddaughter = make_child(son, world.household_b, "Nigar")
    line = HeirLine.objects.create(code="HL-T00009", ancestor=grandfather)
    return {"line": line, "daughter": daughter, "son": son, "grandson": grandson, "granddaughter": granddaughter}


def test_an_heir_line_claim_defaults_to_the_derived_heirs_per_stirpes(world: World, family: dict) -> None:
    shares = {heir.person.code: heir.share for heir in heirs_derived(family["line"])}
    assert shares == {
        family["daughter"].code: Fraction(1, 2),
        family["grandson"].code: Fraction(1, 4),
        family["granddaughter"].code: Fraction(1, 4),
    }
    claim, _secret = claim_create(actor=system_actor(), household=world.household_b, heir_line=family["line"])
    assert {c.person.code: c.share for c in claim.claimants.select_related("person")} == shares
    assert claim.derived_heirs == {code: str(share) for code, share in shares.items()}
    assert claim.share_override_reason == ""


def test_a_claimant_who_is_not_a_derived_heir_is_refused(world: World, family: dict) -> None:
    stranger = make_person(world.household_b, "Rauf")
    with pytest.raises(ClaimError, match=stranger.code):
        claim_create(
            actor=system_actor(),
            household=world.household_b,
            heir_line=family["line"],
            claimants=[ClaimantShare(family["daughter"], Fraction(1, 2)), ClaimantShare(stranger, Fraction(1, 2))],
        )


@pytest.fixture
def people(administrator: User, assessor: User, reviewer: User, second_reviewer: User) -> dict[str, User]:
    return {"registrar": administrator, "assessor": assessor, "reviewer": reviewer, "second_reviewer": second_reviewer}


def test_other_shares_need_a_reason_and_a_second_persons_review(world: World, family: dict, people: dict) -> None:
    registrar, assessor, reviewer, second_reviewer = (
        people[key] for key in ("registrar", "assessor", "reviewer", "second_reviewer")
    )
    equal = [(family[key], Fraction(1, 3)) for key in ("daughter", "grandson", "granddaughter")]
    with pytest.raises(ClaimError, match="per_stirpes"):
        new_claim(world, household=world.household_b, heir_line=family["line"], claimants=equal)
    claim = new_claim(
        world,
        household=world.household_b,
        heir_line=family["line"],
        claimants=equal,
        user=registrar,
        share_override_reason="A notarised agreement between the heirs divides equally",
    )
    assert claim.share_override_reason and claim.share_override_by == registrar
    claim = advance(claim, to="assessed", assessor=assessor, reviewer=reviewer)
    with pytest.raises(ClaimError, match="second person"):
        claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    with pytest.raises(ClaimPermissionError, match="Four eyes"):
        claim_review_share_override(actor=actor(registrar), claim=claim, expected_version=None, reason="ok")
    claim_review_share_override(
        actor=actor(second_reviewer), claim=claim, expected_version=None, reason="Agreement seen"
    )
    claim.refresh_from_db()
    claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    assert ClaimEvent.objects.filter(claim=claim, action="share_override_reviewed").exists()


def test_a_change_of_kinship_after_a_decision_flags_it_on_the_claim_and_in_the_queue(
    world: World, family: dict, assessor: User, reviewer: User, administrator: User
) -> None:
    claim, _secret = claim_create(actor=system_actor(), household=world.household_b, heir_line=family["line"])
    add_item(world, claim, reference="Orchard by the spring")
    claim = advance(claim, to="decided", assessor=assessor, reviewer=reviewer)
    untouched = new_claim(world, items=[{"reference": "Barn"}])
    untouched = advance(untouched, to="decided", assessor=assessor, reviewer=reviewer)
    # A third child of the grandfather is found in the archive: the heirs and their shares change.
    late_found = make_person(world.household_b, "Sevda")
    kinship_add(actor=system_actor(), from_person=world.grandfather_a, to_person=late_found, kind=KinshipKind.PARENT_OF)
    claim.refresh_from_db()
    untouched.refresh_from_db()
    assert "Kinship changed after decision 1" in claim.review_flag and late_found.code in claim.review_flag
    assert untouched.review_flag == ""
    event = ClaimEvent.objects.get(claim=claim, action="kinship_changed")
    assert late_found.code in event.detail["now"] and late_found.code not in event.detail["before"]
    client = login(Client(), administrator)
    assert "Kinship changed" in client.get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode()
    queue = client.get(reverse("claims:review_queue")).content.decode()
    assert claim.case_number in queue and untouched.case_number not in queue


def test_recording_a_death_flags_a_decided_heir_line_claim(
    world: World, family: dict, assessor: User, reviewer: User, administrator: User
) -> None:
    claim, _secret = claim_create(actor=system_actor(), household=world.household_b, heir_line=family["line"])
    add_item(world, claim, reference="Orchard by the spring")
    claim = advance(claim, to="decided", assessor=assessor, reviewer=reviewer)
    # The daughter dies without children: her half goes to her late brother's children.
    person_update(
        actor=actor(administrator),
        person=family["daughter"],
        reason="Death certificate seen",
        is_deceased=True,
        death_date="2025-03-01",
    )
    claim.refresh_from_db()
    assert "Kinship changed after decision 1" in claim.review_flag
    event = ClaimEvent.objects.get(claim=claim, action="kinship_changed")
    assert event.detail["now"] == {family["grandson"].code: "1/2", family["granddaughter"].code: "1/2"}
    assert family["daughter"].code in event.detail["before"]
    # Correcting anything else about a person flags nothing.
    person_update(actor=actor(administrator), person=family["grandson"], reason="Spelling", given_name="Turalə")
    assert ClaimEvent.objects.filter(claim=claim, action="kinship_changed").count() == 1


def test_a_change_of_kinship_flags_an_undecided_heir_line_claim_until_its_claimants_are_named_again(
    world: World, family: dict, administrator: User
) -> None:
    claim, _secret = claim_create(actor=system_actor(), household=world.household_b, heir_line=family["line"])
    late_found = make_person(world.household_b, "Sevda")
    kinship_add(actor=system_actor(), from_person=world.grandfather_a, to_person=late_found, kind=KinshipKind.PARENT_OF)
    claim.refresh_from_db()
    assert (
        "Kinship changed since the claimants were named" in claim.review_flag and late_found.code in claim.review_flag
    )
    client = login(Client(), administrator)
    assert (
        "Kinship changed since" in client.get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode()
    )
    assert claim.case_number in client.get(reverse("claims:review_queue")).content.decode()
    # The registrar names the heirs the registry derives now: the flag has done its work.
    heirs = [ClaimantShare(heir.person, heir.share) for heir in heirs_derived(family["line"])]
    claim_update(
        actor=system_actor(),
        claim=claim,
        expected_version=claim.version,
        remedy="compensation",
        language="az",
        notes="",
        claimants=heirs,
    )
    claim.refresh_from_db()
    assert claim.review_flag == "" and late_found.code in claim.derived_heirs
    assert claim.case_number not in client.get(reverse("claims:review_queue")).content.decode()


def test_a_reviewer_clears_a_kinship_flag_from_the_claim_page_with_the_reasons(
    world: World, family: dict, *, assessor: User, reviewer: User, administrator: User, registrar: User
) -> None:
    claim, _secret = claim_create(actor=system_actor(), household=world.household_b, heir_line=family["line"])
    add_item(world, claim, reference="Orchard by the spring")
    claim = advance(claim, to="decided", assessor=assessor, reviewer=reviewer)
    late_found = make_person(world.household_b, "Sevda")
    kinship_add(actor=system_actor(), from_person=world.grandfather_a, to_person=late_found, kind=KinshipKind.PARENT_OF)
    claim.refresh_from_db()
    client = login(Client(), administrator)
    page = client.get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode()
    url = reverse("claims:review_flag_clear", args=[claim.case_number])
    assert f'action="{url}"' in page
    client.post(url, {"version": claim.version, "reason": ""})  # refused: no reasons
    claim.refresh_from_db()
    assert claim.review_flag
    client.post(url, {"version": claim.version, "reason": "Sevda renounced her share before a notary"})
    claim.refresh_from_db()
    assert claim.review_flag == ""
    event = ClaimEvent.objects.get(claim=claim, action="review_flag_cleared")
    assert event.reason.startswith("Sevda renounced") and "Kinship changed" in event.detail["flag"]
    assert claim.case_number not in client.get(reverse("claims:review_queue")).content.decode()
    # A registrar (who may not approve) sees the flag but not the form, and cannot post it.
    assert login(Client(), registrar).post(url, {"version": claim.version, "reason": "x"}).status_code == 403
