"""Valuing a claim's loss items: the first assessment and any later re-valuation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.domain.valuation import total_amount
from yurd.claims.errors import ClaimError, ClaimPermissionError, IllegalTransitionError
from yurd.claims.models import Claim, ClaimStatus, LossItem, ValuationTable
from yurd.claims.services.common import claim_event, lock_claim, require, save_claim, transition
from yurd.claims.valuation import TableLookup, current_table
from yurd.core.actors import Actor

REVALUABLE = (ClaimStatus.ASSESSED, ClaimStatus.APPROVED, ClaimStatus.DECIDED, ClaimStatus.APPEALED)


def assess_items(claim: Claim, lookup: TableLookup) -> Decimal:
    """Value every loss item (their amounts are current at once); the claim's total."""
    items = list(claim.loss_items.select_related("category", "place"))
    if not items:
        raise ClaimError(_("Claim %(case)s has no loss items to assess.") % {"case": claim.case_number})
    amounts = []
    for item in items:
        valuation = lookup.value(item)
        item.amount = valuation.amount
        item.valuation = {**valuation.as_dict(), "table_version": lookup.table.version}
        amounts.append(valuation.amount)
    LossItem.objects.bulk_update(items, ["amount", "valuation"])
    return total_amount(amounts)


def claim_assess(
    *, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "", table: ValuationTable | None = None
) -> Claim:
    """Value every loss item under the current (or a named) table version; the assessor is recorded."""
    if actor.user is None:
        raise ClaimPermissionError(_("An assessment must be signed by a person."))
    with transaction.atomic():
        table = table or current_table()
        if table is None:
            raise ClaimError(_("There is no valuation table yet; an administrator must import one."))
        lookup = TableLookup.load(table)

        def prepare(locked: Claim, now: datetime) -> dict[str, Any]:
            locked.total_value = assess_items(locked, lookup)
            locked.currency = table.currency
            locked.valuation_table = table
            locked.assessed_by = actor.user
            locked.assessed_at = now
            return {"table_version": table.version, "total": str(locked.total_value)}

        return transition(
            actor=actor,
            claim=claim,
            name="assess",
            expected_version=expected_version,
            reason=reason,
            fields=["total_value", "currency", "valuation_table", "assessed_by", "assessed_at"],
            prepare=prepare,
        )


@transaction.atomic
def claim_revalue(
    *, actor: Actor, claim: Claim, expected_version: int | None, table: ValuationTable, reason: str
) -> Claim:
    """Value a claim under another table version: an explicit, logged act.

    Any re-valuation returns the claim to "assessed" with the re-valuer recorded as its
    assessor: any approval lapses (the amounts changed) and someone else must approve
    and decide it again (four eyes). The loss items' amounts are current at once. On a
    decided claim the old decision stays; the next decision supersedes it, and the
    claim's compensation rows keep the property reserved meanwhile.
    """
    require(actor, "claims.manage_valuation")
    if actor.user is None:
        raise ClaimPermissionError(_("A re-valuation must be signed by a person."))
    if not reason.strip():
        raise ClaimError(_("A re-valuation needs a reason; it is recorded in the claim's history."))
    locked = lock_claim(claim, expected_version)
    if locked.status not in REVALUABLE:
        raise IllegalTransitionError(
            _("Claim %(case)s is %(status)s; only assessed, approved, decided or appealed claims can be re-valued.")
            % {"case": locked.case_number, "status": locked.get_status_display()}
        )
    previous_total = locked.total_value
    now = timezone.now()
    before = locked.status
    locked.total_value = assess_items(locked, TableLookup.load(table))
    locked.valuation_table = table
    locked.currency = table.currency
    locked.status = ClaimStatus.ASSESSED
    locked.status_changed_at = now
    locked.assessed_by = actor.user
    locked.assessed_at = now
    locked.approved_by = None
    save_claim(
        locked,
        actor,
        [
            "total_value",
            "valuation_table",
            "currency",
            "status",
            "status_changed_at",
            "assessed_by",
            "assessed_at",
            "approved_by",
        ],
    )
    detail = {
        "table_version": table.version,
        "previous_total": str(previous_total),
        "total": str(locked.total_value),
        "assessor": actor.username,
    }
    claim_event(
        locked, actor, "revalue", from_status=before, to_status=locked.status, reason=reason, detail=detail, at=now
    ).save()
    return locked
