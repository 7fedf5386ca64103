"""Every write to a claim: creation, edits, the workflow's transitions, decisions, cohorts.

Each service runs in one transaction, locks the claim it changes, checks the version
the caller read (a stale one is refused, never overwritten), and writes a ClaimEvent
beside the claim's history row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from yurd.claims.domain.keys import property_key
from yurd.claims.domain.properties import address_key, similar
from yurd.claims.domain.sampling import draw_sample, qc_sample_size
from yurd.claims.domain.shares import ShareError, split_amount, validate_shares
from yurd.claims.domain.valuation import canonical_json, total_amount
from yurd.claims.errors import (
    ClaimError,
    ClaimPermissionError,
    ConcurrentEditError,
    DoubleCompensationError,
    IllegalTransitionError,
)
from yurd.claims.models import (
    Appeal,
    AppealOutcome,
    CaseNumberSequence,
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
    DuplicateStatus,
    EvidenceReference,
    FiledBy,
    LossCategory,
    LossItem,
    Property,
    PropertyDuplicate,
    QcResult,
    QcSampleItem,
    Remedy,
    ValuationTable,
)
from yurd.claims.valuation import TableLookup, current_table
from yurd.claims.workflow import TRANSITIONS, Transition
from yurd.core.actors import Actor
from yurd.registry.models import HeirLine, Household, Person

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - no 0/O, 1/I: read aloud over the phone


# --- Case numbers and secrets -------------------------------------------------------


def issue_case_number(*, year: int) -> str:
    """CL-<year>-<6 digits>, from a locked per-year counter (call inside a transaction)."""
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"CL-{year}-{sequence.last:06d}"


def new_secret() -> str:
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(12))
    return "-".join(raw[index : index + 4] for index in range(0, 12, 4))


def normalise_secret(secret: str) -> str:
    return "".join(ch for ch in secret.upper() if ch.isalnum())


def secret_digest(secret: str) -> str:
    """HMAC-SHA256 under SECRET_KEY: the database alone never reveals or confirms a secret."""
    key = f"yurd.claims.status-secret:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalise_secret(secret).encode(), hashlib.sha256).hexdigest()


def secret_matches(claim: Claim | None, secret: str) -> bool:
    """Constant-time comparison; without a claim it still does the same work."""
    stored = claim.secret_hash if claim is not None else "0" * 64
    matches = hmac.compare_digest(stored, secret_digest(secret))
    return matches and claim is not None


# --- Helpers ------------------------------------------------------------------------


def _has_permission(actor: Actor, permission: str) -> bool:
    if actor.user is None:
        return True
    return any(actor.user.has_perm(name) for name in permission.split("|"))


def _require(actor: Actor, permission: str) -> None:
    if not _has_permission(actor, permission):
        raise ClaimPermissionError(_("Your role does not allow this step."))


def _lock(claim: Claim, expected_version: int | None) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone else changed claim %(case)s while you were working on it (it is now at version %(now)s, "
                "you had version %(had)s). Nothing was saved: reload the claim, check their changes and try again."
            )
            % {"case": locked.case_number, "now": locked.version, "had": expected_version}
        )
    return locked


def _event(
    claim: Claim,
    actor: Actor,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ClaimEvent:
    return ClaimEvent(
        claim=claim,
        at=at or timezone.now(),
        user=actor.user,
        username=actor.username,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        detail=detail or {},
    )


def _full_clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise ClaimError("; ".join(error.messages)) from error


def _save(claim: Claim, actor: Actor, fields: Iterable[str]) -> None:
    claim.version += 1
    claim._history_user = actor.user  # type: ignore[attr-defined]
    claim.save(update_fields=[*fields, "version", "updated_at"])


def _check_transition(claim: Claim, transition: Transition, actor: Actor, reason: str) -> None:
    _require(actor, transition.permission)
    if claim.status not in transition.sources:
        allowed = ", ".join(str(ClaimStatus(status).label) for status in transition.sources)
        raise IllegalTransitionError(
            _("Claim %(case)s is %(status)s; “%(step)s” is only possible for a claim that is: %(allowed)s.")
            % {
                "case": claim.case_number,
                "status": claim.get_status_display(),
                "step": transition.label,
                "allowed": allowed,
            }
        )
    if transition.reason_required and not reason.strip():
        raise ClaimError(
            _("“%(step)s” needs a reason; it is recorded in the claim's history.") % {"step": transition.label}
        )


def _transition(
    *,
    actor: Actor,
    claim: Claim,
    name: str,
    expected_version: int | None,
    reason: str = "",
    fields: Sequence[str] = (),
    detail: dict[str, Any] | None = None,
    prepare: Any = None,
) -> Claim:
    transition = TRANSITIONS[name]
    locked = _lock(claim, expected_version)
    _check_transition(locked, transition, actor, reason)
    before = locked.status
    now = timezone.now()
    extra = prepare(locked, now) if prepare is not None else {}
    locked.status = transition.target
    locked.status_changed_at = now
    _save(locked, actor, ["status", "status_changed_at", *fields])
    _event(
        locked,
        actor,
        name,
        from_status=before,
        to_status=locked.status,
        reason=reason,
        detail={**(detail or {}), **(extra or {})},
        at=now,
    ).save()
    return locked


# --- Creating and editing ------------------------------------------------------------


@dataclass(frozen=True)
class ClaimantShare:
    person: Person
    share: Fraction


def _check_claimants(household: Household, heir_line: HeirLine | None, claimants: Sequence[ClaimantShare]) -> None:
    try:
        validate_shares([claimant.share for claimant in claimants])
    except ShareError as error:
        raise ClaimError(str(error)) from error
    codes = [claimant.person.code for claimant in claimants]
    if len(set(codes)) != len(codes):
        raise ClaimError(_("A person can be a claimant only once in a claim."))
    for claimant in claimants:
        if claimant.person.is_deceased:
            raise ClaimError(
                _("%(code)s is recorded as deceased and cannot be a claimant; their heirs can.")
                % {"code": claimant.person.code}
            )
    if heir_line is None:
        outsiders = [claimant.person.code for claimant in claimants if claimant.person.household_id != household.pk]
        if outsiders:
            raise ClaimError(
                _(
                    "A household's claim is made by its members; %(codes)s belong to another household. "
                    "File it through an heir line instead."
                )
                % {"codes": ", ".join(outsiders)}
            )


def _set_claimants(claim: Claim, claimants: Sequence[ClaimantShare]) -> None:
    claim.claimants.all().delete()
    Claimant.objects.bulk_create(
        [
            Claimant(
                claim=claim,
                person=claimant.person,
                share_numerator=claimant.share.numerator,
                share_denominator=claimant.share.denominator,
            )
            for claimant in claimants
        ]
    )


@transaction.atomic
def claim_create(
    *,
    actor: Actor,
    household: Household,
    claimants: Sequence[ClaimantShare],
    heir_line: HeirLine | None = None,
    remedy: str = Remedy.UNDECIDED,
    language: str = "az",
    notes: str = "",
    now: datetime | None = None,
) -> tuple[Claim, str]:
    """A new draft claim and its status look-up secret (shown once, stored only as a hash)."""
    _require(actor, "claims.add_claim")
    _check_claimants(household, heir_line, claimants)
    now = now or timezone.now()
    secret = new_secret()
    claim = Claim(
        case_number=issue_case_number(year=timezone.localtime(now).year),
        filed_by=FiledBy.HEIR_LINE if heir_line is not None else FiledBy.HOUSEHOLD,
        household=household,
        heir_line=heir_line,
        remedy=remedy,
        language=language,
        notes=notes,
        secret_hash=secret_digest(secret),
        created_by=actor.user,
        status_changed_at=now,
        created_at=now,
    )
    _full_clean(claim)
    claim._history_user = actor.user  # type: ignore[attr-defined]
    claim.save()
    _set_claimants(claim, claimants)
    _event(claim, actor, "create", to_status=claim.status, at=now).save()
    return claim, secret


@transaction.atomic
def claim_update(
    *,
    actor: Actor,
    claim: Claim,
    expected_version: int,
    remedy: str,
    language: str,
    notes: str,
    claimants: Sequence[ClaimantShare],
) -> Claim:
    _require(actor, "claims.change_claim")
    locked = _lock(claim, expected_version)
    if not locked.is_editable:
        raise IllegalTransitionError(
            _("Claim %(case)s is %(status)s and can no longer be edited.")
            % {"case": locked.case_number, "status": locked.get_status_display()}
        )
    _check_claimants(locked.household, locked.heir_line, claimants)
    changed = {
        field: [str(getattr(locked, field)), str(value)]
        for field, value in (("remedy", remedy), ("language", language), ("notes", notes))
        if getattr(locked, field) != value
    }
    locked.remedy, locked.language, locked.notes = remedy, language, notes
    _full_clean(locked)
    _set_claimants(locked, claimants)
    _save(locked, actor, ["remedy", "language", "notes"])
    _event(
        locked,
        actor,
        "edit",
        detail={"changed": changed, "claimants": [f"{c.person.code} {c.share}" for c in claimants]},
    ).save()
    return locked


@transaction.atomic
def claim_reissue_secret(*, actor: Actor, claim: Claim) -> str:
    _require(actor, "claims.change_claim")
    locked = _lock(claim, None)
    secret = new_secret()
    locked.secret_hash = secret_digest(secret)
    _save(locked, actor, ["secret_hash"])
    _event(locked, actor, "reissue_secret").save()
    return secret


def loss_item_owner_code(item: LossItem, claim: Claim) -> str:
    return item.original_owner.code if item.original_owner is not None else claim.household.code


@transaction.atomic
def loss_item_add(
    *,
    actor: Actor,
    claim: Claim,
    expected_version: int,
    category: LossCategory,
    place: Any,
    reference: str,
    quantity: Decimal,
    unit: str,
    price_year: int,
    original_owner: Person | None = None,
    description: str = "",
    period_start: str = "",
    period_end: str = "",
    evidence: Sequence[str] = (),
) -> LossItem:
    _require(actor, "claims.change_claim")
    locked = _lock(claim, expected_version)
    if not locked.is_editable:
        raise IllegalTransitionError(
            _("Claim %(case)s is %(status)s; loss items can be added only to a draft or returned claim.")
            % {"case": locked.case_number, "status": locked.get_status_display()}
        )
    item = LossItem(
        claim=locked,
        category=category,
        place=place,
        original_owner=original_owner,
        reference=reference,
        quantity=quantity,
        unit=unit,
        price_year=price_year,
        description=description,
        period_start=period_start,
        period_end=period_end,
    )
    if original_owner is None and locked.heir_line is not None:
        # An heir line claims for its ancestor's losses: the ancestor is the original owner.
        original_owner = locked.heir_line.ancestor
        item.original_owner = original_owner
    item.property = property_for(
        category=category, place=place, reference=reference, owner=original_owner, household=locked.household
    )
    item.property_key = property_key(
        category=category.code,
        place=place.code,
        owner=original_owner.code if original_owner else locked.household.code,
        reference=reference,
    )
    _full_clean(item, exclude=["claim"])
    item._history_user = actor.user  # type: ignore[attr-defined]
    item.save()
    EvidenceReference.objects.bulk_create(
        [EvidenceReference(loss_item=item, reference=reference_text) for reference_text in dict.fromkeys(evidence)]
    )
    _save(locked, actor, [])
    _event(
        locked,
        actor,
        "add_loss_item",
        detail={
            "item": item.pk,
            "category": category.code,
            "property": item.property.code,
            "property_key": item.property_key,
        },
    ).save()
    return item


@transaction.atomic
def loss_item_remove(*, actor: Actor, claim: Claim, expected_version: int, item: LossItem) -> None:
    _require(actor, "claims.change_claim")
    locked = _lock(claim, expected_version)
    if not locked.is_editable or item.claim_id != locked.pk:
        raise IllegalTransitionError(_("Loss items can be removed only from a draft or returned claim."))
    detail = {"item": item.pk, "category": item.category.code, "property_key": item.property_key}
    item.delete()
    _save(locked, actor, [])
    _event(locked, actor, "remove_loss_item", detail=detail).save()


# --- Double compensation -------------------------------------------------------------


def property_for(
    *, category: LossCategory, place: Any, reference: str, owner: Person | None, household: Household
) -> Property:
    """The property a loss item names: an existing one of the same kind, place, owner and folded address, or a new one.

    A new property is compared with the others of its settlement and kind; those whose
    names fold to the same tokens are proposed as duplicates for review.
    """
    key = address_key(reference)[:300]
    same_owner = Q(original_owner=owner) if owner is not None else Q(original_owner=None, owner_household=household)
    existing = (
        Property.objects.select_for_update()
        .filter(same_owner, kind=category, place=place, address_key=key, merged_into=None)
        .order_by("id")
        .first()
    )
    if existing is not None and key:
        names = existing.names.splitlines()
        if reference not in names:
            existing.names = "\n".join([*names, reference])
            existing.save(update_fields=["names", "updated_at"])
        return existing
    created = Property.objects.create(
        code=f"PR-new-{secrets.token_hex(4)}",
        kind=category,
        place=place,
        names=reference,
        original_owner=owner,
        owner_household=household if owner is None else None,
        address_key=key,
    )
    created.code = f"PR-{created.pk:06d}"
    created.save(update_fields=["code"])
    property_propose_duplicates(created)
    return created


def property_propose_duplicates(new: Property) -> list[PropertyDuplicate]:
    if not new.address_key:
        return []
    tokens = new.address_key.split()
    others = Property.objects.filter(place=new.place, kind=new.kind, merged_into=None).exclude(pk=new.pk)
    proposals = [
        PropertyDuplicate(
            first=other,
            second=new,
            reason=_("Same settlement and kind; the names fold to the same words: %(words)s")
            % {"words": new.address_key},
        )
        for other in others.filter(address_key=new.address_key).order_by("id")
        if similar(other.address_key.split(), tokens)
    ]
    return PropertyDuplicate.objects.bulk_create(proposals, ignore_conflicts=True)


@transaction.atomic
def property_duplicate_review(*, actor: Actor, duplicate: PropertyDuplicate, merge: bool) -> PropertyDuplicate:
    """Merge the second property into the first (its loss items follow), or dismiss the proposal."""
    _require(actor, "claims.approve_claim")
    duplicate = PropertyDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status != DuplicateStatus.PROPOSED:
        raise ClaimError(_("This proposal was already reviewed."))
    keep, gone = duplicate.first, duplicate.second
    if merge:
        if keep.merged_into_id is not None or gone.merged_into_id is not None:
            raise ClaimError(_("One of these properties was already merged into another."))
        owners = (keep.original_owner, gone.original_owner)
        if owners[0] is not None and owners[1] is not None and owners[0].pk != owners[1].pk:
            raise ClaimError(
                _("The two properties name different original owners (%(first)s, %(second)s); correct one first.")
                % {"first": owners[0].code, "second": owners[1].code}
            )
        kept_paid = list(keep.compensations.values_list("claim__case_number", flat=True))
        gone_paid = list(gone.compensations.values_list("claim__case_number", flat=True))
        if kept_paid and gone_paid:
            raise DoubleCompensationError(
                _(
                    "Both were already compensated (claims %(first)s and %(second)s): this is a double payment "
                    "to resolve by annulling or appealing one decision before merging."
                )
                % {"first": ", ".join(kept_paid), "second": ", ".join(gone_paid)}
            )
        if keep.original_owner_id is None and gone.original_owner_id is not None:
            keep.original_owner = gone.original_owner
            keep.owner_household = None
        keep.names = "\n".join(dict.fromkeys([*keep.names.splitlines(), *gone.names.splitlines()]))
        keep._history_user = actor.user  # type: ignore[attr-defined]
        keep.save()
        for item in gone.loss_items.select_related("claim"):
            _event(
                item.claim,
                actor,
                "property_merged",
                detail={"item": item.pk, "from": gone.code, "into": keep.code},
            ).save()
        gone.loss_items.update(property=keep)
        gone.compensations.update(property=keep, line_key=keep.line_key)
        keep.compensations.update(line_key=keep.line_key)
        gone.merged_into = keep
        gone._history_user = actor.user  # type: ignore[attr-defined]
        gone.save(update_fields=["merged_into", "updated_at"])
    duplicate.status = DuplicateStatus.MERGED if merge else DuplicateStatus.DISMISSED
    duplicate.reviewed_by = actor.user
    duplicate.reviewed_at = timezone.now()
    duplicate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return duplicate


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


def _owner_lines(items: Iterable[LossItem]) -> dict[int, HeirLine]:
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


def _conflict_message(conflicts: list[dict[str, str]]) -> str:
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


# --- Assessment ----------------------------------------------------------------------


def _assess_items(claim: Claim, lookup: TableLookup) -> Decimal:
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


def claim_submit(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "") -> Claim:
    with transaction.atomic():
        locked = _lock(claim, expected_version)
        if not locked.loss_items.exists() and locked.status in TRANSITIONS["submit"].sources:
            raise ClaimError(_("Add at least one loss item before submitting the claim."))
        return _transition(actor=actor, claim=locked, name="submit", expected_version=None, reason=reason)


def claim_verify_documents(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "") -> Claim:
    with transaction.atomic():
        return _transition(
            actor=actor, claim=claim, name="verify_documents", expected_version=expected_version, reason=reason
        )


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
            locked.total_value = _assess_items(locked, lookup)
            locked.currency = table.currency
            locked.valuation_table = table
            locked.assessed_by = actor.user
            locked.assessed_at = now
            return {"table_version": table.version, "total": str(locked.total_value)}

        return _transition(
            actor=actor,
            claim=claim,
            name="assess",
            expected_version=expected_version,
            reason=reason,
            fields=["total_value", "currency", "valuation_table", "assessed_by", "assessed_at"],
            prepare=prepare,
        )


def _four_eyes(claim: Claim, actor: Actor, step: str) -> None:
    if actor.user is None:
        raise ClaimPermissionError(_("This step must be signed by a person."))
    if claim.assessed_by_id is not None and claim.assessed_by_id == actor.user.pk:
        raise ClaimPermissionError(
            _("Four eyes: you assessed claim %(case)s, so someone else must %(step)s it.")
            % {"case": claim.case_number, "step": step}
        )


def claim_approve(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str = "") -> Claim:
    with transaction.atomic():
        locked = _lock(claim, expected_version)
        _four_eyes(locked, actor, _("approve"))

        def prepare(target: Claim, now: datetime) -> dict[str, Any]:
            target.approved_by = actor.user
            return {}

        return _transition(
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
        locked = _lock(claim, expected_version)
        # Registrars return files before assessment; after it, only a reviewer may.
        permission = (
            "claims.submit_claim"
            if locked.status in (ClaimStatus.SUBMITTED, ClaimStatus.DOCUMENTS_VERIFIED)
            else "claims.approve_claim"
        )
        _require(actor, permission)

        def prepare(target: Claim, now: datetime) -> dict[str, Any]:
            target.approved_by = None
            return {}

        return _transition(
            actor=actor,
            claim=locked,
            name="return",
            expected_version=None,
            reason=reason,
            fields=["approved_by"],
            prepare=prepare,
        )


def _decision_payload(
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


def _stored_valuations(items: Sequence[LossItem], table: ValuationTable) -> dict[int, dict[str, Any]]:
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


def _build_decision(
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
    payload = _decision_payload(
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


def _compensation_rows(
    claim: Claim,
    items: Sequence[LossItem],
    decision: Decision,
    valuations: dict[int, dict[str, Any]],
    owner_lines: dict[int, HeirLine],
) -> list[Compensation]:
    rows = []
    for item in items:
        line_key, line = line_key_for(claim, item, owner_lines)
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


def _record_decision(
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
    items = list(claim.loss_items.select_related("category", "place", "property__original_owner").order_by("id"))
    if lookup is not None:
        valuations = {item.pk: lookup.value(item).as_dict() for item in items}
    else:
        valuations = _stored_valuations(items, table)
    claimants = list(claim.claimants.select_related("person").order_by("id"))
    decision = _build_decision(
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
    _sync_compensations(claim, items, decision, valuations)
    return decision


def _sync_compensations(
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
    if not missing:
        return
    conflicts = compensation_conflicts(claim)
    if conflicts:
        raise DoubleCompensationError(_conflict_message(conflicts), conflicts=conflicts)
    try:
        # The database has the last word: a concurrent decision on the same property fails here.
        with transaction.atomic():
            Compensation.objects.bulk_create(
                _compensation_rows(claim, missing, decision, valuations, _owner_lines(missing))
            )
    except IntegrityError as error:
        conflicts = compensation_conflicts(claim)
        if conflicts:
            message = _conflict_message(conflicts)
        else:
            message = _("The same property can be compensated only once per original owner's line.")
        raise DoubleCompensationError(message, conflicts=conflicts) from error


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
        locked = _lock(claim, expected_version)
        _four_eyes(locked, actor, _("decide"))
        _check_transition(locked, TRANSITIONS["decide"], actor, reason)
        now = timezone.now()
        assert locked.valuation_table is not None  # noqa: S101 - an approved claim was assessed
        decision = _record_decision(
            actor=actor,
            claim=locked,
            kind=DecisionKind.INDIVIDUAL,
            outcome=outcome,
            table=locked.valuation_table,
            reason=reason,
            now=now,
            supersedes=locked.decisions.order_by("-number").first(),
        )
        _finish_decision(locked, actor, decision, reason=reason, now=now)
        return decision


def _finish_decision(
    claim: Claim, actor: Actor, decision: Decision, *, reason: str, now: datetime, batch: CohortBatch | None = None
) -> None:
    before = claim.status
    claim.status = ClaimStatus.DECIDED
    claim.status_changed_at = now
    claim.mark_decided(now)
    _save(claim, actor, ["status", "status_changed_at", "decided_at", "decided_week"])
    detail: dict[str, Any] = {
        "decision": decision.number,
        "content_hash": decision.content_hash,
        "total": str(decision.total),
    }
    if batch is not None:
        detail["batch"] = batch.pk
    _event(
        claim, actor, "decide", from_status=before, to_status=claim.status, reason=reason, detail=detail, at=now
    ).save()


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
) -> Claim:
    """Record an appeal against the latest decision: its grounds (the reason), filing date and deadline."""
    with transaction.atomic():
        locked = _lock(claim, expected_version)
        latest = locked.decisions.order_by("-number").first()
        filed_on = filed_on or timezone.localdate()
        if latest is not None and locked.status in TRANSITIONS["appeal"].sources:
            deadline = appeal_deadline(latest)
            if filed_on > deadline:
                raise ClaimError(
                    _("The appeal deadline for decision %(number)s was %(deadline)s; this appeal is late.")
                    % {"number": latest.number, "deadline": deadline.isoformat()}
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
            return {"appeal": appeal.pk, "filed_on": filed_on.isoformat(), "deadline": appeal.deadline.isoformat()}

        return _transition(
            actor=actor, claim=locked, name="appeal", expected_version=None, reason=reason, prepare=prepare
        )


def appeal_decide(*, actor: Actor, appeal: Appeal, outcome: str, reason: str) -> Appeal:
    """Review an appeal: uphold the decision, or record a new one (granted, partly granted or rejected).

    The reviewer is neither the claim's assessor nor its approver nor who made the appealed
    decision. A changed decision supersedes the old one and the compensation rows follow it.
    """
    if outcome not in ("upheld", *DecisionOutcome.values):
        raise ClaimError(_("Unknown outcome."))
    if not reason.strip():
        raise ClaimError(_("An appeal's outcome needs its reasons."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        locked = _lock(appeal.claim, None)
        _require(actor, "claims.decide_claim")
        if actor.user is None:
            raise ClaimPermissionError(_("An appeal must be reviewed by a person."))
        involved = {locked.assessed_by_id, locked.approved_by_id, appeal.decision.decided_by_id}
        if actor.user.pk in involved:
            raise ClaimPermissionError(
                _(
                    "Four eyes: you assessed, approved or decided claim %(case)s, so someone else must review its "
                    "appeal."
                )
                % {"case": locked.case_number}
            )
        if appeal.outcome != AppealOutcome.PENDING or locked.status != ClaimStatus.APPEALED:
            raise IllegalTransitionError(_("This appeal was already reviewed."))
        now = timezone.now()
        if outcome != "upheld":
            assert locked.valuation_table is not None  # noqa: S101 - a decided claim was assessed
            appeal.new_decision = _record_decision(
                actor=actor,
                claim=locked,
                kind=DecisionKind.APPEAL,
                outcome=outcome,
                table=locked.valuation_table,
                reason=reason,
                now=now,
                supersedes=locked.decisions.order_by("-number").first(),
            )
        appeal.outcome = AppealOutcome.UPHELD if outcome == "upheld" else AppealOutcome.CHANGED
        appeal.reviewed_by = actor.user
        appeal.reviewed_at = now
        appeal.review_reasons = reason
        appeal._history_user = actor.user  # type: ignore[attr-defined]
        appeal.save()
        before = locked.status
        locked.status = ClaimStatus.DECIDED
        locked.status_changed_at = now
        if appeal.new_decision is not None:
            locked.mark_decided(now)
        _save(locked, actor, ["status", "status_changed_at", "decided_at", "decided_week"])
        detail: dict[str, Any] = {"appeal": appeal.pk, "outcome": appeal.outcome}
        if appeal.new_decision is not None:
            detail.update(
                decision=appeal.new_decision.number,
                content_hash=appeal.new_decision.content_hash,
                total=str(appeal.new_decision.total),
            )
        _event(
            locked,
            actor,
            "appeal_decided",
            from_status=before,
            to_status=locked.status,
            reason=reason,
            detail=detail,
            at=now,
        ).save()
        return appeal


def claim_finalise(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    with transaction.atomic():
        return _transition(actor=actor, claim=claim, name="finalise", expected_version=expected_version, reason=reason)


def claim_withdraw(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    with transaction.atomic():
        return _transition(actor=actor, claim=claim, name="withdraw", expected_version=expected_version, reason=reason)


def claim_annul(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    """Annul a file (e.g. a duplicate); its compensations are released and it never counts as progress."""
    with transaction.atomic():

        def prepare(locked: Claim, now: datetime) -> dict[str, Any]:
            released = list(Compensation.objects.filter(claim=locked).values_list("property_key", flat=True))
            Compensation.objects.filter(claim=locked).delete()
            return {"released_compensations": released}

        return _transition(
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


# --- Re-valuation and recomputation --------------------------------------------------


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
    _require(actor, "claims.manage_valuation")
    if actor.user is None:
        raise ClaimPermissionError(_("A re-valuation must be signed by a person."))
    if not reason.strip():
        raise ClaimError(_("A re-valuation needs a reason; it is recorded in the claim's history."))
    locked = _lock(claim, expected_version)
    revaluable = (ClaimStatus.ASSESSED, ClaimStatus.APPROVED, ClaimStatus.DECIDED, ClaimStatus.APPEALED)
    if locked.status not in revaluable:
        raise IllegalTransitionError(
            _("Claim %(case)s is %(status)s; only assessed, approved, decided or appealed claims can be re-valued.")
            % {"case": locked.case_number, "status": locked.get_status_display()}
        )
    lookup = TableLookup.load(table)
    previous_total = locked.total_value
    now = timezone.now()
    before = locked.status
    locked.total_value = _assess_items(locked, lookup)
    locked.valuation_table = table
    locked.currency = table.currency
    locked.status = ClaimStatus.ASSESSED
    locked.status_changed_at = now
    locked.assessed_by = actor.user
    locked.assessed_at = now
    locked.approved_by = None
    _save(
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
    _event(
        locked, actor, "revalue", from_status=before, to_status=locked.status, reason=reason, detail=detail, at=now
    ).save()
    return locked


def decision_recompute(decision: Decision) -> dict[str, Any]:
    """The decision's content rebuilt from its claim and its own table version."""
    claim = decision.claim
    lookup = TableLookup.load(decision.table)
    items = list(claim.loss_items.select_related("category", "place").order_by("id"))
    stored_ids = [entry["item"] for entry in decision.payload.get("items", [])]
    items = [item for item in items if item.pk in stored_ids]
    valuations = {item.pk: lookup.value(item).as_dict() for item in items}
    precedent = decision.precedent
    supersedes = decision.supersedes
    return _decision_payload(
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
        precedent=precedent,
        supersedes=supersedes,
        claimants=list(claim.claimants.select_related("person").order_by("id")),
    )


