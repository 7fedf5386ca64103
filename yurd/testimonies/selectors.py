"""Reads of testimonies: one definition of what a user may see, for pages, search, exports and API.

Hidden: testimonies whose consent was withdrawn (for everyone), restricted ones (for
roles without view_restricted_testimony), and those outside the user's scope (by place
of recording or by the narrator's household).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.names import search_key
from yurd.testimonies.models import (
    AccessLevel,
    MediaUnsealing,
    Segment,
    Term,
    TermStatus,
    Testimony,
    Transcript,
)

SEARCH_LIMIT = 100


def _readable_testimonies(*, user: User | None, public: bool = False) -> QuerySet[Testimony]:
    """Testimonies the reader's role and scope allow, withdrawn or not (None: the system)."""
    queryset = Testimony.objects.all()
    if public:
        return queryset.filter(access_level=AccessLevel.OPEN)
    if user is None:
        return queryset
    if not user.has_perm("testimonies.view_testimony"):
        return queryset.none()
    if not user.has_perm("testimonies.view_restricted_testimony"):
        queryset = queryset.filter(access_level=AccessLevel.OPEN)
    if not user.full_scope:
        queryset = queryset.filter(
            scope_q(user, origin="place", residence="place")
            | scope_q(user, origin="narrator__household__origin_place", residence="narrator__household__current_place")
        )
    return queryset


def visible_testimonies(*, user: User | None) -> QuerySet[Testimony]:
    if user is not None and not user.has_perm("testimonies.view_testimony"):
        raise PermissionDenied
    queryset = _readable_testimonies(user=user).filter(withdrawn_at__isnull=True)
    return queryset.select_related("narrator", "place", "media")


def _media_of(testimonies: QuerySet[Testimony]) -> Q:
    """Evidence items that are the recording or other media of any of `testimonies`."""
    # media__isnull: a NULL in the subquery would make NOT IN match nothing at all.
    recordings = testimonies.filter(media__isnull=False).order_by().values("media")
    others = Testimony.other_media.through.objects.filter(testimony__in=testimonies.order_by().values("pk"))
    return Q(pk__in=recordings) | Q(pk__in=others.values("evidenceitem"))


def testimony_media_q(user: User | None, public: bool) -> Q:
    """The seal testimonies put on their media, as a condition on EvidenceItem (registered
    with the vault, which applies it to every read): an item is shown only if every
    testimony it belongs to may be read by this reader, and none was withdrawn, unless an
    administrator unsealed the item (testimony_media_unseal). Applies to the system too:
    packages and exports leave a withdrawn recording out.
    """
    withdrawn = Testimony.objects.filter(withdrawn_at__isnull=False)
    sealed = _media_of(withdrawn) & ~Q(pk__in=MediaUnsealing.objects.values("item"))
    if public or user is not None:
        unreadable = Testimony.objects.exclude(pk__in=_readable_testimonies(user=user, public=public).values("pk"))
        sealed |= _media_of(unreadable)
    return ~sealed


def get_testimony_for_user(*, user: User | None, code: str) -> Testimony:
    testimony = (
        visible_testimonies(user=user)
        .prefetch_related(
            "transcripts",
            Prefetch(
                "segments",
                queryset=Segment.objects.prefetch_related("keywords", "people", "places", "heritage_sites"),
            ),
        )
        .filter(code=code)
        .first()
    )
    if testimony is None:
        raise Http404
    return testimony


@dataclass
class SearchHit:
    testimony: Testimony
    segment: Segment | None
    transcript: Transcript | None
    excerpt: str


def _excerpt(text: str, query: str, width: int = 120) -> str:
    position = text.casefold().find(query.casefold())
    if position < 0:
        return text[: width * 2] + ("…" if len(text) > width * 2 else "")
    start = max(0, position - width)
    return ("…" if start else "") + text[start : position + len(query) + width] + "…"


def testimony_search(*, user: User | None, query: str) -> list[SearchHit]:
    """Segments (title, summary, their transcript) and whole transcripts matching `query`.

    Matches either the folded keys (Məmmədov, Мамедов and Mammadov alike) or the
    case-folded text as typed, so a word in any script or a phrase in English both work.
    """
    query = query.strip()
    if not query:
        return []
    folded = search_key(query)
    condition = Q(search_casefold__contains=query.casefold())
    if folded:
        condition |= Q(search_folded__contains=folded)
    visible = visible_testimonies(user=user).values("pk")
    hits: list[SearchHit] = []
    segments = (
        Segment.objects.filter(condition, testimony__in=visible)
        .select_related("testimony", "testimony__place")
        .order_by("testimony__code", "start_seconds")[:SEARCH_LIMIT]
    )
    for segment in segments:
        text = segment.summary or segment.transcript_text or segment.title
        hits.append(SearchHit(segment.testimony, segment, None, _excerpt(text, query)))
    transcripts = (
        Transcript.objects.filter(condition, testimony__in=visible)
        .select_related("testimony", "testimony__place")
        .order_by("testimony__code", "kind", "language")[:SEARCH_LIMIT]
    )
    hits.extend(
        SearchHit(transcript.testimony, None, transcript, _excerpt(transcript.text, query))
        for transcript in transcripts
    )
    return hits


def approved_terms() -> QuerySet[Term]:
    return Term.objects.filter(status=TermStatus.APPROVED)


def proposed_terms() -> QuerySet[Term]:
    return Term.objects.filter(status=TermStatus.PROPOSED).select_related("proposed_by")
