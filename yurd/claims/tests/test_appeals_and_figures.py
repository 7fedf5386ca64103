"""Appeals can change a decision; the dashboard's decided value is the sum of compensation rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yurd.accounts.models import User
from yurd.claims import selectors
from yurd.claims.errors import ClaimError, ClaimPermissionError
from yurd.claims.letters import decision_letter_html
from yurd.claims.models import Appeal, AppealOutcome, ClaimEvent, ClaimStatus, Compensation, DecisionKind
from yurd.claims.services.appeals import appeal_decide, claim_appeal
from yurd.claims.services.decisions import claim_decide, decision_verify
from yurd.claims.services.workflow import claim_annul
from yurd.claims.tests.conftest import World, actor, advance, login, new_claim
from yurd.registry.services import population_figure_set


def _decided_totals(user: User) -> dict[str, Decimal]:
    return dict(selectors.progress_summary(user=user)["decided_totals"])


def _compensation_sums() -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for row in Compensation.objects.select_related("decision"):
        sums[row.decision.currency] = sums.get(row.decision.currency, Decimal(0)) + row.amount
    return sums


def test_an_appeal_reverses_a_rejection_into_an_award(
    world: World, assessor: User, reviewer: User, second_reviewer: User, administrator: User
) -> None:
    claim = advance(new_claim(world), to="approved", assessor=assessor, reviewer=reviewer)
    claim_decide(
        actor=actor(reviewer),
        claim=claim,
        expected_version=claim.version,
        outcome="rejected",
        reason="Ownership not shown",
    )
    claim.refresh_from_db()
    assert Compensation.objects.count() == 0
    assert _decided_totals(administrator) == {}
    assert selectors.progress_summary(user=administrator)["rejected"] == 1
    claim_appeal(actor=actor(None), claim=claim, expected_version=claim.version, reason="The title deed was found")
    appeal = Appeal.objects.get(claim=claim)
    assert appeal.filed_on == timezone.localdate() and appeal.deadline > appeal.filed_on
    # Neither the assessor nor the approver (who also decided) may review the appeal.
    with pytest.raises(ClaimPermissionError):
        appeal_decide(actor=actor(assessor), appeal=appeal, outcome="granted", reason="Deed found")
    with pytest.raises(ClaimPermissionError, match="Four eyes"):
        appeal_decide(actor=actor(reviewer), appeal=appeal, outcome="granted", reason="Deed found")
    appeal_decide(actor=actor(second_reviewer), appeal=appeal, outcome="granted", reason="Deed found")
    claim.refresh_from_db()
    appeal.refresh_from_db()
    assert claim.status == ClaimStatus.DECIDED and appeal.outcome == AppealOutcome.CHANGED
    new = appeal.new_decision
    assert new is not None and new.kind == DecisionKind.APPEAL and new.outcome == "granted"
    assert new.supersedes == appeal.decision and new.total == Decimal("8874.00")
    assert decision_verify(new)
    row = Compensation.objects.get()
    assert row.claim == claim and row.decision == new and row.amount == Decimal("8874.00")
    assert _decided_totals(administrator) == {"AZN": Decimal("8874.00")}
    assert selectors.progress_summary(user=administrator)["rejected"] == 0
    assert list(claim.events.values_list("action", flat=True))[-2:] == ["appeal", "appeal_decided"]
    letter = decision_letter_html(new, language="en")
    assert "8,874.00" in letter or "8874.00" in letter
    assert "granted" in letter.lower()


def test_an_appeal_filed_after_the_deadline_is_refused(world: World, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    late = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(ClaimError, match="deadline"):
        claim_appeal(actor=actor(None), claim=claim, expected_version=claim.version, reason="Late", filed_on=late)


def test_an_upheld_appeal_keeps_the_award(world: World, assessor: User, reviewer: User, second_reviewer: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    claim_appeal(actor=actor(None), claim=claim, expected_version=claim.version, reason="Too little")
    appeal = Appeal.objects.get()
    appeal_decide(actor=actor(second_reviewer), appeal=appeal, outcome="upheld", reason="Prices are right")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECIDED and claim.decisions.count() == 1
    assert Compensation.objects.get().amount == Decimal("8874.00")
    assert ClaimEvent.objects.filter(claim=claim, action="appeal_decided").exists()


def test_the_dashboard_decided_value_is_the_sum_of_compensation_rows_per_currency(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    granted = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    rejected = advance(
        new_claim(world, household=world.household_b, items=[{"reference": "Farm house"}]),
        to="approved",
        assessor=assessor,
        reviewer=reviewer,
    )
    claim_decide(
        actor=actor(reviewer), claim=rejected, expected_version=rejected.version, outcome="rejected", reason="No"
    )
    annulled = advance(
        new_claim(world, household=world.household_b, items=[{"reference": "Barn"}]),
        to="decided",
        assessor=assessor,
        reviewer=reviewer,
    )
    claim_annul(actor=actor(administrator), claim=annulled, expected_version=annulled.version, reason="Dup")
    population_figure_set(
        actor=actor(administrator),
        families=50000,
        kind="estimate",
        source="synthetic test figure",
        interval_low=45000,
        interval_high=56000,
        reason="Test figure",
    )
    summary = selectors.progress_summary(user=administrator)
    assert dict(summary["decided_totals"]) == _compensation_sums() == {"AZN": Decimal("8874.00")}
    assert summary["rejected"] == 1
    assert granted.compensations.count() == 1
    assert summary["denominator"].families == 50000
    page = login(Client(), administrator).get(reverse("claims:progress")).content.decode()
    assert "of 50,000 families" in page and "estimate, source: synthetic test figure" in page
    assert "interval 45,000 to 56,000" in page
    assert "8,874.00 AZN" in page
