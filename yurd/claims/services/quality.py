"""Quality control of batch decisions: the sample's findings, and re-review when it fails."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.claims.errors import ClaimError, ClaimPermissionError
from yurd.claims.models import Claim, ClaimEvent, CohortBatch, QcResult, QcSampleItem
from yurd.claims.services.common import claim_event, lock_claim, require, save_claim
from yurd.core.actors import Actor


@transaction.atomic
def qc_record(
    *, actor: Actor, batch: CohortBatch, findings: dict[int, tuple[bool, str]], notes: str = ""
) -> CohortBatch:
    """Record the QC check of a batch's sample: passed only when every sampled file was checked and sound."""
    require(actor, "claims.approve_claim")
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
            claim_event(claim, actor, "qc_failed", reason=notes, detail={"batch": batch.pk, "flag": reason}, at=now)
            for claim in Claim.objects.filter(pk__in=claim_ids)
        ]
    )


@transaction.atomic
def claim_clear_review_flag(*, actor: Actor, claim: Claim, expected_version: int | None, reason: str) -> Claim:
    """A reviewer (not the batch's applier) confirms a flagged claim after re-review."""
    require(actor, "claims.approve_claim")
    locked = lock_claim(claim, expected_version)
    if not locked.review_flag:
        raise ClaimError(_("Claim %(case)s is not flagged for re-review.") % {"case": locked.case_number})
    if not reason.strip():
        raise ClaimError(_("Say what the re-review found; it is recorded in the claim's history."))
    batch_appliers = set(locked.decisions.exclude(batch=None).values_list("batch__applied_by", flat=True))
    if actor.user is not None and actor.user.pk in batch_appliers:
        raise ClaimPermissionError(
            _("Four eyes: the re-review must be made by someone other than who applied the batch.")
        )
    previous = locked.review_flag
    locked.review_flag = ""
    save_claim(locked, actor, ["review_flag"])
    claim_event(locked, actor, "review_flag_cleared", reason=reason, detail={"flag": previous}).save()
    return locked
