"""Compensation rows: one per (property, original owner's line), whoever claims it and whenever."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yurd.claims.errors import DoubleCompensationError
from yurd.claims.models import Claim, Compensation, Decision, DecisionOutcome, LossItem
from yurd.registry.models import HeirLine


def line_key_for(
    claim: Claim, item: LossItem, owner_lines: dict[int, HeirLine] | None = None
) -> tuple[str, HeirLine | None]:
    """The line a compensation counts against: the property's original owner, whoever claims it.

    The line is named by the deceased owner, not by the claiming household or heir line,
    so the key is the same whichever sibling files first and whenever an heir line is made.
    """
    prop = item.property
    owner_line = None
    if prop.original_owner_id is not None:
        if owner_lines is not None:
            owner_line = owner_lines.get(prop.original_owner_id)
        else:
            owner_line = HeirLine.objects.filter(ancestor_id=prop.original_owner_id).first()
    return prop.line_key, owner_line


def owner_lines(items: Iterable[LossItem]) -> dict[int, HeirLine]:
    """The heir lines of the items' original owners, by owner, in one query."""
    owners = {item.property.original_owner_id for item in items if item.property.original_owner_id is not None}
    if not owners:
        return {}
    return {line.ancestor_id: line for line in HeirLine.objects.filter(ancestor_id__in=owners)}


def compensation_conflicts(claim: Claim) -> list[dict[str, str]]:
    """Loss items of this claim whose property was already compensated through another claim, that claim named."""
    conflicts = []
    for item in claim.loss_items.select_related("category", "property__original_owner"):
        line_key = item.property.line_key
        existing = (
            Compensation.objects.filter(property_id=item.property_id, line_key=line_key)
            .exclude(claim=claim)
            .select_related("claim", "decision")
            .first()
        )
        if existing is not None:
            conflicts.append(
                {
                    "item": str(item.pk),
                    "reference": item.reference,
                    "category": str(item.category.label),
                    "property": item.property.code,
                    "line": line_key,
                    "case_number": existing.claim.case_number,
                    "decision": str(existing.decision.number),
                    "decided_at": existing.decision.decided_at.date().isoformat(),
                }
            )
    return conflicts


def conflict_message(conflicts: list[dict[str, str]]) -> str:
    parts = [
        _(
            "%(reference)s (%(category)s, property %(property)s) was already compensated to %(line)s "
            "by claim %(case)s, decision %(decision)s of %(date)s"
        )
        % {
            "reference": conflict["reference"],
            "property": conflict["property"],
            "category": conflict["category"],
            "line": conflict["line"],
            "case": conflict["case_number"],
            "decision": conflict["decision"],
            "date": conflict["decided_at"],
        }
        for conflict in conflicts
    ]
    return _("The same property can be compensated only once per original owner's line: %(items)s.") % {
        "items": "; ".join(parts)
    }


def compensation_rows(
    claim: Claim,
    items: Sequence[LossItem],
    decision: Decision,
    valuations: dict[int, dict[str, Any]],
    lines: dict[int, HeirLine],
) -> list[Compensation]:
    """Unsaved compensation rows for the items a decision grants."""
    rows = []
    for item in items:
        line_key, line = line_key_for(claim, item, lines)
        rows.append(
            Compensation(
                property=item.property,
                line_key=line_key,
                heir_line=line,
                property_key=item.property_key,
                claim=claim,
                loss_item=item,
                decision=decision,
                amount=Decimal(valuations[item.pk]["amount"]),
            )
        )
    return rows


def sync_compensations(
    claim: Claim, items: Sequence[LossItem], decision: Decision, valuations: dict[int, dict[str, Any]]
) -> None:
    """The claim's compensation rows follow its latest decision: kept and re-priced, created, or released."""
    existing = {row.loss_item_id: row for row in Compensation.objects.filter(claim=claim)}
    if decision.outcome == DecisionOutcome.REJECTED:
        Compensation.objects.filter(claim=claim).delete()
        return
    for row in existing.values():
        row.decision = decision
        row.amount = Decimal(valuations[row.loss_item_id]["amount"])
        row.save(update_fields=["decision", "amount"])
    missing = [item for item in items if item.pk not in existing]
    if missing:
        _create_compensations(claim, missing, decision, valuations)


def _create_compensations(
    claim: Claim, missing: Sequence[LossItem], decision: Decision, valuations: dict[int, dict[str, Any]]
) -> None:
    conflicts = compensation_conflicts(claim)
    if conflicts:
        raise DoubleCompensationError(conflict_message(conflicts), conflicts=conflicts)
    try:
        # The database has the last word: a concurrent decision on the same property fails here.
        with transaction.atomic():
            Compensation.objects.bulk_create(
                compensation_rows(claim, missing, decision, valuations, owner_lines(missing))
            )
    except IntegrityError as error:
        conflicts = compensation_conflicts(claim)
        if conflicts:
            message = conflict_message(conflicts)
        else:
            message = _("The same property can be compensated only once per original owner's line.")
        raise DoubleCompensationError(message, conflicts=conflicts) from error
