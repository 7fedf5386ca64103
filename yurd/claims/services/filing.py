"""Filing a claim: creating and editing it, its claimants and its loss items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.domain.keys import property_key
from yurd.claims.domain.shares import ShareError, validate_shares
from yurd.claims.errors import ClaimError, IllegalTransitionError
from yurd.claims.models import Claim, Claimant, EvidenceReference, FiledBy, LossCategory, LossItem, Remedy
from yurd.claims.services.case_numbers import issue_case_number, new_secret, secret_digest
from yurd.claims.services.common import claim_event, full_clean, lock_claim, require, save_claim
from yurd.claims.services.heirs import check_heirs, heirs_derived, is_override
from yurd.claims.services.properties import property_for
from yurd.core.actors import Actor
from yurd.core.history import history_user_set
from yurd.registry.models import HeirLine, Household, Person


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


def _heir_claimants(heir_line: HeirLine | None, claimants: Sequence[ClaimantShare] | None) -> list[ClaimantShare]:
    """The claimants given, or for an heir line without any: every derived heir with the rule's share."""
    if claimants is not None:
        return list(claimants)
    if heir_line is None:
        raise ClaimError(_("A household's claim names its claimants."))
    return [ClaimantShare(heir.person, heir.share) for heir in heirs_derived(heir_line)]


def _apply_heirs(
    claim: Claim, actor: Actor, claimants: Sequence[ClaimantShare], override_reason: str
) -> dict[str, object]:
    """Check an heir line's claimants against the derived heirs; record the snapshot and any override."""
    if claim.heir_line is None:
        claim.derived_heirs, claim.share_override_reason, claim.share_override_by = {}, "", None
        return {}
    derived = check_heirs(claim.heir_line, [(c.person, c.share) for c in claimants], override_reason)
    override = is_override(derived, [(c.person, c.share) for c in claimants])
    reason = override_reason.strip() if override else ""
    if reason != claim.share_override_reason or claim.derived_heirs != derived:
        claim.share_override_reviewed_by, claim.share_override_reviewed_at = None, None
    claim.derived_heirs = derived
    claim.share_override_reason = reason
    claim.share_override_by = actor.user if reason else None
    return {"derived_heirs": derived, "share_override": reason}


HEIR_FIELDS = [
    "derived_heirs",
    "share_override_reason",
    "share_override_by",
    "share_override_reviewed_by",
    "share_override_reviewed_at",
]


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


def _require_editable(claim: Claim, message: str) -> None:
    if not claim.is_editable:
        raise IllegalTransitionError(message % {"case": claim.case_number, "status": claim.get_status_display()})


@transaction.atomic
def claim_create(
    *,
    actor: Actor,
    household: Household,
    claimants: Sequence[ClaimantShare] | None = None,
    heir_line: HeirLine | None = None,
    share_override_reason: str = "",
    remedy: str = Remedy.UNDECIDED,
    language: str = "az",
    notes: str = "",
    now: datetime | None = None,
) -> tuple[Claim, str]:
    """A new draft claim and its status look-up secret (shown once, stored only as a hash).

    An heir line's claim without claimants is made by every heir the registry derives,
    with the configured rule's shares.
    """
    require(actor, "claims.add_claim")
    claimants = _heir_claimants(heir_line, claimants)
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
    heirs = _apply_heirs(claim, actor, claimants, share_override_reason)
    full_clean(claim)
    history_user_set(claim, actor.user)
    claim.save()
    _set_claimants(claim, claimants)
    claim_event(claim, actor, "create", to_status=claim.status, detail=heirs, at=now).save()
    return claim, secret


def _flagged_for_kinship_before_decision(claim: Claim) -> bool:
    """Whether the claim's flag is a change of kinship noticed before any decision (cleared by naming the
    claimants again); a flag on a decision waits for a reviewer."""
    if not claim.review_flag or claim.decisions.exists():
        return False
    last = claim.events.filter(action__in=["kinship_changed", "qc_failed"]).order_by("-at", "-id").first()
    return last is not None and last.action == "kinship_changed"


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
    share_override_reason: str = "",
) -> Claim:
    require(actor, "claims.change_claim")
    locked = lock_claim(claim, expected_version)
    _require_editable(locked, _("Claim %(case)s is %(status)s and can no longer be edited."))
    _check_claimants(locked.household, locked.heir_line, claimants)
    changed = {
        field: [str(getattr(locked, field)), str(value)]
        for field, value in (("remedy", remedy), ("language", language), ("notes", notes))
        if getattr(locked, field) != value
    }
    locked.remedy, locked.language, locked.notes = remedy, language, notes
    heirs = _apply_heirs(locked, actor, claimants, share_override_reason)
    if heirs and _flagged_for_kinship_before_decision(locked):
        # The claimants were just checked against the heirs the registry derives now.
        heirs["kinship_flag_cleared"] = locked.review_flag
        locked.review_flag = ""
    full_clean(locked)
    _set_claimants(locked, claimants)
    save_claim(locked, actor, ["remedy", "language", "notes", "review_flag", *HEIR_FIELDS])
    claim_event(
        locked,
        actor,
        "edit",
        detail={"changed": changed, "claimants": [f"{c.person.code} {c.share}" for c in claimants], **heirs},
    ).save()
    return locked


@transaction.atomic
def claim_reissue_secret(*, actor: Actor, claim: Claim) -> str:
    require(actor, "claims.change_claim")
    locked = lock_claim(claim, None)
    secret = new_secret()
    locked.secret_hash = secret_digest(secret)
    save_claim(locked, actor, ["secret_hash"])
    claim_event(locked, actor, "reissue_secret").save()
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
    require(actor, "claims.change_claim")
    locked = lock_claim(claim, expected_version)
    _require_editable(
        locked, _("Claim %(case)s is %(status)s; loss items can be added only to a draft or returned claim.")
    )
    if original_owner is None and locked.heir_line is not None:
        # An heir line claims for its ancestor's losses: the ancestor is the original owner.
        original_owner = locked.heir_line.ancestor
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
    item.property = property_for(
        category=category, place=place, reference=reference, owner=original_owner, household=locked.household
    )
    item.property_key = property_key(
        category=category.code,
        place=place.code,
        owner=original_owner.code if original_owner else locked.household.code,
        reference=reference,
    )
    full_clean(item, exclude=["claim"])
    history_user_set(item, actor.user)
    item.save()
    EvidenceReference.objects.bulk_create(
        [EvidenceReference(loss_item=item, reference=reference_text) for reference_text in dict.fromkeys(evidence)]
    )
    save_claim(locked, actor, [])
    claim_event(
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
    require(actor, "claims.change_claim")
    locked = lock_claim(claim, expected_version)
    if not locked.is_editable or item.claim_id != locked.pk:
        raise IllegalTransitionError(_("Loss items can be removed only from a draft or returned claim."))
    detail = {"item": item.pk, "category": item.category.code, "property_key": item.property_key}
    item.delete()
    save_claim(locked, actor, [])
    claim_event(locked, actor, "remove_loss_item", detail=detail).save()
