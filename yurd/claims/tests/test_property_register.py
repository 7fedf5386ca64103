"""Lost property has its own identity: one house of a late grandfather is compensated once, whoever claims first."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.domain.properties import address_tokens
from yurd.claims.errors import DoubleCompensationError
from yurd.claims.models import Compensation, DuplicateStatus, LossItem, Property, PropertyDuplicate
from yurd.claims.services.decisions import claim_decide
from yurd.claims.services.properties import property_duplicate_review
from yurd.claims.tests.conftest import World, actor, advance, login, make_child, new_claim
from yurd.core.models import AccessAction, AccessLogEntry
from yurd.registry.models import HeirLine

HOUSE = {"reference": "House 12, Lenin street"}


def house(world: World, **overrides: object) -> dict[str, object]:
    return {**HOUSE, "place": world.household_a.origin_place, **overrides}


@pytest.mark.parametrize("first_household", ["a", "b"])
@pytest.mark.parametrize("line_created", ["never", "before", "between", "after"])
def test_sibling_households_cannot_both_be_paid_for_their_grandfathers_house(
    world: World, assessor: User, reviewer: User, first_household: str, line_created: str
) -> None:
    grandfather = world.grandfather_a
    item = {**HOUSE, "original_owner": grandfather, "place": world.household_a.origin_place}
    households = {"a": world.household_a, "b": world.household_b}
    first_hh = households[first_household]
    second_hh = households["b" if first_household == "a" else "a"]
    if line_created == "before":
        HeirLine.objects.create(code="HL-T00001", ancestor=grandfather)
    first = advance(
        new_claim(world, household=first_hh, items=[item]), to="decided", assessor=assessor, reviewer=reviewer
    )
    if line_created == "between":
        HeirLine.objects.create(code="HL-T00001", ancestor=grandfather)
    second = advance(
        new_claim(world, household=second_hh, items=[{**item, "reference": "12 Lenin St."}]),
        to="approved",
        assessor=assessor,
        reviewer=reviewer,
    )
    if line_created == "after":
        HeirLine.objects.create(code="HL-T00001", ancestor=grandfather)
    assert first.loss_items.get().property_id == second.loss_items.get().property_id
    with pytest.raises(DoubleCompensationError, match=first.case_number):
        claim_decide(actor=actor(reviewer), claim=second, expected_version=second.version)
    assert Compensation.objects.count() == 1
    assert Compensation.objects.get().line_key == f"owner:{grandfather.code}"


def test_an_heir_line_claim_meets_the_household_claim_on_the_same_property(
    world: World, assessor: User, reviewer: User
) -> None:
    advance(
        new_claim(world, items=[house(world, original_owner=world.grandfather_a)]),
        to="decided",
        assessor=assessor,
        reviewer=reviewer,
    )
    line = HeirLine.objects.create(code="HL-T00002", ancestor=world.grandfather_a)
    grandson = make_child(world.grandfather_a, world.household_b, "Tural")
    # The heir line's claim leaves the owner blank: the line's ancestor is the owner.
    heirs = new_claim(
        world, household=world.household_b, claimants=[(grandson, Fraction(1))], heir_line=line, items=[house(world)]
    )
    heirs = advance(heirs, to="approved", assessor=assessor, reviewer=reviewer)
    with pytest.raises(DoubleCompensationError):
        claim_decide(actor=actor(reviewer), claim=heirs, expected_version=heirs.version)


def test_one_address_in_three_scripts_folds_to_one_token_set() -> None:
    forms = ["ул. Ленина 12", "Lenin küç. 12", "12 Lenin St.", "Lenin küçəsi, 12", "улица Ленина, д. 12"]
    assert {tuple(address_tokens(form)) for form in forms} == {("12", "lanin")}
    assert address_tokens("Lenin küç. 14") != address_tokens("Lenin küç. 12")


def test_the_same_house_in_three_scripts_is_proposed_as_one_property_and_merged(
    world: World, reviewer: User, assessor: User
) -> None:
    households = [world.household_a, world.household_b, world.household_a]
    claims = []
    for household, reference in zip(households, ["ул. Ленина 12", "Lenin küç. 12", "12 Lenin St."], strict=True):
        claims.append(
            new_claim(
                world, household=household, items=[{"reference": reference, "place": world.household_a.origin_place}]
            )
        )
    properties = {claim.loss_items.get().property_id for claim in claims}
    # Household a named it twice (its own house, no owner known): one property; household b's is proposed.
    assert len(properties) == 2
    proposal = PropertyDuplicate.objects.get(status=DuplicateStatus.PROPOSED)
    client = login(Client(), reviewer)
    page = client.get(reverse("claims:property_duplicates")).content.decode()
    assert "ул. Ленина 12" in page and "Lenin küç. 12" in page
    logged = AccessLogEntry.objects.filter(user=reviewer, action=AccessAction.LIST).order_by("-id").first()
    assert logged is not None and proposal.second.code in logged.detail["properties"]
    response = client.post(
        reverse("claims:property_duplicate_review", args=[proposal.pk]), {"action": "merge"}, follow=True
    )
    assert response.status_code == 200
    assert {item.property_id for item in LossItem.objects.all()} == {proposal.first_id}
    assert Property.objects.filter(merged_into__isnull=False).count() == 1
    # Once one claim is paid, the other household's claim on the merged property is refused.
    first = advance(claims[0], to="decided", assessor=assessor, reviewer=reviewer)
    second = advance(claims[1], to="approved", assessor=assessor, reviewer=reviewer)
    with pytest.raises(DoubleCompensationError, match=first.case_number):
        claim_decide(actor=actor(reviewer), claim=second, expected_version=second.version)


def test_a_proposal_can_be_dismissed(world: World, reviewer: User) -> None:
    new_claim(
        world,
        household=world.household_a,
        items=[{"reference": "Lenin küç. 12", "place": world.household_a.origin_place}],
    )
    new_claim(
        world,
        household=world.household_b,
        items=[{"reference": "ул. Ленина 12", "place": world.household_a.origin_place}],
    )
    proposal = PropertyDuplicate.objects.get()
    property_duplicate_review(actor=actor(reviewer), duplicate=proposal, merge=False)
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.DISMISSED
    assert Property.objects.filter(merged_into__isnull=False).count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_gives_existing_items_properties_and_compensations_owner_lines(
    world: World, assessor: User, reviewer: User
) -> None:
    first = advance(
        new_claim(world, items=[house(world, original_owner=world.grandfather_a)]),
        to="decided",
        assessor=assessor,
        reviewer=reviewer,
    )
    second = new_claim(world, household=world.household_b, items=[house(world, original_owner=world.grandfather_a)])
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("claims", "0004_property_register")])
        # Before the register: old-style line keys; the backwards step removed the properties.
        old = executor.loader.project_state([("claims", "0004_property_register")]).apps
        old.get_model("claims", "Compensation").objects.update(line_key=f"household:{world.household_a.code}")
        assert old.get_model("claims", "Property").objects.count() == 0
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("claims", "0006_property_required")])
        row = Compensation.objects.get(claim=first)
        assert row.line_key == f"owner:{world.grandfather_a.code}"
        assert row.property_id == first.loss_items.get().property_id == second.loss_items.get().property_id
    finally:
        # The schema is shared by the later tests of this worker: leave every app at its latest migration.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
