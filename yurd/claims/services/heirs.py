"""Heirs from kinship: an heir line's claimants are the heirs the registry derives, with the rule's shares.

The registry derives who inherits from a deceased ancestor (yurd.registry.selectors
descendant_tree: living descendants, a deceased child represented by their own). The
shares follow the configured rule (YURD_CLAIMS_SHARE_RULE: per_stirpes, or equal).
Claimants who are not derived heirs are refused; other shares, or only some heirs
claiming, are an override that needs a written reason and a second person's review
before the claim is approved. A change of kinship (or a death recorded) flags the open
claims whose heirs it changes, decided or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.domain.shares import Descendant, equal_shares, per_stirpes
from yurd.claims.errors import ClaimError, ClaimPermissionError
from yurd.claims.models import Claim, ClaimStatus
from yurd.claims.services.common import claim_event, lock_claim, require, save_claim
from yurd.core.actors import Actor
from yurd.registry.models import HeirLine, Kinship, KinshipKind, Person
from yurd.registry.selectors import TreeItem, descendant_tree

SHARE_RULES = ("per_stirpes", "equal")
CLOSED = (ClaimStatus.ANNULLED, ClaimStatus.WITHDRAWN)


@dataclass(frozen=True)
class Heir:
    person: Person
    share: Fraction


def share_rule() -> str:
    rule = getattr(settings, "YURD_CLAIMS_SHARE_RULE", "per_stirpes")
    return rule if rule in SHARE_RULES else "per_stirpes"


def _descendant(item: TreeItem) -> Descendant:
    return Descendant(
        code=item.person.code,
        alive=not item.person.is_deceased,
        children=[_descendant(child) for child in item.children],
    )


def heirs_derived(line: HeirLine, *, user: Any = None) -> list[Heir]:
    """The heirs of the line's ancestor with their shares under the rule, as `user` may see them.

    The shares are worked out on the whole family (user None); a reader sees only the
    heirs within their scope, each with the share the whole family gives them.
    """
    tree, generations = descendant_tree(line.ancestor, user=None)
    heirs = [person for generation in generations for person in generation]
    if share_rule() == "equal":
        shares = dict(zip([person.code for person in heirs], equal_shares(len(heirs)), strict=True)) if heirs else {}
    else:
        shares = per_stirpes(_descendant(tree).children)
    if user is not None:
        _scoped_tree, scoped = descendant_tree(line.ancestor, user=user)
        visible = {person.code for generation in scoped for person in generation}
        heirs = [person for person in heirs if person.code in visible]
    return [Heir(person, shares[person.code]) for person in heirs if person.code in shares]


def heir_shares(line: HeirLine) -> dict[str, str]:
    """Person code -> share (as text): the snapshot kept on a claim to notice later changes."""
    return {heir.person.code: str(heir.share) for heir in heirs_derived(line)}


def check_heirs(line: HeirLine, claimants: Sequence[tuple[Person, Fraction]], override_reason: str) -> dict[str, str]:
    """Refuse claimants who are not derived heirs, and unexplained shares; the derived heirs' snapshot."""
    derived = heir_shares(line)
    outsiders = [person.code for person, _share in claimants if person.code not in derived]
    if outsiders:
        raise ClaimError(
            _(
                "%(codes)s are not heirs of %(ancestor)s as the registry records the family; "
                "record the kinship in the registry first."
            )
            % {"codes": ", ".join(outsiders), "ancestor": line.ancestor.code}
        )
    if is_override(derived, claimants) and not override_reason.strip():
        expected = ", ".join(f"{code} {share}" for code, share in derived.items())
        raise ClaimError(
            _(
                "These shares differ from the heirs' shares (%(rule)s: %(expected)s). Give the reason for the "
                "difference; a second person reviews it before the claim is approved."
            )
            % {"rule": share_rule(), "expected": expected}
        )
    return derived


