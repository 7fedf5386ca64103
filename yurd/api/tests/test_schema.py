"""Schemathesis drives every operation of the OpenAPI schema against the WSGI app, once per
persona: a registrar scoped to district A by origin (who may write), an analyst (who may
never receive a name), and an assessor scoped to district B by residence (the other scope
basis, and the claim reads). No server error, every response matches the schema, and
within the same run: nothing reaches the analyst with a name of the dataset's people, and
nothing reaches a scoped user with the code of a household or person outside the scope.

Random codes only reach the 404 of a detail endpoint; each persona also reads every
detail endpoint once with a record of the dataset, so those answers are checked too."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from yurd.accounts.models import ScopeBasis, User
from yurd.accounts.roles import Role
from yurd.claims.models import LossCategory
from yurd.claims.services.filing import ClaimantShare, claim_create, loss_item_add
from yurd.core.actors import system_actor
from yurd.evidence.models import Sensitivity
from yurd.evidence.services import evidence_ingest
from yurd.registry.models import Household, Person
from yurd.registry.selectors import household_queryset
from yurd.reports.tests.data import all_names, populate
from yurd.returns.services import return_intention_record
from yurd.testing.personas import Gazetteer, api_token_key, make_scoped_user

pytestmark = pytest.mark.django_db

PERSONAS = ["registrar", "analyst", "scoped_assessor"]
# 20 cases per operation and persona: the three runs add about 14 s to each database's
# suite over the registrar alone (docs/api.md, Conformance).
EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Calling the WSGI app directly fires request_started/finished, whose
    close_old_connections would close the test's open transaction on PostgreSQL;
    Django's own test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def scoped_assessor(gazetteer: Gazetteer) -> User:
    """An assessor who sees only households living in district B."""
    return make_scoped_user("assessor-scoped", Role.ASSESSOR, gazetteer.district_b, basis=ScopeBasis.RESIDENCE)


@dataclass
class Dataset:
    """Codes of records of every kind the detail endpoints take, one per path parameter."""

    by_path: dict[str, dict[str, str]]


def build_dataset(gazetteer: Gazetteer) -> Dataset:
    """The reports tests' households, plus a claim with an evidenced loss item, an intention
    and evidence items (one restricted), so lists and details have rows to serialise."""
    households = populate(gazetteer)
    household = households[0]  # origin A1 (district A), living in B1 (district B)
    head = household.members.order_by("code").first()
    assert head is not None
    internal = evidence_ingest(actor=system_actor(), stream=io.BytesIO(b"deed (synthetic)"), original_name="d.pdf")
    restricted = evidence_ingest(
        actor=system_actor(),
        stream=io.BytesIO(b"note (synthetic)"),
        original_name="n.pdf",
        sensitivity=Sensitivity.RESTRICTED,
    )
    claim, _secret = claim_create(
        actor=system_actor(),
        household=household,
        heir_line=None,
        claimants=[ClaimantShare(head, Fraction(1))],
        remedy="compensation",
        language="az",
    )
    loss_item_add(
        actor=system_actor(),
        claim=claim,
        expected_version=claim.version,
        category=LossCategory.objects.get(code="dwelling"),
        place=gazetteer.settlement_a1,
        reference="House 12 (synthetic)",
        quantity=Decimal("120"),
        unit="m2",
        price_year=1988,
        evidence=[internal.item.sha256, str(restricted.item.public_code), "f" * 64],
    )
    return_intention_record(
        actor=system_actor(),
        household=household,
        survey_date=dt.date(2025, 3, 1),
        intention="yes",
        preferred_place=gazetteer.settlement_a1,
    )
    return Dataset(
        by_path={
            "/api/claims/{case_number}/": {"case_number": claim.case_number},
            "/api/claims/{case_number}/decisions/": {"case_number": claim.case_number},
            "/api/claims/{case_number}/items/": {"case_number": claim.case_number},
            "/api/evidence/{public_code}/": {"public_code": str(internal.item.public_code)},
            "/api/households/{code}/": {"code": household.code},
            "/api/people/{code}/": {"code": head.code},
            "/api/people/{code}/consents/": {"code": head.code},
            "/api/people/{code}/heirs/": {"code": head.code},
            "/api/places/{code}/": {"code": gazetteer.settlement_a1.code},
        }
    )


def codes_outside_scope(user: User) -> set[str]:
    """Household and person codes this user may not see."""
    inside = household_queryset(user=user).values("pk")
    outside = set(Household.objects.exclude(pk__in=inside).values_list("code", flat=True))
    outside |= set(Person.objects.exclude(household__in=inside).values_list("code", flat=True))
    return outside


def leak_check(persona: str, user: User) -> Callable[[str], str | None]:
    """What must never appear in a response to this persona: for the analyst, any name of the
    dataset's people; for a scoped user, any code outside the scope."""
    forbidden = sorted(all_names() if persona == "analyst" else codes_outside_scope(user))
    assert forbidden, "the check would be empty"

    def first_leak(text: str) -> str | None:
        return next((value for value in forbidden if value in text), None)

    return first_leak


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_conforms_to_the_schema(
    persona: str, gazetteer: Gazetteer, keep_test_connection: None, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    dataset = build_dataset(gazetteer)
    first_leak = leak_check(persona, user)
    headers = {"Authorization": f"Token {api_token_key(user)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    results = list(schema.get_all_operations())
    unreadable = [result.err() for result in results if isinstance(result, Err)]
    assert not unreadable, unreadable
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 7

    def check(case: Any) -> int:
        response = case.call(headers=headers)
        where = f"{persona}: {case.method} {case.formatted_path}"
        assert response.status_code < 500, f"{where}: {response.text[:1000]}"
        case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
        leak = first_leak(response.text)
        assert leak is None, f"{where} revealed {leak!r}"
        return int(response.status_code)

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def conforms(case: Any) -> None:
            check(case)

        conforms()

    answered = {}
    for operation in operations:
        if operation.method.upper() == "GET" and operation.path in dataset.by_path:
            answered[operation.path] = check(operation.Case(path_parameters=dataset.by_path[operation.path]))
    assert set(answered) == set(dataset.by_path), "a known record's endpoint left the schema"
    if persona != "analyst":
        # Both scoped users see the household (origin A, living in B) and its claim.
        assert answered["/api/households/{code}/"] == answered["/api/claims/{case_number}/items/"] == 200
