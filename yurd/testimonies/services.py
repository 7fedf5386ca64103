"""Writes of testimonies, transcripts, segments, consent and the thesaurus."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction
from yurd.linkage.matching import search_key
from yurd.registry.codes import allocate_numbers
from yurd.testimonies.models import ConsentEvent, ConsentUse, Segment, Term, TermStatus, Testimony, Transcript


def search_fields(*texts: str) -> dict[str, str]:
    """The two search columns for some text: folded keys (any script) and case-folded text."""
    joined = "\n".join(text for text in texts if text)
    return {"search_folded": search_key(joined), "search_casefold": joined.casefold()}


def testimony_create(*, actor: Actor, **fields: Any) -> Testimony:
    uses = list(fields.pop("consent_uses", []))
    unknown = [use for use in uses if use not in ConsentUse.values]
    if unknown:
        raise ValidationError(_("Unknown consented uses: %(uses)s") % {"uses": ", ".join(unknown)})
    with transaction.atomic():
        (number,) = allocate_numbers("testimony", 1)
        testimony = Testimony(code=f"T-{number:06d}", consent_uses=uses, **fields)
        testimony.full_clean()
        testimony.save()
        ConsentEvent.objects.create(testimony=testimony, action="given", by=actor.user)
    return testimony


def transcript_add(*, actor: Actor, testimony: Testimony, language: str, text: str, kind: str) -> Transcript:
    with transaction.atomic():
        transcript = Transcript(testimony=testimony, language=language, text=text, kind=kind, **search_fields(text))
        transcript.full_clean()
        transcript.save()
    return transcript


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
    terms = list(keywords)
    unapproved = [term.label_en for term in terms if term.status != TermStatus.APPROVED]
    if unapproved:
        raise ValidationError(
            _("Only approved thesaurus terms may be used: %(terms)s") % {"terms": ", ".join(unapproved)}
        )
    with transaction.atomic():
        segment = Segment(
            testimony=testimony,
            start_seconds=start_seconds,
            end_seconds=end_seconds,
            title=title,
            summary=summary,
            transcript_text=transcript_text,
            events=list(events),
            **search_fields(title, summary, transcript_text),
        )
        segment.full_clean()
        segment.save()
        segment.keywords.set(terms)
        segment.people.set(list(people))
        segment.places.set(list(places))
        segment.heritage_sites.set(list(heritage_sites))
    return segment


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
        testimony._change_reason = "consent withdrawn"  # type: ignore[attr-defined]
        testimony.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        ConsentEvent.objects.create(testimony=testimony, action="withdrawn", by=user, reason=reason.strip())
        log_access(actor, AccessAction.CHANGE, testimony, detail={"consent": "withdrawn"})
    return testimony


def term_propose(*, actor: Actor, label_en: str, label_az: str = "", label_ru: str = "", scope_note: str = "") -> Term:
    with transaction.atomic():
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
        term.save(update_fields=["status", "decided_by", "updated_at"])
    return term
