"""The assessment workflow as data: which step moves a claim from which states to which, and who may take it.

    draft → submitted → documents verified → assessed → approved → decided → appealed → final
                  ↘ returned (incomplete) ↙            ↘ returned     decided → final
    withdrawn (by the claimant, before a decision) and annulled (by an administrator) close a file.

Each transition is a service in services.py (claim_submit, claim_assess …); this table
is what they, the claim page's buttons and the documentation share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yurd.claims.models import ClaimStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    permission: str
    reason_required: bool = False
    # Roles allowed, for the documentation and the buttons' help; permissions enforce it.
    roles: str = ""


TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in [
        Transition("submit", _("Submit"), (S.DRAFT, S.RETURNED), S.SUBMITTED, "claims.submit_claim", roles="registrar"),
        Transition(
            "verify_documents",
            _("Documents verified"),
            (S.SUBMITTED,),
            S.DOCUMENTS_VERIFIED,
            "claims.submit_claim",
            roles="registrar",
        ),
        Transition("assess", _("Assess"), (S.DOCUMENTS_VERIFIED,), S.ASSESSED, "claims.assess_claim", roles="assessor"),
        Transition("approve", _("Approve"), (S.ASSESSED,), S.APPROVED, "claims.approve_claim", roles="reviewer"),
        Transition(
            "return",
            _("Return as incomplete"),
            (S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.ASSESSED, S.APPROVED),
            S.RETURNED,
            "claims.submit_claim|claims.approve_claim",
            reason_required=True,
            roles="registrar, reviewer",
        ),
        Transition(
            "decide", _("Decide"), (S.APPROVED,), S.DECIDED, "claims.decide_claim", roles="reviewer, administrator"
        ),
        Transition(
            "appeal",
            _("Record appeal"),
            (S.DECIDED,),
            S.APPEALED,
            "claims.submit_claim",
            reason_required=True,
            roles="registrar",
        ),
        Transition(
            "finalise",
            _("Make final"),
            (S.DECIDED, S.APPEALED),
            S.FINAL,
            "claims.decide_claim",
            reason_required=True,
            roles="reviewer, administrator",
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            (S.DRAFT, S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.ASSESSED, S.APPROVED, S.RETURNED),
            S.WITHDRAWN,
            "claims.submit_claim",
            reason_required=True,
            roles="registrar",
        ),
        Transition(
            "annul",
            _("Annul"),
            tuple(status for status in S.values if status not in (S.ANNULLED, S.FINAL)),
            S.ANNULLED,
            "claims.annul_claim",
            reason_required=True,
            roles="administrator",
        ),
    ]
}


def available_transitions(status: str) -> list[Transition]:
    return [transition for transition in TRANSITIONS.values() if status in transition.sources]
