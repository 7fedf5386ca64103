"""The workflow's plain steps (submit, verify, approve, return, finalise, withdraw, annul) and the step table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yurd.claims.errors import ClaimError
from yurd.claims.models import Claim, ClaimStatus, Compensation
from yurd.claims.services.appeals import claim_appeal
from yurd.claims.services.assessment import claim_assess
from yurd.claims.services.common import four_eyes, lock_claim, require, transition
from yurd.claims.services.decisions import claim_decide
from yurd.claims.services.heirs import check_share_override_reviewed
from yurd.claims.workflow import TRANSITIONS
from yurd.core.actors import Actor


def claim_submit(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "") -> Claim:
    with transaction.atomic():
        locked = lock_claim(claim, expected_version)
        if not locked.loss_items.exists() and locked.status in TRANSITIONS["submit"].sources:
            raise ClaimError(_("Add at least one loss item before submitting the claim."))
        return transition(actor=actor, claim=locked, name="submit", expected_version=None, reason=reason)


def claim_verify_documents(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "") -> Claim:
    with transaction.atomic():
        return transition(
            actor=actor, claim=claim, name="verify_documents", expected_version=expected_version, reason=reason
        )


def claim_approve(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "") -> Claim:
    with transaction.atomic():
        locked = lock_claim(claim, expected_version)
        four_eyes(locked, actor, _("approve"))
        check_share_override_reviewed(locked)

        def prepare(target: Claim, now: datetime) -> dict[str, Any]:
            target.approved_by = actor.user
            return {}

        return transition(
            actor=actor,
            claim=locked,
            name="approve",
            expected_version=None,
            reason=reason,
            fields=["approved_by"],
            prepare=prepare,
        )


def claim_return(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    with transaction.atomic():
        locked = lock_claim(claim, expected_version)
        # Registrars return files before assessment; after it, only a reviewer may.
        permission = (
            "claims.submit_claim"
            if locked.status in (ClaimStatus.SUBMITTED, ClaimStatus.DOCUMENTS_VERIFIED)
            else "claims.approve_claim"
        )
        require(actor, permission)

        def prepare(target: Claim, now: datetime) -> dict[str, Any]:
            target.approved_by = None
            return {}

        return transition(
            actor=actor,
            claim=locked,
            name="return",
            expected_version=None,
            reason=reason,
            fields=["approved_by"],
            prepare=prepare,
        )


def claim_finalise(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    with transaction.atomic():
        return transition(actor=actor, claim=claim, name="finalise", expected_version=expected_version, reason=reason)


def claim_withdraw(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    with transaction.atomic():
        return transition(actor=actor, claim=claim, name="withdraw", expected_version=expected_version, reason=reason)


def claim_annul(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    """Annul a file (e.g. a duplicate); its compensations are released and it never counts as progress."""
    with transaction.atomic():

        def prepare(locked: Claim, now: datetime) -> dict[str, Any]:
            released = list(Compensation.objects.filter(claim=locked).values_list("property_key", flat=True))
            Compensation.objects.filter(claim=locked).delete()
            return {"released_compensations": released}

        return transition(
            actor=actor, claim=claim, name="annul", expected_version=expected_version, reason=reason, prepare=prepare
        )


TRANSITION_SERVICES: dict[str, Any] = {
    "submit": claim_submit,
    "verify_documents": claim_verify_documents,
    "assess": claim_assess,
    "approve": claim_approve,
    "return": claim_return,
    "decide": claim_decide,
    "appeal": claim_appeal,
    "finalise": claim_finalise,
    "withdraw": claim_withdraw,
    "annul": claim_annul,
}
