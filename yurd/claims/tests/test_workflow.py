"""The assessment workflow: who may take each step, four eyes, illegal steps, reasons, history."""

from __future__ import annotations

from fractions import Fraction

import pytest

from yurd.accounts.models import User
from yurd.claims.errors import ClaimError, ClaimPermissionError, IllegalTransitionError
from yurd.claims.models import ClaimEvent, ClaimStatus
from yurd.claims.services.appeals import claim_appeal
from yurd.claims.services.assessment import claim_assess
from yurd.claims.services.decisions import claim_decide
from yurd.claims.services.workflow import (
    claim_annul,
    claim_approve,
    claim_finalise,
    claim_return,
    claim_submit,
    claim_withdraw,
)
from yurd.claims.tests.conftest import World, actor, advance, new_claim


def test_claim_goes_from_draft_to_final_with_each_step_recorded(
    world: World, registrar: User, assessor: User, reviewer: User
) -> None:
    claim = new_claim(world, user=registrar)
    assert claim.case_number.startswith("CL-") and len(claim.case_number) == len("CL-2026-000001")
    claim = advance(claim, to="decided", assessor=assessor, reviewer=reviewer)
    assert claim.status == ClaimStatus.DECIDED
    claim_appeal(
        actor=actor(registrar), claim=claim, expected_version=claim.version, reason="Claimant disputes the area"
    )
    claim.refresh_from_db()
    claim_finalise(
        actor=actor(reviewer), claim=claim, expected_version=claim.version, reason="Area confirmed by the cadastre"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FINAL
    actions = list(ClaimEvent.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions == [
        "create",
        "add_loss_item",
        "submit",
        "verify_documents",
        "assess",
        "approve",
        "decide",
        "appeal",
        "finalise",
    ]
    assert claim.history.count() >= 8
    assert claim.assessed_by == assessor and claim.approved_by == reviewer


def test_assessor_cannot_approve_own_assessment(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    claim = advance(new_claim(world), to="assessed", assessor=administrator, reviewer=reviewer)
    with pytest.raises(ClaimPermissionError, match="Four eyes"):
        claim_approve(actor=actor(administrator), claim=claim, expected_version=claim.version)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSESSED
    claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)


def test_assessor_cannot_decide_own_assessment(world: World, reviewer: User, administrator: User) -> None:
    claim = advance(new_claim(world), to="assessed", assessor=administrator, reviewer=reviewer)
    claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    claim.refresh_from_db()
    with pytest.raises(ClaimPermissionError, match="Four eyes"):
        claim_decide(actor=actor(administrator), claim=claim, expected_version=claim.version)


def test_illegal_transitions_are_refused_with_a_clear_message(world: World, assessor: User, reviewer: User) -> None:
    claim = new_claim(world)
    with pytest.raises(
        IllegalTransitionError, match="is draft; “Approve” is only possible for a claim that is: assessed"
    ):
        claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    with pytest.raises(IllegalTransitionError):
        claim_decide(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    claim = advance(claim, to="decided", assessor=assessor, reviewer=reviewer)
    with pytest.raises(IllegalTransitionError):
        claim_withdraw(actor=actor(None), claim=claim, expected_version=claim.version, reason="changed mind")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECIDED


def test_roles_may_take_only_their_own_steps(
    world: World, registrar: User, assessor: User, reviewer: User, analyst: User
) -> None:
    claim = advance(new_claim(world), to="documents_verified", assessor=assessor, reviewer=reviewer)
    for person in (registrar, reviewer, analyst):
        with pytest.raises(ClaimPermissionError):
            claim_assess(actor=actor(person), claim=claim, expected_version=claim.version)
    claim_assess(actor=actor(assessor), claim=claim, expected_version=claim.version)
    claim.refresh_from_db()
    for person in (registrar, assessor):
        with pytest.raises(ClaimPermissionError):
            claim_approve(actor=actor(person), claim=claim, expected_version=claim.version)


def test_steps_that_matter_need_a_reason(
    world: World, registrar: User, assessor: User, reviewer: User, administrator: User
) -> None:
    claim = advance(new_claim(world), to="submitted", assessor=assessor, reviewer=reviewer)
    with pytest.raises(ClaimError, match="needs a reason"):
        claim_return(actor=actor(registrar), claim=claim, expected_version=claim.version, reason="  ")
    claim_return(
        actor=actor(registrar), claim=claim, expected_version=claim.version, reason="Birth certificate missing"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    assert claim.events.get(action="return").reason == "Birth certificate missing"
    with pytest.raises(ClaimError, match="needs a reason"):
        claim_annul(actor=actor(administrator), claim=claim, expected_version=claim.version, reason="")


def test_registrar_cannot_return_an_assessed_claim_but_a_reviewer_can(
    world: World, registrar: User, assessor: User, reviewer: User
) -> None:
    claim = advance(new_claim(world), to="assessed", assessor=assessor, reviewer=reviewer)
    with pytest.raises(ClaimPermissionError):
        claim_return(actor=actor(registrar), claim=claim, expected_version=claim.version, reason="?")
    claim_return(actor=actor(reviewer), claim=claim, expected_version=claim.version, reason="Area not plausible")


def test_a_claim_without_loss_items_cannot_be_submitted(world: World) -> None:
    claim = new_claim(world, items=[])
    with pytest.raises(ClaimError, match="at least one loss item"):
        claim_submit(actor=actor(None), claim=claim, expected_version=claim.version)


def test_claimant_shares_must_sum_to_one(world: World) -> None:
    with pytest.raises(ClaimError, match="add up to 3/4"):
        new_claim(world, claimants=[(world.head_a, Fraction(1, 2)), (world.spouse_a, Fraction(1, 4))])


def test_a_deceased_person_cannot_be_a_claimant(world: World) -> None:
    with pytest.raises(ClaimError, match="deceased"):
        new_claim(world, claimants=[(world.grandfather_a, Fraction(1))])


def test_household_claim_needs_its_own_members_as_claimants(world: World) -> None:
    with pytest.raises(ClaimError, match="another household"):
        new_claim(world, claimants=[(world.head_b, Fraction(1))])