def decision_verify(decision: Decision) -> bool:
    """True when the recomputed content is byte for byte the stored one (and so is its hash)."""
    recomputed = decision_recompute(decision)
    return (
        canonical_json(recomputed) == canonical_json(decision.payload)
        and content_hash(recomputed) == decision.content_hash
    )


# --- Cohorts and batches ---------------------------------------------------------------


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
    _require(actor, "claims.decide_claim")
    if not cohort_claims(cohort).filter(pk=decision.claim_id).exists():
        raise ClaimError(_("The precedent must be a decision on a file of this cohort."))
    if decision.outcome != DecisionOutcome.GRANTED or decision.kind == DecisionKind.COHORT:
        raise ClaimError(_("A precedent must be an individual decision that granted the claim."))
    cohort.precedent = decision
    cohort.save(update_fields=["precedent", "updated_at"])
    _event(
        decision.claim, actor, "cited_as_precedent", detail={"cohort": cohort.code, "decision": decision.number}
    ).save()
    return cohort


def cohort_apply(  # noqa: PLR0915 - one transaction, clearer read top to bottom than split
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
    _require(actor, "claims.decide_claim")
    if actor.user is None:
        raise ClaimPermissionError(_("A batch decision must be signed by a person."))
    if cohort.precedent is None:
        raise ClaimError(_("Choose a precedent decision for this cohort first."))
    if not reason.strip():
        raise ClaimError(_("A batch decision needs its reasons."))
    precedent = cohort.precedent
    candidates = cohort_claims(cohort).filter(status__in=[ClaimStatus.ASSESSED, ClaimStatus.APPROVED])
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
        claims = list(
            Claim.objects.select_for_update(of=("self",))
            .select_related("household", "heir_line", "valuation_table")
            .filter(pk__in=claim_ids, status__in=[ClaimStatus.ASSESSED, ClaimStatus.APPROVED])
            .order_by("case_number")
        )
        items_by_claim: dict[int, list[LossItem]] = {claim.pk: [] for claim in claims}
        for item in (
            LossItem.objects.filter(claim_id__in=items_by_claim)
            .select_related("category", "place", "property__original_owner")
            .order_by("id")
        ):
            items_by_claim[item.claim_id].append(item)
        claimants_by_claim: dict[int, list[Claimant]] = {claim.pk: [] for claim in claims}
        for claimant in (
            Claimant.objects.filter(claim_id__in=claimants_by_claim).select_related("person").order_by("id")
        ):
            claimants_by_claim[claimant.claim_id].append(claimant)
        decision_counts = dict(
            Decision.objects.filter(claim_id__in=items_by_claim)
            .values("claim_id")
            .annotate(n=Count("id"))
            .values_list("claim_id", "n")
        )
        owner_lines = _owner_lines(item for items in items_by_claim.values() for item in items)
        property_ids = {item.property_id for items in items_by_claim.values() for item in items}
        taken: dict[tuple[str, int], str] = {
            (line_key, property_id): case
            for line_key, property_id, case in Compensation.objects.filter(property_id__in=property_ids).values_list(
                "line_key", "property_id", "claim__case_number"
            )
        }
        decisions: list[Decision] = []
        decided: list[Claim] = []
        skipped: list[dict[str, str]] = []
        pending: list[tuple[Claim, list[LossItem], dict[int, dict[str, Any]]]] = []
        events: list[ClaimEvent] = []
        for claim in claims:
            items = items_by_claim[claim.pk]
            try:
                table = _cohort_file_check(claim, actor, items, owner_lines, taken)
                valuations = _stored_valuations(items, table)
            except ClaimError as error:
                skipped.append({"case_number": claim.case_number, "reason": error.message})
                continue
            for item in items:
                taken[(line_key_for(claim, item, owner_lines)[0], item.property_id)] = claim.case_number
            decisions.append(
                _build_decision(
                    actor=actor,
                    claim=claim,
                    items=items,
                    claimants=claimants_by_claim[claim.pk],
                    valuations=valuations,
                    number=decision_counts.get(claim.pk, 0) + 1,
                    kind=DecisionKind.COHORT,
                    outcome=DecisionOutcome.GRANTED,
                    table=table,
                    reason=batch_reason,
                    now=now,
                    precedent=precedent,
                    batch=batch,
                )
            )
            pending.append((claim, items, valuations))
            decided.append(claim)
        Decision.objects.bulk_create(decisions, batch_size=500)
        compensations: list[Compensation] = []
        for decision, (claim, items, valuations) in zip(decisions, pending, strict=True):
            compensations.extend(_compensation_rows(claim, items, decision, valuations, owner_lines))
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
                _event(
                    claim,
                    actor,
                    "decide",
                    from_status=ClaimStatus.APPROVED,
                    to_status=ClaimStatus.DECIDED,
                    reason=batch_reason,
                    detail=detail,
                    at=now,
                )
            )
        try:
            with transaction.atomic():
                Compensation.objects.bulk_create(compensations, batch_size=1000)
        except IntegrityError as error:
            raise DoubleCompensationError(
                _(
                    "Another decision compensated one of these properties meanwhile; nothing was decided. "
                    "Apply the batch again."
                )
            ) from error
        ClaimEvent.objects.bulk_create(events, batch_size=1000)
        bulk_update_with_history(
            decided,
            Claim,
            ["status", "status_changed_at", "decided_at", "decided_week", "approved_by", "version", "updated_at"],
            batch_size=500,
            default_user=actor.user,
            default_change_reason=batch_reason[:100],
            default_date=now,
        )
        batch.decided_count = len(decided)
        batch.skipped = skipped
        batch.qc_seed = seed if seed is not None else secrets.randbits(48)
        batch.qc_sample_size = qc_sample_size(len(decided), confidence=float(confidence), margin=float(margin))
        sample = draw_sample([claim.pk for claim in decided], batch.qc_sample_size, seed=batch.qc_seed)
        QcSampleItem.objects.bulk_create([QcSampleItem(batch=batch, claim_id=claim_id) for claim_id in sorted(sample)])
        batch.save(update_fields=["decided_count", "skipped", "qc_seed", "qc_sample_size"])
    return batch