def is_override(derived: dict[str, str], claimants: Sequence[tuple[Person, Fraction]]) -> bool:
    given = {person.code: str(share) for person, share in claimants}
    return given != derived


@transaction.atomic
def claim_review_share_override(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    """A second person accepts an heir line's claim's shares that differ from the rule's."""
    require(actor, "claims.approve_claim")
    if actor.user is None:
        raise ClaimPermissionError(_("A review must be signed by a person."))
    locked = lock_claim(claim, expected_version)
    if not locked.share_override_reason:
        raise ClaimError(_("This claim's shares are the heirs' shares; there is nothing to review."))
    if locked.share_override_by_id == actor.user.pk:
        raise ClaimPermissionError(_("Four eyes: you entered these shares, so someone else must review them."))
    if not reason.strip():
        raise ClaimError(_("Say why the shares are accepted; it is recorded in the claim's history."))
    locked.share_override_reviewed_by = actor.user
    locked.share_override_reviewed_at = timezone.now()
    save_claim(locked, actor, ["share_override_reviewed_by", "share_override_reviewed_at"])
    claim_event(
        locked, actor, "share_override_reviewed", reason=reason, detail={"override": locked.share_override_reason}
    ).save()
    return locked


def check_share_override_reviewed(claim: Claim) -> None:
    if claim.share_override_pending:
        raise ClaimError(
            _(
                "The claimants' shares of claim %(case)s differ from the heirs' shares; "
                "a second person reviews them first."
            )
            % {"case": claim.case_number}
        )


# --- A change of kinship after a decision ---------------------------------------------


def ancestors_of(person_ids: Iterable[int], *, limit: int = 12) -> set[int]:
    """The people and all their recorded ancestors (one query per generation)."""
    found = set(person_ids)
    frontier = set(found)
    for _generation in range(limit):
        parents = set(
            Kinship.objects.filter(kind=KinshipKind.PARENT_OF, to_person__in=frontier).values_list(
                "from_person", flat=True
            )
        )
        frontier = parents - found
        if not frontier:
            break
        found |= frontier
    return found


def heirs_kinship_changed(actor: Actor, person_ids: list[int]) -> list[Claim]:
    """Flag the open heir-line claims whose derived heirs the change altered (registry hook).

    A kinship edge added or removed, or a death recorded: a decided claim is flagged for
    re-review of its decision; an undecided one for a check of its claimants and shares
    before it goes further. Both show on the claim's page and in the review queue.
    """
    lines = list(HeirLine.objects.filter(ancestor_id__in=ancestors_of(person_ids)).select_related("ancestor"))
    if not lines:
        return []
    claims = list(
        Claim.objects.filter(heir_line__in=lines).exclude(status__in=CLOSED).select_related("heir_line__ancestor")
    )
    flagged = []
    now = timezone.now()
    derived_by_line = {line.pk: heir_shares(line) for line in lines}
    for claim in claims:
        derived = derived_by_line[claim.heir_line_id]  # type: ignore[index]
        if derived == claim.derived_heirs:
            continue
        latest = claim.decisions.order_by("-number").first()
        now_heirs = ", ".join(f"{code} {share}" for code, share in derived.items()) or "-"
        if latest is not None:
            flag = _("Kinship changed after decision %(number)s: the registry now derives the heirs %(heirs)s.") % {
                "number": latest.number,
                "heirs": now_heirs,
            }
        else:
            flag = _(
                "Kinship changed since the claimants were named: the registry now derives the heirs %(heirs)s. "
                "Check the claimants and their shares before the claim goes further."
            ) % {"heirs": now_heirs}
        Claim.objects.filter(pk=claim.pk).update(review_flag=flag[:300], version=F("version") + 1)
        flagged.append(claim)
        claim_event(
            claim,
            actor,
            "kinship_changed",
            reason=flag,
            detail={
                "decision": latest.number if latest is not None else None,
                "before": claim.derived_heirs,
                "now": derived,
            },
            at=now,
        ).save()
    return flagged
