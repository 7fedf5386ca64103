"""Cohorts: files of one origin, wave and loss category, decided in a batch after a precedent."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from yurd.claims.domain.sampling import draw_sample, qc_sample_size
from yurd.claims.errors import ClaimError, ClaimPermissionError, DoubleCompensationError
from yurd.claims.models import (
    Claim,
    Claimant,
    ClaimEvent,
    ClaimStatus,
    Cohort,
    CohortBatch,
    Compensation,
    Decision,
    DecisionKind,
    DecisionOutcome,
    LossCategory,
    LossItem,
    QcSampleItem,
    ValuationTable,
)
from yurd.claims.services.common import claim_event, four_eyes, require
from yurd.claims.services.compensation import compensation_rows, line_key_for, owner_lines
from yurd.claims.services.decisions import build_decision, stored_valuations
from yurd.claims.services.workflow import claim_approve
from yurd.core.actors import Actor
from yurd.registry.models import HeirLine

BATCHABLE = (ClaimStatus.ASSESSED, ClaimStatus.APPROVED)


def cohort_code(origin_code: str, wave_code: str | None, category_code: str) -> str:
    return f"{origin_code}:{wave_code or '-'}:{category_code}"[:32]


def cohort_get_or_create(*, origin: Any, wave: Any, category: LossCategory) -> Cohort:
    cohort, _created = Cohort.objects.get_or_create(
        origin_place=origin,
        wave=wave,
        category=category,
        defaults={"code": cohort_code(origin.code, wave.code if wave else None, category.code)},
    )
    return cohort


def cohort_claims(cohort: Cohort) -> QuerySet[Claim]:
    """Files of the cohort: its origin and wave, loss items of its category only."""
    other_categories = LossItem.objects.filter(claim=OuterRef("pk")).exclude(category=cohort.category)
    return (
        Claim.objects.filter(
            household__origin_place=cohort.origin_place,
            household__wave=cohort.wave,
            loss_items__category=cohort.category,
        )
        .exclude(Exists(other_categories))
        .distinct()
    )


@transaction.atomic
def cohort_set_precedent(*, actor: Actor, cohort: Cohort, decision: Decision) -> Cohort:
    require(actor, "claims.decide_claim")
    if not cohort_claims(cohort).filter(pk=decision.claim_id).exists():
        raise ClaimError(_("The precedent must be a decision on a file of this cohort."))
    if decision.outcome != DecisionOutcome.GRANTED or decision.kind == DecisionKind.COHORT:
        raise ClaimError(_("A precedent must be an individual decision that granted the claim."))
    cohort.precedent = decision
    cohort.save(update_fields=["precedent", "updated_at"])
    claim_event(
        decision.claim, actor, "cited_as_precedent", detail={"cohort": cohort.code, "decision": decision.number}
    ).save()
    return cohort


@transaction.atomic
def cohort_approve(*, actor: Actor, cohort: Cohort, reason: str = "", scope: Q | None = None) -> list[str]:
    """Approve the cohort's assessed files in one step; the batch is then applied by someone else.

    Files this reviewer assessed are left for another reviewer. Returns the approved case numbers.
    """
    require(actor, "claims.approve_claim")
    if actor.user is None:
        raise ClaimPermissionError(_("An approval must be signed by a person."))
    candidates = cohort_claims(cohort).filter(status=ClaimStatus.ASSESSED).exclude(assessed_by=actor.user)
    if scope is not None:
        candidates = candidates.filter(scope)
    approved = []
    for claim in candidates.order_by("case_number"):
        claim_approve(actor=actor, claim=claim, expected_version=None, reason=reason)
        approved.append(claim.case_number)
    return approved


# --- Applying a batch -------------------------------------------------------------------


@dataclass
class _Files:
    """The batch's files, locked, with everything a decision needs loaded in a few queries."""

    claims: list[Claim]
    items: dict[int, list[LossItem]]
    claimants: dict[int, list[Claimant]]
    decision_counts: dict[int, int]
    lines: dict[int, HeirLine]
    # (line key, property id) -> case number of the claim that holds it (compensated or in this batch).
    taken: dict[tuple[str, int], str]