def _cohort_file_check(
    claim: Claim,
    actor: Actor,
    items: Sequence[LossItem],
    owner_lines: dict[int, HeirLine],
    taken: dict[tuple[str, int], str],
) -> ValuationTable:
    """Why this file cannot join the batch (raised), or the table it was valued under."""
    _four_eyes(claim, actor, _("decide"))
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
        key = (line_key_for(claim, item, owner_lines)[0], item.property_id)
        if key in taken:
            clashes.append(_("%(reference)s (claim %(case)s)") % {"reference": item.reference, "case": taken[key]})
    if clashes:
        raise DoubleCompensationError(
            _("The same property can be compensated only once per original owner's line: %(items)s.")
            % {"items": "; ".join(clashes)}
        )
    return claim.valuation_table


@transaction.atomic
def cohort_approve(*, actor: Actor, cohort: Cohort, reason: str = "", scope: Q | None = None) -> list[str]:
    """Approve the cohort's assessed files in one step; the batch is then applied by someone else.

    Files this reviewer assessed are left for another reviewer. Returns the approved case numbers.
    """
    _require(actor, "claims.approve_claim")
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


@transaction.atomic
def qc_record(
    *, actor: Actor, batch: CohortBatch, findings: dict[int, tuple[bool, str]], notes: str = ""
) -> CohortBatch:
    """Record the QC check of a batch's sample: passed only when every sampled file was checked and sound."""
    _require(actor, "claims.approve_claim")
    if actor.user is not None and batch.applied_by_id == actor.user.pk:
        raise ClaimPermissionError(
            _("Four eyes: the quality check must be made by someone other than who applied the batch.")
        )
    items = list(batch.sample.select_for_update())
    for item in items:
        if item.claim_id in findings:
            item.checked = True
            item.error_found, item.note = findings[item.claim_id]
    QcSampleItem.objects.bulk_update(items, ["checked", "error_found", "note"])
    batch.qc_errors = sum(1 for item in items if item.error_found)
    if all(item.checked for item in items):
        batch.qc_result = QcResult.FAILED if batch.qc_errors else QcResult.PASSED
    batch.qc_notes = notes
    batch.qc_recorded_by = actor.user
    batch.save(update_fields=["qc_errors", "qc_result", "qc_notes", "qc_recorded_by"])
    if batch.qc_result == QcResult.FAILED:
        _flag_batch_for_review(batch, actor, notes)
    return batch


