"""Reads of the vault: one definition of which evidence a user may see, for pages, API and exports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.evidence.models import EvidenceItem, EvidenceLink, Sensitivity

_NOTHING = Q(pk__in=[])


def visible_evidence_q(user: User | None, *, public: bool = False) -> Q:
    """Public pages see public items only; users see what their roles allow; the system sees all."""
    if public:
        return Q(sensitivity=Sensitivity.PUBLIC)
    if user is None:
        return Q()
    if not user.is_authenticated or not user.has_perm("evidence.view_evidenceitem"):
        return _NOTHING
    if user.has_perm("evidence.view_restricted_evidence"):
        return Q()
    return ~Q(sensitivity=Sensitivity.RESTRICTED)


def evidence_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[EvidenceItem]:
    filters = filters or {}
    queryset = EvidenceItem.objects.filter(visible_evidence_q(actor.user)).select_related("place")
    if kind := filters.get("kind"):
        queryset = queryset.filter(kind=kind)
    if sensitivity := filters.get("sensitivity"):
        queryset = queryset.filter(sensitivity=sensitivity)
    if text := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(title_en__icontains=text)
            | Q(title_az__icontains=text)
            | Q(title_ru__icontains=text)
            | Q(original_name__icontains=text)
            | Q(source__icontains=text)
            | Q(sha256__startswith=text.lower())
        )
    return queryset


def evidence_get(*, actor: Actor, public_code: str) -> EvidenceItem:
    """The item, or 404 when it does not exist or this user may not know it exists."""
    if actor.user is not None and not actor.user.has_perm("evidence.view_evidenceitem"):
        raise PermissionDenied
    item = EvidenceItem.objects.filter(visible_evidence_q(actor.user), public_code=public_code).first()
    if item is None:
        raise Http404
    return item


def evidence_for_targets(
    *, targets: list[tuple[str, str]], user: User | None = None, public: bool = False
) -> QuerySet[EvidenceItem]:
    """Items linked to any of these (record type, code) pairs, as this user may see them."""
    if not targets:
        return EvidenceItem.objects.none()
    condition = _NOTHING
    for target_type, target_code in targets:
        condition |= Q(links__target_type=target_type, links__target_code=target_code)
    return EvidenceItem.objects.filter(condition).filter(visible_evidence_q(user, public=public)).distinct()


def links_for_targets(
    *, target_type: str, codes: list[str], user: User | None = None, public: bool = False
) -> QuerySet[EvidenceLink]:
    """Links from records of one type to the evidence this user may see (for dossiers and exports)."""
    return (
        EvidenceLink.objects.filter(target_type=target_type, target_code__in=codes)
        .filter(item__in=EvidenceItem.objects.filter(visible_evidence_q(user, public=public)))
        .select_related("item")
        .prefetch_related("item__derivatives")
        .order_by("target_code", "id")
    )
