"""Writes of testimonies, transcripts, segments, consent and the thesaurus."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.history import change_context, change_reason_set, delete_with_reason, save_with_reason
from yurd.core.models import AccessAction
from yurd.core.partial_dates import PartialDate
from yurd.core.permissions import require
from yurd.evidence.models import CustodyAction, EvidenceItem
from yurd.evidence.services import custody_append
from yurd.names import search_key
from yurd.places.models import Place
from yurd.registry.codes import allocate_numbers
from yurd.registry.models import Person
from yurd.testimonies.models import (
    AccessLevel,
    ConsentEvent,
    ConsentUse,
    MediaUnsealing,
    Segment,
    Term,
    TermStatus,
    Testimony,
    Transcript,
)

REFUSED = gettext_lazy("You may not change testimonies.")


def search_fields(*texts: str) -> dict[str, str]:
    """The two search columns for some text: folded keys (any script) and case-folded text."""
    joined = "\n".join(text for text in texts if text)
    return {"search_folded": search_key(joined), "search_casefold": joined.casefold()}


def _consent_uses(uses: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(uses))
    unknown = [use for use in wanted if use not in ConsentUse.values]
    if unknown:
        raise ValidationError(_("Unknown consented uses: %(uses)s") % {"uses": ", ".join(unknown)})
    return [use for use in ConsentUse.values if use in wanted]


def testimony_create(
    *,
    actor: Actor,
    title: str,
    interviewer: str,
    language: str,
    narrator: Person | None = None,
    narrator_description: str = "",
    recorded_on: str = "",
    place: Place | None = None,
    media: EvidenceItem | None = None,
    other_media: Iterable[EvidenceItem] = (),
    consent_uses: Iterable[str] = (),
    consent_restrictions: str = "",
    consent_given_on: date | None = None,
    access_level: str = AccessLevel.OPEN,
) -> Testimony:
    """Record a testimony with the consent given for it (a ConsentEvent "given")."""
    require(actor, "testimonies.add_testimony", message=REFUSED)
    uses = _consent_uses(consent_uses)
    other_media = list(other_media)
    with transaction.atomic(), change_context(user=actor.user, reason=_("Testimony recorded")):
        (number,) = allocate_numbers("testimony", 1)
        testimony = Testimony(
            code=f"T-{number:06d}",
            title=title,
            narrator=narrator,
            narrator_description=narrator_description,
            interviewer=interviewer,
            recorded_on=recorded_on,
            place=place,
            language=language,
            media=media,
            consent_uses=uses,
            consent_restrictions=consent_restrictions,
            consent_given_on=consent_given_on,
            access_level=access_level,
        )
        testimony.full_clean()
        testimony.save()
        if other_media:
            testimony.other_media.set(other_media)
        ConsentEvent.objects.create(testimony=testimony, action="given", by=actor.user)
    return testimony


class TestimonyChanges(TypedDict, total=False):
    """What may change on a testimony; only the keys given are changed."""

    title: str
    narrator: Person | None
    narrator_description: str
    interviewer: str
    recorded_on: PartialDate | str | None
    place: Place | None
    language: str
    media: EvidenceItem | None
    other_media: Iterable[EvidenceItem]
    # Consent is recorded as given, changed or withdrawn (ConsentEvent); these fields make it up.
    consent_uses: Iterable[str]
    consent_restrictions: str
    consent_given_on: date | None
    access_level: str


CONSENT_FIELDS = ("consent_uses", "consent_restrictions", "consent_given_on", "access_level")
TESTIMONY_FIELDS = tuple(TestimonyChanges.__annotations__)


def testimony_update(
    *, actor: Actor, testimony: Testimony, reason: str = "", **changes: Unpack[TestimonyChanges]
) -> Testimony:
    """Change a testimony's description or consent; a consent change is logged as a consent act."""
    require(actor, "testimonies.change_testimony", message=REFUSED)
    stray = set(changes) - set(TESTIMONY_FIELDS)
    if stray:
        raise ValueError(f"not editable: {sorted(stray)}")
    if "consent_uses" in changes:
        changes["consent_uses"] = _consent_uses(changes["consent_uses"])
    other_media = changes.pop("other_media", None)
    with transaction.atomic(), change_context(user=actor.user, reason=reason or _("Testimony changed")):
        locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("Consent to this testimony was withdrawn; it can no longer be changed."))
        before = {name: getattr(locked, name) for name in CONSENT_FIELDS}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        if other_media is not None:
            locked.other_media.set(list(other_media))
        changed = [name for name in CONSENT_FIELDS if getattr(locked, name) != before[name]]
        if changed:
            ConsentEvent.objects.create(
                testimony=locked, action="changed", by=actor.user, reason=(reason or ", ".join(changed))[:2000]
            )
    return locked


