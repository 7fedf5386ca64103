"""Decisions: immutable records with a canonical payload and content hash, and their recomputation."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.domain.shares import split_amount
from yurd.claims.domain.valuation import canonical_json, total_amount
from yurd.claims.errors import ClaimError
from yurd.claims.models import (
    Claim,
    Claimant,
    ClaimStatus,
    CohortBatch,
    Decision,
    DecisionKind,
    DecisionOutcome,
    LossItem,
    ValuationTable,
)
from yurd.claims.services.common import check_transition, claim_event, four_eyes, lock_claim, save_claim
from yurd.claims.services.compensation import sync_compensations
from yurd.claims.services.heirs import check_share_override_reviewed
from yurd.claims.valuation import TableLookup
from yurd.claims.workflow import TRANSITIONS
from yurd.core.actors import Actor


def decision_payload(
    *,
    claim: Claim,
    number: int,
    kind: str,
    outcome: str,
    table: ValuationTable,
    items: Sequence[LossItem],
    valuations: dict[int, dict[str, Any]],
    decided_at: datetime,
    decided_by: str,
    reason: str,
    precedent: Decision | None,
    supersedes: Decision | None,
    claimants: Sequence[Claimant],
) -> dict[str, Any]:
    granted = outcome == DecisionOutcome.GRANTED
    total = total_amount([Decimal(valuations[item.pk]["amount"]) for item in items]) if granted else Decimal("0.00")
    parts = split_amount(total, {claimant.person.code: claimant.share for claimant in claimants}) if claimants else {}
    return {
        "case_number": claim.case_number,
        "decision_number": number,
        "kind": kind,
        "outcome": outcome,
        "filed_by": claim.filed_by,
        "household": claim.household.code,
        "heir_line": claim.heir_line.code if claim.heir_line else None,
        "remedy": claim.remedy,
        "claimants": [
            {
                "person": claimant.person.code,
                "share": str(claimant.share),
                "amount": format(parts.get(claimant.person.code, Decimal("0.00")), "f"),
            }
            for claimant in claimants
        ],
        "items": [
            {
                "item": item.pk,
                "category": item.category.code,
                "place": item.place.code,
                "reference": item.reference,
                "property_key": item.property_key,
                "valuation": valuations[item.pk],
            }
            for item in items
        ],
        "table_version": table.version,
        "currency": table.currency,
        "total": format(total, "f"),
        "decided_at": decided_at.isoformat(),
        "decided_by": decided_by,
        "reason": reason,
        "precedent": precedent.content_hash if precedent else None,
        "supersedes": supersedes.content_hash if supersedes else None,
    }


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def stored_valuations(items: Sequence[LossItem], table: ValuationTable) -> dict[int, dict[str, Any]]:
    """The assessment's stored arithmetic; it names its table version, which must be the decision's."""
    valuations = {}
    for item in items:
        stored = dict(item.valuation)
        if stored.pop("table_version", None) != table.version:
            raise ClaimError(
                _("Loss item %(item)s was not valued under table v%(version)s; re-value the claim first.")
                % {"item": item.reference, "version": table.version}
            )
        valuations[item.pk] = stored
    return valuations


def build_decision(
    *,
    actor: Actor,
    claim: Claim,
    items: Sequence[LossItem],
    claimants: Sequence[Claimant],
    valuations: dict[int, dict[str, Any]],
    number: int,
    kind: str,
    outcome: str,
    table: ValuationTable,
    reason: str,
    now: datetime,
    precedent: Decision | None = None,
    supersedes: Decision | None = None,
    batch: CohortBatch | None = None,
) -> Decision:
    """An unsaved decision with its canonical payload and content hash."""
    payload = decision_payload(
        claim=claim,
        number=number,
        kind=kind,
        outcome=outcome,
        table=table,
        items=items,
        valuations=valuations,
        decided_at=now,
        decided_by=actor.username,
        reason=reason,
        precedent=precedent,
        supersedes=supersedes,
        claimants=claimants,
    )
    return Decision(
        claim=claim,
        number=number,
        kind=kind,
        outcome=outcome,
        total=Decimal(payload["total"]),
        currency=table.currency,
        table=table,
        table_version=table.version,
        reason=reason,
        payload=payload,
        content_hash=content_hash(payload),
        decided_by=actor.user,
        decided_at=now,
        precedent=precedent,
        supersedes=supersedes,
        batch=batch,
    )


def record_decision(
    *,
    actor: Actor,
    claim: Claim,
    kind: str,
    outcome: str,
    table: ValuationTable,
    reason: str,
    now: datetime,
    lookup: TableLookup | None = None,
    supersedes: Decision | None = None,
) -> Decision:
    """Save a decision on the claim's current items and claimants; its compensation rows follow it."""
    items = list(claim.loss_items.select_related("category", "place", "property__original_owner").order_by("id"))
    if lookup is not None:
        valuations = {item.pk: lookup.value(item).as_dict() for item in items}
    else:
        valuations = stored_valuations(items, table)
    claimants = list(claim.claimants.select_related("person").order_by("id"))
    decision = build_decision(
        actor=actor,
        claim=claim,
        items=items,
        claimants=claimants,
        valuations=valuations,
        number=claim.decisions.count() + 1,
        kind=kind,
        outcome=outcome,
        table=table,
        reason=reason,
        now=now,
        supersedes=supersedes,
    )
    decision.save(force_insert=True)
    sync_compensations(claim, items, decision, valuations)
    return decision


