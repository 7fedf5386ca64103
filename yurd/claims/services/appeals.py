"""Appeals: filing one against the latest decision, and its review by someone not involved before."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.errors import ClaimError, ClaimPermissionError, IllegalTransitionError
from yurd.claims.models import Appeal, AppealOutcome, Claim, ClaimStatus, Decision, DecisionKind, DecisionOutcome
from yurd.claims.services.common import claim_event, lock_claim, require, save_claim, transition
from yurd.claims.services.decisions import record_decision
from yurd.claims.workflow import TRANSITIONS
from yurd.core.actors import Actor
from yurd.core.formatting import format_date
from yurd.core.history import history_user_set

UPHELD = "upheld"


def appeal_deadline(decision: Decision) -> date:
    return timezone.localtime(decision.decided_at).date() + timedelta(days=settings.YURD_CLAIMS_APPEAL_DAYS)


def claim_appeal(
    *,
    actor: Actor,
    claim: Claim,
    expected_version: int | None,
    reason: str,
    filed_on: date | None = None,
    documents: str = "",
    evidence: Sequence[Any] = (),
) -> Claim:
    """Record an appeal against the latest decision: its grounds (the reason), filing date and deadline.

    `evidence`: the appeal's documents as vault items (EvidenceItem), linked to the appeal.
    """
    with transaction.atomic():
        locked = lock_claim(claim, expected_version)
        latest = locked.decisions.order_by("-number").first()
        filed_on = filed_on or timezone.localdate()
        if latest is not None and locked.status in TRANSITIONS["appeal"].sources:
            deadline = appeal_deadline(latest)
            if filed_on > deadline:
                raise ClaimError(
                    _("The appeal deadline for decision %(number)s was %(deadline)s; this appeal is late.")
                    % {"number": latest.number, "deadline": format_date(deadline)}
                )

        def prepare(target: Claim, now: datetime) -> dict[str, Any]:
            assert latest is not None  # noqa: S101 - a decided claim has a decision
            appeal = Appeal.objects.create(
                claim=target,
                decision=latest,
                grounds=reason,
                documents=documents,
                filed_on=filed_on,
                deadline=appeal_deadline(latest),
                filed_by=actor.user,
            )
            appeal.evidence.set(evidence)
            return {
                "appeal": appeal.pk,
                "filed_on": filed_on.isoformat(),
                "deadline": appeal.deadline.isoformat(),
                "evidence": [str(item.public_code) for item in evidence],
            }

        return transition(
            actor=actor, claim=locked, name="appeal", expected_version=None, reason=reason, prepare=prepare
        )


def appeal_decide(*, actor: Actor, appeal: Appeal, outcome: str, reason: str) -> Appeal:
    """Review an appeal: uphold the decision, or record a new one (granted, partly granted or rejected).

    The reviewer is neither the claim's assessor nor its approver nor who made the appealed
    decision. A changed decision supersedes the old one and the compensation rows follow it.
    """
    if outcome not in (UPHELD, *DecisionOutcome.values):
        raise ClaimError(_("Unknown outcome."))
    if not reason.strip():
        raise ClaimError(_("An appeal's outcome needs its reasons."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        locked = lock_claim(appeal.claim, None)
        _check_reviewer(actor, appeal, locked)
        now = timezone.now()
        if outcome != UPHELD:
            assert locked.valuation_table is not None  # noqa: S101 - a decided claim was assessed
            appeal.new_decision = record_decision(
                actor=actor,
                claim=locked,
                kind=DecisionKind.APPEAL,
                outcome=outcome,
                table=locked.valuation_table,
                reason=reason,
                now=now,
                supersedes=locked.decisions.order_by("-number").first(),
            )
        _close_appeal(actor, appeal, outcome=outcome, reason=reason, now=now)
        _return_to_decided(actor, locked, appeal, reason=reason, now=now)
        return appeal


def _check_reviewer(actor: Actor, appeal: Appeal, claim: Claim) -> None:
    """Four eyes on appeal: nobody who assessed, approved or made the appealed decision reviews it."""
    require(actor, "claims.decide_claim")
    if actor.user is None:
        raise ClaimPermissionError(_("An appeal must be reviewed by a person."))
    involved = {claim.assessed_by_id, claim.approved_by_id, appeal.decision.decided_by_id}
    if actor.user.pk in involved:
        raise ClaimPermissionError(
            _("Four eyes: you assessed, approved or decided claim %(case)s, so someone else must review its appeal.")
            % {"case": claim.case_number}
        )
    if appeal.outcome != AppealOutcome.PENDING or claim.status != ClaimStatus.APPEALED:
        raise IllegalTransitionError(_("This appeal was already reviewed."))


def _close_appeal(actor: Actor, appeal: Appeal, *, outcome: str, reason: str, now: datetime) -> None:
    appeal.outcome = AppealOutcome.UPHELD if outcome == UPHELD else AppealOutcome.CHANGED
    appeal.reviewed_by = actor.user
    appeal.reviewed_at = now
    appeal.review_reasons = reason
    history_user_set(appeal, actor.user)
    appeal.save()


def _return_to_decided(actor: Actor, claim: Claim, appeal: Appeal, *, reason: str, now: datetime) -> None:
    """The claim is decided again (by its new decision, if any), and its history says how."""
    before = claim.status
    claim.status = ClaimStatus.DECIDED
    claim.status_changed_at = now
    if appeal.new_decision is not None:
        claim.mark_decided(now)
    save_claim(claim, actor, ["status", "status_changed_at", "decided_at", "decided_week"])
    detail: dict[str, Any] = {"appeal": appeal.pk, "outcome": appeal.outcome}
    if appeal.new_decision is not None:
        detail.update(
            decision=appeal.new_decision.number,
            content_hash=appeal.new_decision.content_hash,
            total=str(appeal.new_decision.total),
        )
    claim_event(
        claim,
        actor,
        "appeal_decided",
        from_status=before,
        to_status=claim.status,
        reason=reason,
        detail=detail,
        at=now,
    ).save()