def transcript_add(*, actor: Actor, testimony: Testimony, language: str, text: str, kind: str) -> Transcript:
    require(actor, "testimonies.change_testimony", message=REFUSED)
    with transaction.atomic(), change_context(user=actor.user, reason=_("Transcript added")):
        transcript = Transcript(testimony=testimony, language=language, text=text, kind=kind, **search_fields(text))
        transcript.full_clean()
        transcript.save()
    return transcript


def transcript_update(
    *, actor: Actor, transcript: Transcript, language: str, text: str, kind: str, reason: str = ""
) -> Transcript:
    require(actor, "testimonies.change_testimony", message=REFUSED)
    with transaction.atomic(), change_context(user=actor.user, reason=reason or _("Transcript corrected")):
        locked = Transcript.objects.select_for_update().get(pk=transcript.pk)
        locked.language, locked.text, locked.kind = language, text, kind
        for name, value in search_fields(text).items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
    return locked


def transcript_delete(*, actor: Actor, transcript: Transcript, reason: str) -> None:
    require(actor, "testimonies.change_testimony", message=REFUSED)
    with transaction.atomic():
        delete_with_reason(transcript, reason=reason or _("Transcript removed"), user=actor.user)


def _approved_only(terms: list[Term]) -> None:
    unapproved = [term.label_en for term in terms if term.status != TermStatus.APPROVED]
    if unapproved:
        raise ValidationError(
            _("Only approved thesaurus terms may be used: %(terms)s") % {"terms": ", ".join(unapproved)}
        )


def segment_add(
    *,
    actor: Actor,
    testimony: Testimony,
    start_seconds: int,
    end_seconds: int,
    title: str,
    summary: str = "",
    transcript_text: str = "",
    keywords: Iterable[Term] = (),
    people: Iterable[Any] = (),
    places: Iterable[Any] = (),
    heritage_sites: Iterable[Any] = (),
    events: Iterable[str] = (),
) -> Segment:
    require(actor, "testimonies.change_testimony", message=REFUSED)
    terms = list(keywords)
    _approved_only(terms)
    with transaction.atomic(), change_context(user=actor.user, reason=_("Segment added")):
        return _write_segment(
            Segment(testimony=testimony),
            terms=terms,
            links={"people": people, "places": places, "heritage_sites": heritage_sites},
            start_seconds=start_seconds,
            end_seconds=end_seconds,
            title=title,
            summary=summary,
            transcript_text=transcript_text,
            events=list(events),
        )


def _write_segment(segment: Segment, *, terms: list[Term], links: dict[str, Iterable[Any]], **fields: Any) -> Segment:
    """Set a segment's times and texts with their search keys, save it checked, and link its
    keywords, people, places and sites (replacing earlier links)."""
    fields |= search_fields(fields["title"], fields["summary"], fields["transcript_text"])
    for name, value in fields.items():
        setattr(segment, name, value)
    segment.full_clean()
    segment.save()
    segment.keywords.set(terms)
    for relation, targets in links.items():
        getattr(segment, relation).set(list(targets))
    return segment


def segment_update(
    *,
    actor: Actor,
    segment: Segment,
    start_seconds: int,
    end_seconds: int,
    title: str,
    summary: str = "",
    transcript_text: str = "",
    keywords: Iterable[Term] = (),
    people: Iterable[Any] = (),
    places: Iterable[Any] = (),
    heritage_sites: Iterable[Any] = (),
    events: Iterable[str] = (),
    reason: str = "",
) -> Segment:
    """Replace a segment's times, texts, keywords and links (the history keeps the earlier ones)."""
    require(actor, "testimonies.change_testimony", message=REFUSED)
    terms = list(keywords)
    _approved_only(terms)
    with transaction.atomic(), change_context(user=actor.user, reason=reason or _("Segment changed")):
        locked = Segment.objects.select_for_update().get(pk=segment.pk)
        return _write_segment(
            locked,
            terms=terms,
            links={"people": people, "places": places, "heritage_sites": heritage_sites},
            start_seconds=start_seconds,
            end_seconds=end_seconds,
            title=title,
            summary=summary,
            transcript_text=transcript_text,
            events=list(events),
        )


