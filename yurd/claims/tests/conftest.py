"""Claims test world: households in two districts, a valuation table, and helpers to walk the workflow."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.claims.models import Claim, LossCategory, ValuationTable
from yurd.claims.services.assessment import claim_assess
from yurd.claims.services.decisions import claim_decide
from yurd.claims.services.filing import ClaimantShare, claim_create, loss_item_add
from yurd.claims.services.workflow import claim_approve, claim_submit, claim_verify_documents
from yurd.claims.valuation import valuation_import_apply, valuation_import_stage
from yurd.core.actors import Actor
from yurd.places.models import Place
from yurd.registry.models import HeirLine, Household, Kinship, KinshipKind, Person, Wave
from yurd.testing.personas import Gazetteer, make_user

TABLE_V1 = """record,category,region,year,unit,unit_value,currency,sequence,label,factor
rate,dwelling,TST-R1,1988,m2,85,SUR,,,
rate,dwelling,TST-D2,1988,m2,60,SUR,,,
rate,land,,,ha,1200.50,SUR,,,
rate,livestock,,,head,300,SUR,,,
rate,departure,,,lump,2500,AZN,,,
index,,,1988,,,,1,SUR to AZN (1992 and 2006 redenominations),0.0002
index,,,1988,,,,2,Inflation 1988 to 2026,4350
"""

TABLE_V2 = TABLE_V1.replace("rate,dwelling,TST-R1,1988,m2,85,SUR", "rate,dwelling,TST-R1,1988,m2,95,SUR")


def actor(user: User | None) -> Actor:
    return Actor(user=user)


def import_table(text: str, name: str = "Reference prices", *, user: User | None = None) -> ValuationTable:
    staged = valuation_import_stage(
        actor=Actor(user=user), file=io.BytesIO(text.encode()), filename="table.csv", name=name, currency="AZN"
    )
    assert staged.errors == [], staged.errors
    return valuation_import_apply(actor=Actor(user=user), staged=staged)


def login(client: Client, user: User) -> Client:
    """Log in, passing two-factor for the privileged roles the way a verified session does."""
    client.force_login(user)
    if user.requires_two_factor:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@dataclass
class World:
    gazetteer: Gazetteer
    wave: Wave
    household_a: Household
    household_b: Household
    head_a: Person
    spouse_a: Person
    grandfather_a: Person
    head_b: Person
    table: ValuationTable

    def category(self, code: str) -> LossCategory:
        return LossCategory.objects.get(code=code)


_counter = {"household": 0, "person": 0}


def make_household(origin: Place, wave: Wave, current: Place | None = None) -> Household:
    _counter["household"] += 1
    return Household.objects.create(
        code=f"HH-T{_counter['household']:05d}", origin_place=origin, wave=wave, current_place=current
    )


def make_person(household: Household, given: str, *, role: str = "head", deceased: bool = False) -> Person:
    _counter["person"] += 1
    return Person.objects.create(
        code=f"P-T{_counter['person']:06d}",
        household=household,
        household_role=role,
        surname="Məmmədov",
        given_name=given,
        is_deceased=deceased,
    )


def make_child(parent: Person, household: Household, given: str, *, deceased: bool = False) -> Person:
    """A person recorded as `parent`'s child (kinship, as the registry keeps it)."""
    child = make_person(household, given, role="child", deceased=deceased)
    Kinship.objects.create(from_person=parent, to_person=child, kind=KinshipKind.PARENT_OF)
    return child


@pytest.fixture
def world(gazetteer: Gazetteer) -> World:
    return make_world(gazetteer)


def make_world(gazetteer: Gazetteer) -> World:
    """Two households, their heads and a wave (the `world` fixture, for tests that need a second one)."""
    wave, _created = Wave.objects.get_or_create(
        code="1987-1991", defaults={"name": "1987–1991", "year_from": 1987, "year_to": 1991}
    )
    household_a = make_household(gazetteer.settlement_a1, wave)
    household_b = make_household(gazetteer.settlement_b1, wave)
    head_a = make_person(household_a, "Əli")
    spouse_a = make_person(household_a, "Gülnarə", role="spouse")
    grandfather_a = make_person(household_a, "Həsən", role="parent", deceased=True)
    head_b = make_person(household_b, "Rəşad")
    return World(
        gazetteer=gazetteer,
        wave=wave,
        household_a=household_a,
        household_b=household_b,
        head_a=head_a,
        spouse_a=spouse_a,
        grandfather_a=grandfather_a,
        head_b=head_b,
        table=import_table(TABLE_V1),
    )


@pytest.fixture
def second_assessor(db: None) -> User:
    return make_user("assessor-aygun", Role.ASSESSOR)


@pytest.fixture
def second_reviewer(db: None) -> User:
    return make_user("reviewer-rena", Role.REVIEWER)


def new_claim(
    world: World,
    *,
    household: Household | None = None,
    claimants: list[tuple[Person, Fraction]] | None = None,
    heir_line: HeirLine | None = None,
    items: list[dict[str, Any]] | None = None,
    user: User | None = None,
    share_override_reason: str = "",
) -> Claim:
    household = household or world.household_a
    if claimants is None:
        claimants = (
            [(world.head_a, Fraction(1, 2)), (world.spouse_a, Fraction(1, 2))]
            if household == world.household_a
            else [(world.head_b, Fraction(1))]
        )
    claim, _secret = claim_create(
        actor=Actor(user=user),
        household=household,
        heir_line=heir_line,
        claimants=[ClaimantShare(person, share) for person, share in claimants],
        remedy="compensation",
        language="az",
        share_override_reason=share_override_reason,
    )
    for item in items if items is not None else [{}]:
        add_item(world, claim, **item)
    claim.refresh_from_db()
    return claim


def add_item(world: World, claim: Claim, **overrides: Any) -> None:
    claim.refresh_from_db()
    values: dict[str, Any] = {
        "category": world.category("dwelling"),
        "place": claim.household.origin_place,
        "reference": "House 12, Lenin street",
        "quantity": Decimal("120"),
        "unit": "m2",
        "price_year": 1988,
        "original_owner": None,
    }
    values.update(overrides)
    loss_item_add(actor=Actor(user=None), claim=claim, expected_version=claim.version, **values)


def advance(claim: Claim, *, to: str, assessor: User, reviewer: User) -> Claim:
    """Walk a claim through the workflow with distinct people, up to `to`."""
    order = ["submitted", "documents_verified", "assessed", "approved", "decided"]
    steps = {
        "submitted": lambda c: claim_submit(actor=Actor(user=None), claim=c, expected_version=c.version),
        "documents_verified": lambda c: claim_verify_documents(
            actor=Actor(user=None), claim=c, expected_version=c.version
        ),
        "assessed": lambda c: claim_assess(actor=Actor(user=assessor), claim=c, expected_version=c.version),
        "approved": lambda c: claim_approve(actor=Actor(user=reviewer), claim=c, expected_version=c.version),
        "decided": lambda c: claim_decide(actor=Actor(user=reviewer), claim=c, expected_version=c.version),
    }
    for status in order[: order.index(to) + 1]:
        claim.refresh_from_db()
        steps[status](claim)
    claim.refresh_from_db()
    return claim
