"""Cohort decisions: a precedent applied to many files, each recorded individually, with a QC sample."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.errors import ClaimError, ClaimPermissionError
from yurd.claims.models import Claim, ClaimEvent, ClaimStatus, Decision, DecisionKind, QcResult
from yurd.claims.services.cohorts import (
    cohort_apply,
    cohort_approve,
    cohort_claims,
    cohort_get_or_create,
    cohort_set_precedent,
)
from yurd.claims.services.decisions import decision_verify
from yurd.claims.services.quality import claim_clear_review_flag, qc_record
from yurd.claims.tests.conftest import World, actor, advance, login, make_household, make_person, new_claim


def _cohort_files(world: World, count: int, assessor: User, reviewer: User) -> list:
    files = []
    for number in range(count):
        household = make_household(world.gazetteer.settlement_a1, world.wave)

        person = make_person(household, f"Person {number}")
        claim = new_claim(
            world, household=household, claimants=[(person, Fraction(1))], items=[{"reference": f"House {number}"}]
        )
        files.append(advance(claim, to="assessed", assessor=assessor, reviewer=reviewer))
    return files


@pytest.fixture
def cohort_setup(world: World, assessor: User, reviewer: User, second_reviewer: User) -> dict:
    precedent_claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=second_reviewer)
    cohort = cohort_get_or_create(
        origin=world.gazetteer.settlement_a1, wave=world.wave, category=world.category("dwelling")
    )
    cohort_set_precedent(actor=actor(second_reviewer), cohort=cohort, decision=precedent_claim.decisions.get())
    files = _cohort_files(world, 12, assessor, reviewer)
    # Four eyes: one reviewer approves the files, another applies the batch.
    cohort_approve(actor=actor(second_reviewer), cohort=cohort)
    return {"cohort": cohort, "files": files, "precedent": precedent_claim}


def test_precedent_is_applied_to_each_file_with_its_own_decision_and_history(
    world: World, reviewer: User, cohort_setup: dict
) -> None:
    batch = cohort_apply(
        actor=actor(reviewer),
        cohort=cohort_setup["cohort"],
        confidence=Decimal("0.95"),
        margin=Decimal("0.05"),
        reason="Standard dwelling losses",
        seed=1,
    )
    assert batch.decided_count == 12 and batch.skipped == []
    for claim in cohort_setup["files"]:
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.DECIDED
        decision = claim.decisions.get()
        assert (
            decision.kind == DecisionKind.COHORT
            and decision.precedent == cohort_setup["precedent"].decisions.get()
            and decision.batch == batch
        )
        assert decision.total == claim.total_value
        assert decision_verify(decision)
        assert list(
            ClaimEvent.objects.filter(claim=claim, action__in=["approve", "decide"]).values_list("action", flat=True)
        ) == ["approve", "decide"]
        assert claim.history.filter(status=ClaimStatus.DECIDED).exists()
    # 12 files at 95 % ± 5 %: the finite population correction gives 12 (all of them).
    assert batch.qc_sample_size == 12 and batch.sample.count() == 12


def test_files_the_reviewer_assessed_or_that_would_pay_twice_are_skipped(
    world: World, assessor: User, reviewer: User, second_reviewer: User, cohort_setup: dict
) -> None:
    own = cohort_setup["files"][0]
    own.assessed_by = reviewer
    own.save(update_fields=["assessed_by"])
    duplicate = new_claim(world, items=[{"reference": "House 12, Lenin street"}])  # the precedent's own house
    duplicate = advance(duplicate, to="approved", assessor=assessor, reviewer=second_reviewer)
    batch = cohort_apply(
        actor=actor(reviewer),
        cohort=cohort_setup["cohort"],
        confidence=Decimal("0.95"),
        margin=Decimal("0.05"),
        reason="Standard",
    )
    skipped = {entry["case_number"]: entry["reason"] for entry in batch.skipped}
    assert "Four eyes" in skipped[own.case_number]
    assert "only once per original owner" in skipped[duplicate.case_number]
    assert batch.decided_count == 11
    own.refresh_from_db()
    duplicate.refresh_from_db()
    assert own.status == ClaimStatus.APPROVED and duplicate.status == ClaimStatus.APPROVED
    assert Decision.objects.filter(claim__in=[own, duplicate]).count() == 0


def test_files_with_other_loss_categories_are_not_in_the_cohort(
    world: World, assessor: User, reviewer: User, cohort_setup: dict
) -> None:
    mixed = new_claim(
        world,
        items=[
            {"reference": "House 99"},
            {"category": world.category("livestock"), "unit": "head", "quantity": Decimal(4), "reference": "Cows"},
        ],
    )
    advance(mixed, to="assessed", assessor=assessor, reviewer=reviewer)
    assert not cohort_claims(cohort_setup["cohort"]).filter(pk=mixed.pk).exists()


def test_qc_result_is_recorded_by_someone_else(
    world: World, reviewer: User, second_reviewer: User, cohort_setup: dict
) -> None:
    batch = cohort_apply(
        actor=actor(reviewer),
        cohort=cohort_setup["cohort"],
        confidence=Decimal("0.90"),
        margin=Decimal("0.20"),
        reason="Standard",
        seed=3,
    )
    assert batch.qc_sample_size == 8  # 90 % ± 20 % of 12 files
    sample = list(batch.sample.values_list("claim_id", flat=True))
    with pytest.raises(ClaimPermissionError):
        qc_record(actor=actor(reviewer), batch=batch, findings={})
    qc_record(actor=actor(second_reviewer), batch=batch, findings=dict.fromkeys(sample[:-1], (False, "")))
    batch.refresh_from_db()
    assert batch.qc_result == QcResult.PENDING
    qc_record(actor=actor(second_reviewer), batch=batch, findings={sample[-1]: (True, "Area double counted")})
    batch.refresh_from_db()
    assert batch.qc_result == QcResult.FAILED and batch.qc_errors == 1


def test_batch_needs_a_precedent_and_reasons(world: World, reviewer: User, registrar: User) -> None:
    cohort = cohort_get_or_create(
        origin=world.gazetteer.settlement_b1, wave=world.wave, category=world.category("land")
    )
    with pytest.raises(ClaimError, match="precedent"):
        cohort_apply(
            actor=actor(reviewer), cohort=cohort, confidence=Decimal("0.95"), margin=Decimal("0.05"), reason="x"
        )
    with pytest.raises(ClaimPermissionError):
        cohort_apply(
            actor=actor(registrar), cohort=cohort, confidence=Decimal("0.95"), margin=Decimal("0.05"), reason="x"
        )


def test_cohort_pages_apply_and_show_the_batch(world: World, reviewer: User, cohort_setup: dict) -> None:
    client = login(Client(), reviewer)
    assert client.get(reverse("claims:cohort_list")).status_code == 200
    url = reverse("claims:cohort_detail", args=[cohort_setup["cohort"].code])
    page = client.get(url).content.decode()
    assert "Apply the precedent to 12 files" in page, page[page.find("<main") :]
    response = client.post(
        url, {"action": "apply", "reason": "Standard", "confidence": "0.95", "margin": "0.05"}, follow=True
    )
    assert "12 files decided." in response.content.decode()
    assert "Quality-control sample" in response.content.decode()


def test_the_applier_of_a_batch_never_approves_its_files(
    world: World, assessor: User, reviewer: User, second_reviewer: User
) -> None:
    precedent_claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=second_reviewer)
    cohort = cohort_get_or_create(
        origin=world.gazetteer.settlement_a1, wave=world.wave, category=world.category("dwelling")
    )
    cohort_set_precedent(actor=actor(second_reviewer), cohort=cohort, decision=precedent_claim.decisions.get())
    files = _cohort_files(world, 3, assessor, reviewer)
    # Assessed but not approved: the applier cannot approve them in passing.
    batch = cohort_apply(
        actor=actor(reviewer), cohort=cohort, confidence=Decimal("0.95"), margin=Decimal("0.05"), reason="Standard"
    )
    assert batch.decided_count == 0 and len(batch.skipped) == 3
    # Approved by the applier: still refused.
    cohort_approve(actor=actor(reviewer), cohort=cohort)
    batch = cohort_apply(
        actor=actor(reviewer), cohort=cohort, confidence=Decimal("0.95"), margin=Decimal("0.05"), reason="Standard"
    )
    assert batch.decided_count == 0 and all("Four eyes" in entry["reason"] for entry in batch.skipped)
    batch = cohort_apply(
        actor=actor(second_reviewer),
        cohort=cohort,
        confidence=Decimal("0.95"),
        margin=Decimal("0.05"),
        reason="Standard",
    )
    assert batch.decided_count == 3
    for claim in files:
        claim.refresh_from_db()
        assert claim.approved_by == reviewer and claim.status == ClaimStatus.DECIDED


def test_a_failed_qc_sample_flags_every_file_of_its_batch_for_re_review(
    world: World, reviewer: User, second_reviewer: User, cohort_setup: dict
) -> None:
    batch = cohort_apply(
        actor=actor(reviewer),
        cohort=cohort_setup["cohort"],
        confidence=Decimal("0.90"),
        margin=Decimal("0.20"),
        reason="Standard",
        seed=3,
    )
    sample = list(batch.sample.values_list("claim_id", flat=True))
    findings = {
        claim_id: (claim_id == sample[0], "Area double counted" if claim_id == sample[0] else "") for claim_id in sample
    }
    qc_record(actor=actor(second_reviewer), batch=batch, findings=findings)
    flagged = Claim.objects.filter(pk__in=[claim.pk for claim in cohort_setup["files"]]).exclude(review_flag="")
    assert flagged.count() == 12
    assert ClaimEvent.objects.filter(action="qc_failed").count() == 12
    claim = flagged.first()
    assert claim is not None
    with pytest.raises(ClaimPermissionError):
        claim_clear_review_flag(actor=actor(reviewer), claim=claim, expected_version=None, reason="Checked")
    claim_clear_review_flag(actor=actor(second_reviewer), claim=claim, expected_version=None, reason="Checked")
    claim.refresh_from_db()
    assert claim.review_flag == ""
