"""Reads of the register: who may see names, and the counts everyone with the figures may see.

Names of people and entries as lists wrote them are personal data of the most
sensitive kind: only roles holding casualties.view_casualtyperson see them, within
their scope (the place of the event). Counts, estimates, list coverage and overlaps
reveal no one and need casualties.view_register_figures only (the analyst's view).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from yurd.casualties.models import CasualtyMatch, CasualtyPerson, ListEntry, ListImport, MatchStatus, SourceList
from yurd.core.permissions import require
from yurd.registry.models import Person

NAMES = "casualties.view_casualtyperson"
FIGURES = "casualties.view_register_figures"


def may_see_names(user: Any) -> bool:
    return user is None or user.has_perm(NAMES)


def people(*, user: Any) -> QuerySet[CasualtyPerson]:
    require(user, NAMES)
    return CasualtyPerson.objects.visible_to(user)


def person_list(*, user: Any, query: str = "", source_list: str = "") -> QuerySet[CasualtyPerson]:
    found = people(user=user).select_related("wave", "place")
    if query:
        words = query.split()
        for word in words:
            found = found.filter(
                Q(surname__icontains=word)
                | Q(given_name__icontains=word)
                | Q(entries__surname__icontains=word)
                | Q(entries__given_name__icontains=word)
                | Q(entries__full_name__icontains=word)
                | Q(code__iexact=word)
            )
        found = found.distinct()
    if source_list:
        found = found.filter(entries__source_list__code=source_list).distinct()
    return found.annotate(list_count=Count("entries__source_list", distinct=True)).order_by("name_sort", "code")


def get_person(*, user: Any, code: str) -> CasualtyPerson:
    """The person, or 404 outside the reader's scope (a 404 confirms nothing about other districts)."""
    person = (
        people(user=user)
        .select_related("wave", "place")
        .prefetch_related(
            Prefetch("entries", ListEntry.objects.select_related("source_list", "place").order_by("source_list__code"))
        )
        .filter(code=code)
        .first()
    )
    if person is None:
        merged = (
            CasualtyPerson.objects.filter(code=code, merged_into__isnull=False)
            .values_list("merged_into__code", flat=True)
            .first()
        )
        if merged and people(user=user).filter(code=merged).exists():
            raise MergedError(merged)
        raise Http404
    return person


class MergedError(Exception):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def list_entries(*, user: Any, source_list: SourceList) -> QuerySet[ListEntry]:
    """The list's entries the reader may see by name: those of people within the scope."""
    require(user, NAMES)
    visible = CasualtyPerson.objects.visible_to(user).values("pk")
    return source_list.entries.filter(person__in=visible).select_related("person", "place").order_by("record_id")


def lists_with_counts() -> QuerySet[SourceList]:
    return SourceList.objects.select_related("area").annotate(
        entry_count=Count("entries", distinct=True),
        people_count=Count("entries__person", distinct=True, filter=Q(entries__person__merged_into__isnull=True)),
    )


def overlap_matrix() -> dict[str, Any]:
    """People named by each pair of lists (the diagonal: by the list itself), and how many
    of a list's people no other list names. Counts only."""
    codes = list(SourceList.objects.order_by("code").values_list("code", flat=True))
    named: dict[int, set[str]] = defaultdict(set)
    for person_id, code in ListEntry.objects.filter(person__isnull=False, person__merged_into__isnull=True).values_list(
        "person_id", "source_list__code"
    ):
        named[person_id].add(code)
    pairs: Counter[tuple[str, str]] = Counter()
    only: Counter[str] = Counter()
    for lists in named.values():
        for code in lists:
            pairs[(code, code)] += 1
        for first, second in combinations(sorted(lists), 2):
            pairs[(first, second)] += 1
            pairs[(second, first)] += 1
        if len(lists) == 1:
            only[next(iter(lists))] += 1
    rows = [{"code": code, "cells": [pairs[(code, other)] for other in codes], "only": only[code]} for code in codes]
    return {"codes": codes, "rows": rows, "people": len(named)}


def list_overlaps(source_list: SourceList) -> list[dict[str, Any]]:
    matrix = overlap_matrix()
    codes = matrix["codes"]
    row = next((row for row in matrix["rows"] if row["code"] == source_list.code), None)
    if row is None:
        return []
    own = row["cells"][codes.index(source_list.code)]
    return [
        {"code": other, "shared": shared, "share": shared / own if own else 0}
        for other, shared in zip(codes, row["cells"], strict=True)
        if other != source_list.code
    ]


def get_list(code: str) -> SourceList:
    found = SourceList.objects.select_related("area").filter(code=code).first()
    if found is None:
        raise Http404
    return found


def import_for_user(*, user: Any, pk: int) -> ListImport:
    """A staged import: its rows hold names as written, so only its author (or a reader without
    a scope limit who may import) sees it."""
    require(user, "casualties.add_listimport")
    batch = ListImport.objects.select_related("source_list").filter(pk=pk).first()
    if batch is None or (batch.created_by_id != user.pk and not user.full_scope):
        raise Http404
    return batch


def match_queue(*, user: Any) -> QuerySet[CasualtyMatch]:
    require(user, "casualties.adjudicate_casualtymatch")
    return CasualtyMatch.objects.filter(_visible_pair(user), status=MatchStatus.PENDING).select_related(
        "left", "right", "registry_person"
    )


def _visible_pair(user: Any) -> Q:
    """Both sides within the reader's scope: the register's people, and the registry's."""
    visible = CasualtyPerson.objects.visible_to(user).values("pk")
    registry = Person.objects.visible_to(user).values("pk")
    return Q(left__in=visible) & (Q(right__in=visible) | Q(right__isnull=True, registry_person__in=registry))


def get_match(*, user: Any, pk: int) -> CasualtyMatch:
    require(user, "casualties.adjudicate_casualtymatch")
    match = (
        CasualtyMatch.objects.filter(_visible_pair(user), pk=pk)
        .select_related("left", "right", "registry_person__household")
        .prefetch_related("left__entries__source_list", "right__entries__source_list")
        .first()
    )
    if match is None:
        raise Http404
    return match
