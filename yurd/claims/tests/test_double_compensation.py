"""One property of one original owner is compensated once per heir line; the database refuses the second."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.errors import DoubleCompensationError
from yurd.claims.models import ClaimStatus, Compensation
from yurd.claims.services.decisions import claim_decide
from yurd.claims.services.workflow import claim_annul
from yurd.claims.tests.conftest import World, actor, advance, login, make_child, new_claim
from yurd.registry.models import HeirLine


def test_second_claim_for_the_same_property_is_refused_and_names_the_first(
    world: World, assessor: User, reviewer: User
) -> None:
    first = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    # The same house, spelt differently, in a second file of the same household.
    second = new_claim(world, items=[{"reference": "house №12 Lenin st."}])
    second = advance(second, to="approved", assessor=assessor, reviewer=reviewer)
    with pytest.raises(DoubleCompensationError, match=first.case_number) as refused:
        claim_decide(actor=actor(reviewer), claim=second, expected_version=second.version)
    assert refused.value.conflicts[0]["case_number"] == first.case_number
    second.refresh_from_db()
    assert second.status == ClaimStatus.APPROVED
    assert second.decisions.count() == 0
    assert Compensation.objects.count() == 1


def test_the_database_itself_refuses_a_second_compensation(world: World, assessor: User, reviewer: User) -> None:
    first = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    second = advance(new_claim(world), to="approved", assessor=assessor, reviewer=reviewer)
    existing = Compensation.objects.get(claim=first)
    item = second.loss_items.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Compensation.objects.create(
            line_key=existing.line_key,
            property_key=existing.property_key,
            claim=second,
            loss_item=item,
            decision=existing.decision,
            amount=Decimal("1.00"),
        )


def test_heirs_cannot_be_paid_again_for_a_property_their_line_was_paid_for(
    world: World, assessor: User, reviewer: User
) -> None:
    line = HeirLine.objects.create(code="HL-T00001", ancestor=world.grandfather_a)
    item = {"original_owner": world.grandfather_a, "reference": "Orchard by the spring"}
    advance(new_claim(world, items=[item]), to="decided", assessor=assessor, reviewer=reviewer)
    grandson = make_child(world.grandfather_a, world.household_b, "Tural")
    heirs_claim = new_claim(world, claimants=[(grandson, Fraction(1))], heir_line=line, items=[item])
    heirs_claim = advance(heirs_claim, to="approved", assessor=assessor, reviewer=reviewer)
    with pytest.raises(DoubleCompensationError):
        claim_decide(actor=actor(reviewer), claim=heirs_claim, expected_version=heirs_claim.version)


def test_a_different_property_of_the_same_owner_is_compensated(world: World, assessor: User, reviewer: User) -> None:
    advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    other = advance(
        new_claim(world, items=[{"reference": "House 14, Lenin street"}]),
        to="decided",
        assessor=assessor,
        reviewer=reviewer,
    )
    assert other.status == ClaimStatus.DECIDED


def test_annulling_a_decided_file_releases_its_compensation(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    first = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    claim_annul(
        actor=actor(administrator),
        claim=first,
        expected_version=first.version,
        reason="Duplicate of a later, complete file",
    )
    assert Compensation.objects.count() == 0
    second = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    assert second.status == ClaimStatus.DECIDED


def test_claim_page_explains_the_conflict(world: World, assessor: User, reviewer: User) -> None:
    first = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    second = advance(new_claim(world), to="approved", assessor=assessor, reviewer=reviewer)
    client = login(Client(), reviewer)
    page = client.get(reverse("claims:claim_detail", args=[second.case_number])).content.decode()
    assert "Already compensated" in page
    assert first.case_number in page
    response = client.post(
        reverse("claims:claim_transition", args=[second.case_number, "decide"]),
        {"version": second.version, "reason": "", "outcome": "granted"},
        follow=True,
    )
    assert "can be compensated only once per original owner" in response.content.decode()
