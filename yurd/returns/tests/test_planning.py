from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from yurd.claims.models import Claim, LossCategory, LossItem
from yurd.claims.services.properties import property_for
from yurd.core.actors import system_actor
from yurd.core.models import AccessLogEntry
from yurd.returns.models import Intention, ReturnIntention
from yurd.returns.selectors import settlement_plan
from yurd.returns.services import return_intention_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def intentions(quliyev_family, demirci_family, gazetteer):
    actor = system_actor()
    return_intention_record(
        actor=actor,
        household=quliyev_family,
        survey_date=dt.date(2025, 6, 1),
        intention=Intention.CONDITIONAL,
        preferred_place=gazetteer.settlement_a1,
        conditions=["security", "property"],
        returning_members=list(quliyev_family.members.all()),
    )
    return_intention_record(
        actor=actor,
        household=demirci_family,
        survey_date=dt.date(2025, 6, 2),
        intention=Intention.YES,
        preferred_place=gazetteer.settlement_a1,
        conditions=["housing"],
        returning_members=list(demirci_family.members.all()),
    )


def test_settlement_plan_counts_households_people_and_conditions(administrator, intentions, gazetteer):
    plan = settlement_plan(user=administrator, place=gazetteer.settlement_a1)
    assert plan.households_returning == 2
    assert plan.people_returning == 3
    assert dict(plan.conditions)["security"] == 1
    assert dict(plan.conditions)["housing"] == 1


def test_planning_respects_scope(registrar, intentions, gazetteer, quliyev_family):
    plan = settlement_plan(user=registrar, place=gazetteer.settlement_a1)
    assert [intention.household for intention in plan.intentions] == [quliyev_family]


def test_dwelling_losses_come_from_claims(administrator, intentions, gazetteer, quliyev_family):
    claim = Claim.objects.create(case_number="CL-TEST-1", household=quliyev_family, secret_hash="x")
    dwelling = LossCategory.objects.get(code="dwelling")
    house = property_for(
        category=dwelling, place=gazetteer.settlement_a1, reference="house 1", owner=None, household=quliyev_family
    )
    LossItem.objects.create(
        claim=claim,
        category=dwelling,
        property=house,
        place=gazetteer.settlement_a1,
        reference="house 1",
        quantity=Decimal(120),
        unit="m2",
        price_year=1988,
    )
    plan = settlement_plan(user=administrator, place=gazetteer.settlement_a1)
    assert plan.dwelling_losses == 1


def test_planning_pages_show_the_settlement_and_its_map(client, registrar, intentions, gazetteer):
    client.force_login(registrar)
    overview = client.get(reverse("returns:planning"))
    assert overview.status_code == 200
    assert "returns-map-data" in overview.content.decode()
    detail = client.get(reverse("returns:settlement_plan", args=[gazetteer.settlement_a1.code]))
    assert detail.status_code == 200
    assert "Qarabulaq" in detail.content.decode()


def test_planning_export_is_pseudonymised_logged_and_injection_safe(client, registrar, intentions, gazetteer):
    ReturnIntention.objects.update(timeline="=HYPERLINK(1)")
    client.force_login(registrar)
    response = client.post(
        reverse("returns:settlement_export", args=[gazetteer.settlement_a1.code]), {"purpose": "housing plan"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "household"
    assert len(rows) == 2
    assert not rows[1][0].startswith("HH-")
    assert rows[1][-1] == "'=HYPERLINK(1)"
    assert "Quliyev" not in response.content.decode()
    entry = AccessLogEntry.objects.get(user=registrar, action="export")
    assert entry.purpose == "housing plan"


def test_export_without_purpose_is_refused(client, registrar, intentions, gazetteer):
    client.force_login(registrar)
    response = client.post(reverse("returns:settlement_export", args=[gazetteer.settlement_a1.code]), {"purpose": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not AccessLogEntry.objects.filter(action="export").exists()
