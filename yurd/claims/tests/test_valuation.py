"""Valuation tables: staged import with row errors, versioned values, recomputation, explicit re-valuation."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from yurd.accounts.models import User
from yurd.claims.errors import ClaimError, ClaimPermissionError
from yurd.claims.models import Claim, ClaimEvent, ClaimStatus, Decision, ImportStatus, ValuationTable
from yurd.claims.services.assessment import claim_assess, claim_revalue
from yurd.claims.services.decisions import claim_decide, decision_verify
from yurd.claims.services.workflow import claim_approve
from yurd.claims.tests.conftest import TABLE_V2, World, actor, advance, import_table, login, new_claim
from yurd.claims.valuation import valuation_import_apply, valuation_import_stage
from yurd.core.actors import Actor


def test_assessment_values_items_from_the_table_with_their_arithmetic(
    world: World, assessor: User, reviewer: User
) -> None:
    claim = advance(new_claim(world), to="assessed", assessor=assessor, reviewer=reviewer)
    item = claim.loss_items.get()
    # 120 m² × 85 SUR × 0.0002 × 4350 = 8874 AZN
    assert item.amount == Decimal("8874.00")
    assert claim.total_value == Decimal("8874.00")
    assert item.valuation["table_version"] == world.table.version
    assert item.valuation["lines"][0] == "120 m2 × 85 SUR = 10200 SUR"


def test_most_specific_region_rate_wins(world: World, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world, household=world.household_b), to="assessed", assessor=assessor, reviewer=reviewer)
    # District B has its own dwelling rate (60), more specific than the region's (85).
    assert claim.loss_items.get().valuation["unit_value"] == "60"


def test_missing_rate_is_a_clear_refusal(world: World, assessor: User, reviewer: User) -> None:
    claim = new_claim(world, items=[{"category": world.category("injury"), "unit": "person", "quantity": Decimal(1)}])
    claim = advance(claim, to="documents_verified", assessor=assessor, reviewer=reviewer)
    with pytest.raises(ClaimError, match="has no rate for"):
        claim_assess(actor=actor(assessor), claim=claim, expected_version=claim.version)


def test_import_reports_row_level_errors_and_saves_nothing(world: World, administrator: User) -> None:
    text = "record,category,region,year,unit,unit_value,currency,sequence,label,factor\n"
    text += "rate,dwelling,TST-R1,1988,m2,85,SUR,,,\n"
    text += "rate,castle,TST-R1,1988,m2,85,SUR,,,\n"
    text += "rate,land,NOWHERE,1988,acre,abc,SU,,,\n"
    text += "index,,,,,,,1,,-2\n"
    staged = valuation_import_stage(
        actor=actor(administrator), file=io.BytesIO(text.encode()), filename="t.csv", name="Broken", currency="AZN"
    )
    rows = {error["row"]: " ".join(error["errors"]) for error in staged.errors}
    assert set(rows) == {3, 4, 5}
    assert "unknown category castle" in rows[3]
    assert "unknown place code NOWHERE" in rows[4] and "unknown unit acre" in rows[4] and "not a number" in rows[4]
    assert "positive" in rows[5] and "label" in rows[5]
    with pytest.raises(ClaimError):
        valuation_import_apply(actor=actor(administrator), staged=staged)
    assert ValuationTable.objects.count() == 1


def test_xlsx_import_becomes_the_next_version(world: World, administrator: User) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["record", "category", "region", "year", "unit", "unit_value", "currency", "sequence", "label", "factor"]
    )
    sheet.append(["rate", "dwelling", "", 1988, "m2", 90, "AZN", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    staged = valuation_import_stage(
        actor=actor(administrator), file=buffer, filename="t.xlsx", name="2027 prices", currency="AZN"
    )
    assert staged.errors == []
    table = valuation_import_apply(actor=actor(administrator), staged=staged)
    assert table.version == world.table.version + 1
    assert table.rates.get().unit_value == Decimal("90")
    staged.refresh_from_db()
    assert staged.status == ImportStatus.APPLIED


def test_only_administrators_import_tables(world: World, assessor: User, reviewer: User) -> None:
    for person in (assessor, reviewer):
        with pytest.raises(PermissionDenied):
            valuation_import_stage(
                actor=actor(person), file=io.BytesIO(b"record\n"), filename="t.csv", name="x", currency="AZN"
            )


def test_decision_recomputes_byte_for_byte(world: World, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    decision = claim.decisions.get()
    assert decision.total == Decimal("8874.00")
    assert decision.table_version == world.table.version
    assert decision_verify(decision)


def test_a_new_table_version_never_changes_a_decided_claim(world: World, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    decision = claim.decisions.get()
    stored = (decision.total, decision.content_hash, decision.payload)
    import_table(TABLE_V2, "Raised prices")
    decision = Decision.objects.get(pk=decision.pk)
    claim.refresh_from_db()
    assert (decision.total, decision.content_hash, decision.payload) == stored
    assert claim.total_value == Decimal("8874.00")
    assert decision_verify(decision)


def test_revaluation_under_a_new_version_is_explicit_and_logged(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    first = claim.decisions.get()
    new_table = import_table(TABLE_V2, "Raised prices")
    with pytest.raises(ClaimError, match="reason"):
        claim_revalue(
            actor=actor(administrator), claim=claim, expected_version=claim.version, table=new_table, reason=""
        )
    claim_revalue(
        actor=actor(administrator),
        claim=claim,
        expected_version=claim.version,
        table=new_table,
        reason="Board resolution 12/2027",
    )
    claim.refresh_from_db()
    # Any re-valuation returns the claim to assessment, the re-valuer its assessor; the items are current.
    assert claim.status == ClaimStatus.ASSESSED and claim.assessed_by == administrator
    assert claim.loss_items.get().amount == Decimal("9918.00")
    assert claim.compensations.get().amount == Decimal("8874.00")  # still reserved until decided again
    claim = advance_from_assessed(claim, reviewer)
    assert claim.compensations.get().amount == Decimal("9918.00")
    second = claim.decisions.get(number=2)
    # 120 × 95 × 0.0002 × 4350 = 9918
    assert (
        second.total == Decimal("9918.00") and second.supersedes == first and second.table_version == new_table.version
    )
    assert Decision.objects.get(pk=first.pk).total == Decimal("8874.00")
    event = ClaimEvent.objects.get(claim=claim, action="revalue")
    assert event.reason == "Board resolution 12/2027" and event.detail["previous_total"] == "8874.00"
    assert decision_verify(first) and decision_verify(second)


def test_revaluing_an_approved_claim_sends_it_back_for_approval(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    claim = advance(new_claim(world), to="approved", assessor=assessor, reviewer=reviewer)
    new_table = import_table(TABLE_V2, "Raised prices")
    claim_revalue(
        actor=actor(administrator), claim=claim, expected_version=claim.version, table=new_table, reason="New prices"
    )
    claim.refresh_from_db()
    assert (
        claim.status == ClaimStatus.ASSESSED and claim.approved_by is None and claim.total_value == Decimal("9918.00")
    )


def test_decisions_are_immutable(world: World, assessor: User, reviewer: User) -> None:
    decision = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer).decisions.get()
    decision.total = Decimal("1.00")
    with pytest.raises(ValueError, match="immutable"):
        decision.save()


def test_import_pages_stage_then_apply(world: World, administrator: User) -> None:
    client = login(Client(), administrator)
    upload = io.BytesIO(TABLE_V2.encode())
    upload.name = "prices.csv"
    response = client.post(reverse("claims:valuation_import"), {"name": "Raised", "currency": "AZN", "file": upload})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Apply as the next version" in detail.content.decode()
    applied = client.post(response["Location"], {"action": "apply"}, follow=True)
    assert applied.status_code == 200
    assert ValuationTable.objects.filter(version=2).exists()


def test_revaluation_needs_manage_permission(world: World, assessor: User, reviewer: User) -> None:
    claim = advance(new_claim(world), to="assessed", assessor=assessor, reviewer=reviewer)

    with pytest.raises(ClaimPermissionError):
        claim_revalue(
            actor=Actor(user=reviewer), claim=claim, expected_version=claim.version, table=world.table, reason="x"
        )


def advance_from_assessed(claim: Claim, reviewer: User) -> Claim:
    claim.refresh_from_db()
    claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    claim.refresh_from_db()
    claim_decide(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    claim.refresh_from_db()
    return claim


@pytest.mark.parametrize("stage", ["assessed", "approved", "decided"])
def test_whoever_re_values_a_claim_cannot_approve_or_decide_it(
    world: World, assessor: User, reviewer: User, administrator: User, stage: str
) -> None:
    claim = advance(new_claim(world), to=stage, assessor=assessor, reviewer=reviewer)
    new_table = import_table(TABLE_V2, "Raised prices")
    claim_revalue(
        actor=actor(administrator), claim=claim, expected_version=claim.version, table=new_table, reason="New prices"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSESSED and claim.assessed_by == administrator
    with pytest.raises(ClaimPermissionError, match="Four eyes"):
        claim_approve(actor=actor(administrator), claim=claim, expected_version=claim.version)
    claim_approve(actor=actor(reviewer), claim=claim, expected_version=claim.version)
    claim.refresh_from_db()
    with pytest.raises(ClaimPermissionError, match="Four eyes"):
        claim_decide(actor=actor(administrator), claim=claim, expected_version=claim.version)