def _flag_batch_for_review(batch: CohortBatch, actor: Actor, notes: str) -> None:
    """A failed QC sample puts every file the batch decided back in front of a reviewer."""
    reason = _(
        "Quality check of batch %(batch)s failed (%(errors)s errors in the sample); re-review this decision."
    ) % {
        "batch": batch.pk,
        "errors": batch.qc_errors,
    }
    claim_ids = list(batch.decisions.values_list("claim_id", flat=True))
    now = timezone.now()
    Claim.objects.filter(pk__in=claim_ids).update(review_flag=reason[:300], version=F("version") + 1)
    ClaimEvent.objects.bulk_create(
        [
            _event(claim, actor, "qc_failed", reason=notes, detail={"batch": batch.pk, "flag": reason}, at=now)
            for claim in Claim.objects.filter(pk__in=claim_ids)
        ]
    )


@transaction.atomic
def claim_clear_review_flag(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    """A reviewer (not the batch's applier) confirms a flagged decision after re-review."""
    _require(actor, "claims.approve_claim")
    locked = _lock(claim, expected_version)
    if not reason.strip():
        raise ClaimError(_("Say what the re-review found; it is recorded in the claim's history."))
    batch_appliers = set(locked.decisions.exclude(batch=None).values_list("batch__applied_by", flat=True))
    if actor.user is not None and actor.user.pk in batch_appliers:
        raise ClaimPermissionError(
            _("Four eyes: the re-review must be made by someone other than who applied the batch.")
        )
    previous = locked.review_flag
    locked.review_flag = ""
    _save(locked, actor, ["review_flag"])
    _event(locked, actor, "review_flag_cleared", reason=reason, detail={"flag": previous}).save()
    return locked