@dataclass
class _Plan:
    decisions: list[Decision] = field(default_factory=list)
    decided: list[tuple[Claim, list[LossItem], dict[int, dict[str, Any]]]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def cohort_apply(
    *,
    actor: Actor,
    cohort: Cohort,
    confidence: Decimal,
    margin: Decimal,
    reason: str,
    scope: Q | None = None,
    seed: int | None = None,
    limit: int | None = None,
) -> CohortBatch:
    """Apply the cohort's precedent to its approved files, each recorded individually.

    Files must have been approved (cohort_approve) by someone other than who applies the
    batch, and assessed by someone else again (four eyes). Every file gets its own decision with its content
    hash, compensation rows, decide event and history row, written in bulk in one
    transaction. A file that cannot be decided (four eyes, double compensation, a stale
    valuation) is skipped with its reason and the rest go on. A QC sample is drawn from
    the decided files. The unique constraint on compensations still has the last word:
    a concurrent decision on the same property rolls the whole batch back.
    """
    require(actor, "claims.decide_claim")
    if actor.user is None:
        raise ClaimPermissionError(_("A batch decision must be signed by a person."))
    if cohort.precedent is None:
        raise ClaimError(_("Choose a precedent decision for this cohort first."))
    if not reason.strip():
        raise ClaimError(_("A batch decision needs its reasons."))
    precedent = cohort.precedent
    candidates = cohort_claims(cohort).filter(status__in=BATCHABLE)
    if scope is not None:
        candidates = candidates.filter(scope)
    claim_ids = list(candidates.order_by("case_number").values_list("pk", flat=True)[:limit])
    now = timezone.now()
    batch_reason = _("%(reason)s (precedent: claim %(case)s, decision %(number)s)") % {
        "reason": reason,
        "case": precedent.payload.get("case_number", ""),
        "number": precedent.number,
    }
    with transaction.atomic():
        batch = CohortBatch.objects.create(
            cohort=cohort,
            precedent=precedent,
            applied_by=actor.user,
            applied_at=now,
            qc_confidence=confidence,
            qc_margin=margin,
        )
        files = _load_files(claim_ids)
        plan = _plan_decisions(actor, files, batch=batch, reason=batch_reason, now=now)
        Decision.objects.bulk_create(plan.decisions, batch_size=500)
        _write_compensations(plan, files)
        _mark_decided(actor, plan, batch=batch, reason=batch_reason, now=now)
        _draw_qc_sample(batch, plan, confidence=confidence, margin=margin, seed=seed)
    return batch


def _load_files(claim_ids: Sequence[int]) -> _Files:
    claims = list(
        Claim.objects.select_for_update(of=("self",))
        .select_related("household", "heir_line", "valuation_table")
        .filter(pk__in=claim_ids, status__in=BATCHABLE)
        .order_by("case_number")
    )
    items: dict[int, list[LossItem]] = {claim.pk: [] for claim in claims}
    for item in (
        LossItem.objects.filter(claim_id__in=items)
        .select_related("category", "place", "property__original_owner")
        .order_by("id")
    ):
        items[item.claim_id].append(item)
    claimants: dict[int, list[Claimant]] = {claim.pk: [] for claim in claims}
    for claimant in Claimant.objects.filter(claim_id__in=claimants).select_related("person").order_by("id"):
        claimants[claimant.claim_id].append(claimant)
    decision_counts = dict(
        Decision.objects.filter(claim_id__in=items)
        .values("claim_id")
        .annotate(n=Count("id"))
        .values_list("claim_id", "n")
    )
    all_items = [item for claim_items in items.values() for item in claim_items]
    property_ids = {item.property_id for item in all_items}
    taken = {
        (line_key, property_id): case
        for line_key, property_id, case in Compensation.objects.filter(property_id__in=property_ids).values_list(
            "line_key", "property_id", "claim__case_number"
        )
    }
    return _Files(claims, items, claimants, decision_counts, owner_lines(all_items), taken)


def _plan_decisions(actor: Actor, files: _Files, *, batch: CohortBatch, reason: str, now: datetime) -> _Plan:
    """An unsaved decision for every file that can join the batch; the others skipped with their reason."""
    plan = _Plan()
    for claim in files.claims:
        items = files.items[claim.pk]
        try:
            table = _cohort_file_check(claim, actor, items, files.lines, files.taken)
            valuations = stored_valuations(items, table)
        except ClaimError as error:
            plan.skipped.append({"case_number": claim.case_number, "reason": error.message})
            continue
        for item in items:
            files.taken[(line_key_for(claim, item, files.lines)[0], item.property_id)] = claim.case_number
        plan.decisions.append(
            build_decision(
                actor=actor,
                claim=claim,
                items=items,
                claimants=files.claimants[claim.pk],
                valuations=valuations,
                number=files.decision_counts.get(claim.pk, 0) + 1,
                kind=DecisionKind.COHORT,
                outcome=DecisionOutcome.GRANTED,
                table=table,
                reason=reason,
                now=now,
                precedent=batch.precedent,
                batch=batch,
            )
        )
        plan.decided.append((claim, items, valuations))
    return plan


def _cohort_file_check(
    claim: Claim,
    actor: Actor,
    items: Sequence[LossItem],
    lines: dict[int, HeirLine],
    taken: dict[tuple[str, int], str],
) -> ValuationTable:
    """Why this file cannot join the batch (raised), or the table it was valued under."""
    four_eyes(claim, actor, _("decide"))
    if claim.status != ClaimStatus.APPROVED:
        raise ClaimError(
            _("Claim %(case)s is not approved yet: a reviewer other than who applies the batch approves it first.")
            % {"case": claim.case_number}
        )
    if claim.approved_by_id == actor.user.pk:  # type: ignore[union-attr]
        raise ClaimPermissionError(
            _("Four eyes: you approved claim %(case)s, so someone else must apply the batch to it.")
            % {"case": claim.case_number}
        )
    if claim.valuation_table is None or not items:
        raise ClaimError(_("Claim %(case)s has not been valued.") % {"case": claim.case_number})
    clashes = []
    for item in items:
        key = (line_key_for(claim, item, lines)[0], item.property_id)
        if key in taken:
            clashes.append(_("%(reference)s (claim %(case)s)") % {"reference": item.reference, "case": taken[key]})
    if clashes:
        raise DoubleCompensationError(
            _("The same property can be compensated only once per original owner's line: %(items)s.")
            % {"items": "; ".join(clashes)}
        )
    return claim.valuation_table


def _write_compensations(plan: _Plan, files: _Files) -> None:
    """All the batch's compensation rows at once; a concurrent decision on one property rolls back the batch."""
    rows: list[Compensation] = []
    for decision, (claim, items, valuations) in zip(plan.decisions, plan.decided, strict=True):
        rows.extend(compensation_rows(claim, items, decision, valuations, files.lines))
    try:
        with transaction.atomic():
            Compensation.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError as error:
        raise DoubleCompensationError(
            _(
                "Another decision compensated one of these properties meanwhile; nothing was decided. "
                "Apply the batch again."
            )
        ) from error


def _mark_decided(actor: Actor, plan: _Plan, *, batch: CohortBatch, reason: str, now: datetime) -> None:
    """Every decided file: its status, version, history row and a "decide" event naming its decision."""
    events: list[ClaimEvent] = []
    decided = [claim for claim, _items, _valuations in plan.decided]
    for decision, claim in zip(plan.decisions, decided, strict=True):
        claim.status = ClaimStatus.DECIDED
        claim.status_changed_at = now
        claim.mark_decided(now)
        claim.version += 1
        detail = {
            "decision": decision.number,
            "content_hash": decision.content_hash,
            "total": str(decision.total),
            "batch": batch.pk,
        }
        events.append(
            claim_event(
                claim,
                actor,
                "decide",
                from_status=ClaimStatus.APPROVED,
                to_status=ClaimStatus.DECIDED,
                reason=reason,
                detail=detail,
                at=now,
            )
        )
    ClaimEvent.objects.bulk_create(events, batch_size=1000)
    bulk_update_with_history(
        decided,
        Claim,
        ["status", "status_changed_at", "decided_at", "decided_week", "approved_by", "version", "updated_at"],
        batch_size=500,
        default_user=actor.user,
        default_change_reason=reason[:100],
        default_date=now,
    )


def _draw_qc_sample(batch: CohortBatch, plan: _Plan, *, confidence: Decimal, margin: Decimal, seed: int | None) -> None:
    decided_ids = [claim.pk for claim, _items, _valuations in plan.decided]
    batch.decided_count = len(decided_ids)
    batch.skipped = plan.skipped
    batch.qc_seed = seed if seed is not None else secrets.randbits(48)
    batch.qc_sample_size = qc_sample_size(len(decided_ids), confidence=float(confidence), margin=float(margin))
    sample = draw_sample(decided_ids, batch.qc_sample_size, seed=batch.qc_seed)
    QcSampleItem.objects.bulk_create([QcSampleItem(batch=batch, claim_id=claim_id) for claim_id in sorted(sample)])
    batch.save(update_fields=["decided_count", "skipped", "qc_seed", "qc_sample_size"])
