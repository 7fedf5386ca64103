"""What every claims service shares: permissions, the claim's lock and version, events, transitions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.errors import ClaimError, ClaimPermissionError, ConcurrentEditError, IllegalTransitionError
from yurd.claims.models import Claim, ClaimEvent, ClaimStatus
from yurd.claims.workflow import TRANSITIONS, Transition
from yurd.core import permissions
from yurd.core.actors import Actor
from yurd.core.history import change_reason_set, history_user_set


def require(actor: Actor, permission: str) -> None:
    """core.permissions.require with the claims' refusal: a ClaimPermissionError the pages show."""
    permissions.require(
        actor, permission, message=_("Your role does not allow this step."), refusal=ClaimPermissionError
    )


def lock_claim(claim: Claim, expected_version: int | None) -> Claim:
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


def claim_event(
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
    """An unsaved history event (callers save it, or bulk-create many)."""
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


def full_clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise ClaimError("; ".join(error.messages)) from error


def save_claim(claim: Claim, actor: Actor, fields: Iterable[str]) -> None:
    claim.version += 1
    history_user_set(claim, actor.user)
    claim.save(update_fields=[*fields, "version", "updated_at"])


def four_eyes(claim: Claim, actor: Actor, step: str) -> None:
    """The assessor of the current valuation never approves or decides it."""
    if actor.user is None:
        raise ClaimPermissionError(_("This step must be signed by a person."))
    if claim.assessed_by_id is not None and claim.assessed_by_id == actor.user.pk:
        raise ClaimPermissionError(
            _("Four eyes: you assessed claim %(case)s, so someone else must %(step)s it.")
            % {"case": claim.case_number, "step": step}
        )


def check_transition(claim: Claim, transition: Transition, actor: Actor, reason: str) -> None:
    require(actor, transition.permission)
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


def transition(
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
    """Move a claim along the workflow: lock, check, prepare the step's own fields, save, record."""
    step = TRANSITIONS[name]
    locked = lock_claim(claim, expected_version)
    check_transition(locked, step, actor, reason)
    before = locked.status
    now = timezone.now()
    extra = prepare(locked, now) if prepare is not None else {}
    locked.status = step.target
    locked.status_changed_at = now
    # The step's reason in the claim's history too, so the change log shows why (its field holds 100).
    change_reason_set(locked, reason.strip()[:100] or None)
    save_claim(locked, actor, ["status", "status_changed_at", *fields])
    claim_event(
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
