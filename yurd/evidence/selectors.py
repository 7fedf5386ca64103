"""Reads of the vault: one definition of which evidence a user may see, for pages, API and exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.core.actors import Actor
from yurd.evidence.models import CustodyEntry, EvidenceItem, EvidenceLink, Sensitivity

_NOTHING = Q(pk__in=[])

# Evidence inherits the visibility of what it documents. The apps whose records evidence
# documents (registry, claims, testimonies) sit above this one, so they register here,
# from their AppConfig.ready(), how a reader sees their records:
# - documented records: a record type ("registry.household") and the codes of those
#   records a scoped reader may see; an item linked to any other record of that type is
#   hidden from that reader;
# - seals: a condition on EvidenceItem that hides items whatever they are linked to (a
#   testimony's recording once its consent is withdrawn, or from roles that may not read it).
# - impersonal records: record types that name no one (heritage sites and observations).
#   A reader who may not read personal names (the analyst) sees only items that document
#   at least one record and only records of these types: an item's title and links name
#   the people, households and claims it documents, and an item that documents nothing
#   yet may name anyone.
VisibleCodes = Callable[[User], QuerySet[Any]]
Seal = Callable[[User | None, bool], Q]
_DOCUMENTED: dict[str, VisibleCodes] = {}
_SEALS: dict[str, Seal] = {}
_IMPERSONAL: set[str] = set()


def register_documented_records(target_type: str, visible_codes: VisibleCodes) -> None:
    """Items linked to records of `target_type` are shown to a scoped reader only when
    `visible_codes(user)` (a one-column queryset of codes) holds every such record."""
    _DOCUMENTED[target_type] = visible_codes


def register_seal(name: str, seal: Seal) -> None:
    """`seal(user, public)` is a condition an item must meet to be shown (user None: the system)."""
    _SEALS[name] = seal


def register_impersonal_records(target_type: str) -> None:
    """Items that document only records of such types may be shown to readers without names."""
    _IMPERSONAL.add(target_type)


def _impersonal_q() -> Q:
    links = EvidenceLink.objects.filter(item=OuterRef("pk"))
    return Q(Exists(links)) & ~Q(Exists(links.exclude(target_type__in=sorted(_IMPERSONAL))))


def _documented_q(user: User) -> Q:
    """Items whose place and linked records all lie within a scoped reader's scope."""
    condition = Q(place__isnull=True) | scope_q(user, origin="place", residence="place")
    for target_type, visible_codes in _DOCUMENTED.items():
        elsewhere = EvidenceLink.objects.filter(item=OuterRef("pk"), target_type=target_type).exclude(
            target_code__in=visible_codes(user)
        )
        condition &= Q(~Exists(elsewhere))
    return condition


TargetGroup = Callable[[str], list[tuple[str, str]]]
_TARGET_GROUPS: dict[str, TargetGroup] = {}


def register_target_group(name: str, targets: TargetGroup) -> None:
    """`targets(code)` lists the (target_type, code) records that make up one record of an app
    above evidence (heritage: a site and its observations), for packages of that record's evidence."""
    _TARGET_GROUPS[name] = targets


def targets_of_group(name: str, code: str) -> list[tuple[str, str]]:
    return _TARGET_GROUPS[name](code)


def visible_evidence_q(user: User | None, *, public: bool = False) -> Q:
    """The one condition every read of the vault applies (pages, downloads, thumbnails, API,
    packages, exports): public pages see public items only; users see what their roles allow,
    within their scope by the item's place and by every record it documents; the system sees
    all. A reader without personal names sees only items about impersonal records (heritage).
    Seals (a withdrawn or restricted testimony's media) apply to everyone."""
    if public:
        condition = Q(sensitivity=Sensitivity.PUBLIC)
    elif user is None:
        condition = Q()
    elif not user.is_authenticated or not user.has_perm("evidence.view_evidenceitem"):
        return _NOTHING
    elif user.has_perm("evidence.view_restricted_evidence"):
        condition = Q()
    else:
        condition = ~Q(sensitivity=Sensitivity.RESTRICTED)
    if user is not None and not public and not user.full_scope:
        condition &= _documented_q(user)
    if user is not None and not public and not user.has_perm("accounts.view_personal_names"):
        condition &= _impersonal_q()
    for seal in _SEALS.values():
        condition &= seal(user, public)
    return condition


def visible_evidence(user: User | None, *, public: bool = False) -> QuerySet[EvidenceItem]:
    """EvidenceItem.objects as `user` may see it: where every read of items starts."""
    return EvidenceItem.objects.filter(visible_evidence_q(user, public=public))


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


def custody_log(item: EvidenceItem, *, limit: int = 200) -> list[CustodyEntry]:
    """The custody chain's entries about one item (ingest, views, downloads, transfers…), newest first."""
    return list(CustodyEntry.objects.filter(item_sha256=item.sha256).order_by("-seq")[:limit])
