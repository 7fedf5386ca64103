"""The property register: the property a loss item names, and the review of likely duplicates."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.domain.properties import address_key, similar
from yurd.claims.errors import ClaimError, DoubleCompensationError
from yurd.claims.models import DuplicateStatus, LossCategory, Property, PropertyDuplicate
from yurd.claims.services.common import claim_event, require
from yurd.core.actors import Actor
from yurd.core.history import history_user_set
from yurd.registry.models import Household, Person


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
    require(actor, "claims.approve_claim")
    duplicate = PropertyDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status != DuplicateStatus.PROPOSED:
        raise ClaimError(_("This proposal was already reviewed."))
    if merge:
        _check_mergeable(duplicate.first, duplicate.second)
        _merge_property(actor, keep=duplicate.first, gone=duplicate.second)
    duplicate.status = DuplicateStatus.MERGED if merge else DuplicateStatus.DISMISSED
    duplicate.reviewed_by = actor.user
    duplicate.reviewed_at = timezone.now()
    duplicate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return duplicate


def _check_mergeable(keep: Property, gone: Property) -> None:
    """Two properties merge only when neither was merged, their owners agree and at most one was paid."""
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


def _merge_property(actor: Actor, *, keep: Property, gone: Property) -> None:
    """The kept property takes the other's names, owner, loss items and compensations (history on each claim)."""
    if keep.original_owner_id is None and gone.original_owner_id is not None:
        keep.original_owner = gone.original_owner
        keep.owner_household = None
    keep.names = "\n".join(dict.fromkeys([*keep.names.splitlines(), *gone.names.splitlines()]))
    history_user_set(keep, actor.user)
    keep.save()
    for item in gone.loss_items.select_related("claim"):
        claim_event(
            item.claim,
            actor,
            "property_merged",
            detail={"item": item.pk, "from": gone.code, "into": keep.code},
        ).save()
    gone.loss_items.update(property=keep)
    gone.compensations.update(property=keep, line_key=keep.line_key)
    keep.compensations.update(line_key=keep.line_key)
    gone.merged_into = keep
    history_user_set(gone, actor.user)
    gone.save(update_fields=["merged_into", "updated_at"])