def segment_delete(*, actor: Actor, segment: Segment, reason: str) -> None:
    require(actor, "testimonies.change_testimony", message=REFUSED)
    with transaction.atomic():
        delete_with_reason(segment, reason=reason or _("Segment removed"), user=actor.user)


def testimony_withdraw_consent(*, actor: Actor, testimony: Testimony, reason: str) -> Testimony:
    """From this moment the testimony is hidden from every page, search, export and API."""
    user = actor.user
    if user is not None and not user.has_perm("testimonies.withdraw_testimony_consent"):
        raise PermissionDenied(_("You may not record a withdrawal of consent."))
    if not reason.strip():
        raise ValidationError(_("Say how and when the narrator withdrew consent."))
    with transaction.atomic():
        testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
        if testimony.withdrawn_at is not None:
            raise ValidationError(_("Consent to this testimony was already withdrawn."))
        testimony.withdrawn_at = timezone.now()
        testimony.withdrawal_reason = reason.strip()
        change_reason_set(testimony, "consent withdrawn")
        testimony.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        ConsentEvent.objects.create(testimony=testimony, action="withdrawn", by=user, reason=reason.strip())
        log_access(actor, AccessAction.CHANGE, testimony, detail={"consent": "withdrawn"})
    return testimony


def testimony_media_unseal(*, actor: Actor, testimony: Testimony, item: EvidenceItem, reason: str) -> MediaUnsealing:
    """Lift the seal a withdrawal of consent put on one of the testimony's media items.

    An administrator's explicit act (never the system's by default): it needs the
    unseal permission and a reason, and is written to the testimony's consent events,
    the item's custody chain and the access log in the same transaction. The item is
    then shown again under the vault's other rules; the testimony stays withdrawn.
    """
    user = actor.user
    if user is None or not user.has_perm("testimonies.unseal_testimony_media"):
        raise PermissionDenied(_("Only an administrator may unseal the media of a withdrawn testimony."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why this item may be shown again although consent was withdrawn."))
    with transaction.atomic():
        testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
        if testimony.withdrawn_at is None:
            raise ValidationError(_("Consent to this testimony was not withdrawn: nothing is sealed."))
        belongs = testimony.media_id == item.pk or testimony.other_media.filter(pk=item.pk).exists()
        if not belongs:
            raise ValidationError(_("This evidence item is not a recording or medium of this testimony."))
        if MediaUnsealing.objects.filter(testimony=testimony, item=item).exists():
            raise ValidationError(_("This item was already unsealed."))
        unsealing = MediaUnsealing.objects.create(testimony=testimony, item=item, by=user, reason=reason)
        ConsentEvent.objects.create(
            testimony=testimony, action="media_unsealed", by=user, reason=f"{item.public_code}: {reason}"
        )
        custody_append(
            actor=actor,
            action=CustodyAction.ACCESS_CHANGE,
            item_sha256=item.sha256,
            details={"unsealed": testimony.code, "reason": reason},
        )
        log_access(actor, AccessAction.CHANGE, item, detail={"unsealed": testimony.code, "reason": reason})
    return unsealing


def term_propose(*, actor: Actor, label_en: str, label_az: str = "", label_ru: str = "", scope_note: str = "") -> Term:
    require(actor, "testimonies.add_term", message=REFUSED)
    with transaction.atomic(), change_context(user=actor.user, reason=_("Term proposed")):
        term = Term(
            label_en=label_en.strip(),
            label_az=label_az.strip(),
            label_ru=label_ru.strip(),
            scope_note=scope_note,
            status=TermStatus.PROPOSED,
            proposed_by=actor.user,
        )
        term.full_clean()
        term.save()
    return term


def term_decide(*, actor: Actor, term: Term, approve: bool) -> Term:
    """Approve or reject a proposed term; nobody approves a term they proposed."""
    user = actor.user
    if user is not None and not user.has_perm("testimonies.approve_term"):
        raise PermissionDenied(_("You may not decide on thesaurus terms."))
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        if term.status != TermStatus.PROPOSED:
            raise ValidationError(_("Only a proposed term can be approved or rejected."))
        if user is not None and term.proposed_by_id == user.pk:
            raise PermissionDenied(_("A term must be approved by someone other than its proposer."))
        term.status = TermStatus.APPROVED if approve else TermStatus.REJECTED
        term.decided_by = user
        save_with_reason(
            term,
            reason=_("Term approved") if approve else _("Term rejected"),
            user=user,
            update_fields=["status", "decided_by", "updated_at"],
        )
    return term