def claim_decide(
    *,
    actor: Actor,
    claim: Claim,
    expected_version: int | None,
    outcome: str = DecisionOutcome.GRANTED,
    reason: str = "",
) -> Decision:
    """Decide an approved claim: an immutable decision, and compensation rows the database keeps unique."""
    if outcome not in DecisionOutcome.values:
        raise ClaimError(_("Unknown outcome."))
    if outcome == DecisionOutcome.REJECTED and not reason.strip():
        raise ClaimError(_("A rejection needs its reasons."))
    with transaction.atomic():
        locked = lock_claim(claim, expected_version)
        four_eyes(locked, actor, _("decide"))
        check_share_override_reviewed(locked)
        check_transition(locked, TRANSITIONS["decide"], actor, reason)
        now = timezone.now()
        assert locked.valuation_table is not None  # noqa: S101 - an approved claim was assessed
        decision = record_decision(
            actor=actor,
            claim=locked,
            kind=DecisionKind.INDIVIDUAL,
            outcome=outcome,
            table=locked.valuation_table,
            reason=reason,
            now=now,
            supersedes=locked.decisions.order_by("-number").first(),
        )
        finish_decision(locked, actor, decision, reason=reason, now=now)
        return decision


def finish_decision(
    claim: Claim, actor: Actor, decision: Decision, *, reason: str, now: datetime, batch: CohortBatch | None = None
) -> None:
    """The claim is decided: its status, decision week and a "decide" event naming the decision."""
    before = claim.status
    claim.status = ClaimStatus.DECIDED
    claim.status_changed_at = now
    claim.mark_decided(now)
    save_claim(claim, actor, ["status", "status_changed_at", "decided_at", "decided_week"])
    detail: dict[str, Any] = {
        "decision": decision.number,
        "content_hash": decision.content_hash,
        "total": str(decision.total),
    }
    if batch is not None:
        detail["batch"] = batch.pk
    claim_event(
        claim, actor, "decide", from_status=before, to_status=claim.status, reason=reason, detail=detail, at=now
    ).save()


def decision_recompute(decision: Decision) -> dict[str, Any]:
    """The decision's content rebuilt from its claim and its own table version."""
    claim = decision.claim
    lookup = TableLookup.load(decision.table)
    items = list(claim.loss_items.select_related("category", "place").order_by("id"))
    stored_ids = [entry["item"] for entry in decision.payload.get("items", [])]
    items = [item for item in items if item.pk in stored_ids]
    valuations = {item.pk: lookup.value(item).as_dict() for item in items}
    return decision_payload(
        claim=claim,
        number=decision.number,
        kind=decision.kind,
        outcome=decision.outcome,
        table=decision.table,
        items=items,
        valuations=valuations,
        decided_at=decision.decided_at,
        decided_by=decision.payload.get("decided_by", ""),
        reason=decision.reason,
        precedent=decision.precedent,
        supersedes=decision.supersedes,
        claimants=list(claim.claimants.select_related("person").order_by("id")),
    )


def decision_verify(decision: Decision) -> bool:
    """True when the recomputed content is byte for byte the stored one (and so is its hash)."""
    recomputed = decision_recompute(decision)
    return (
        canonical_json(recomputed) == canonical_json(decision.payload)
        and content_hash(recomputed) == decision.content_hash
    )
