"""Capture histories of the registry's own registration lists: which lists named each family.

A registration list is a source the registry's records came from (the `source` of an
import batch, a field survey, a community list). A household is on a list when the
household or any of its members came from it, directly or through a record linked into
one of its members: record linkage keeps the linked row's provenance as a name of kind
"source spelling" ("<list> #<row>", written at import) or "merged record" ("<code>
<list> <row>", written by a merge). Households with no member left (every member merged
into another family's record) stand for no family of their own and are left out.

Counts only: no name or code leaves this module. The capture tables feed multiple
systems estimation (yurd.estimation) of how many families no list names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from yurd.estimation import CaptureTable
from yurd.registry.models import Household, Person, PersonName

# Kinds of PersonName that record a linked row's list (yurd.linkage: import and merge).
SOURCE_SPELLING = "source spelling"
MERGED_RECORD = "merged record"
STRATA = ("wave", "district")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class FamilyHistory:
    lists: frozenset[str]
    wave: str
    district: str

    def stratum(self, fields: Sequence[str]) -> str:
        return " / ".join(getattr(self, field) for field in fields) if fields else "all"


def _merged_list(text: str, known: list[str]) -> str | None:
    """The list of a "merged record" provenance ("P-000123 <list> <row>"): the longest known list
    that follows the code, so a list whose name has spaces is still recognised."""
    _code, _space, rest = text.partition(" ")
    for name in known:  # longest first
        if rest == name or rest.startswith(name + " "):
            return name
    return None


def family_histories() -> list[FamilyHistory]:
    """Every household with at least one member, with the lists that named it, in three queries.

    Counts for the whole registry, whoever asks (an estimate is about everyone): import
    bookkeeping, never shown record by record."""
    named: dict[int, set[str]] = defaultdict(set)
    members: set[int] = set()
    # Counts of every family, whoever asks: an estimate is about everyone, and no record is shown.
    for household_id, source in Person.objects.unscoped().values_list("household_id", "source").order_by():
        members.add(household_id)
        if source:
            named[household_id].add(source)
    provenance = list(
        PersonName.objects.filter(kind__in=(SOURCE_SPELLING, MERGED_RECORD))
        .values_list("person__household_id", "kind", "source")
        .order_by()
    )
    for household_id, kind, source in provenance:
        if kind == SOURCE_SPELLING and " #" in source:
            named[household_id].add(source.rpartition(" #")[0])
    rows = list(
        # The same: counts of every family, never shown record by record.
        Household.objects.unscoped()
        .filter(pk__in=members)
        .values_list("pk", "source", "wave__name", "origin_place__parent__name")
        .order_by()
    )
    for pk, source, _wave, _district in rows:
        if source:
            named[pk].add(source)
    known = sorted({name for names in named.values() for name in names}, key=len, reverse=True)
    for household_id, kind, source in provenance:
        if kind == MERGED_RECORD and (name := _merged_list(source, known)) is not None:
            named[household_id].add(name)
    return [
        FamilyHistory(lists=frozenset(named[pk]), wave=wave or UNKNOWN, district=district or UNKNOWN)
        for pk, _source, wave, district in rows
    ]


def registration_lists(found: list[FamilyHistory] | None = None) -> list[tuple[str, int]]:
    """Each registration list with the number of families it names, largest first."""
    counts: Counter[str] = Counter()
    for history in family_histories() if found is None else found:
        counts.update(history.lists)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def complete_lists(lists: Sequence[str], found: list[FamilyHistory] | None = None) -> list[str]:
    """The chosen lists that name every family any of the chosen lists names.

    Such a list (the register itself, or an import of everyone) leaves no family that it
    missed, so the overlaps say nothing about who all the lists missed: capture-recapture
    needs lists that are each incomplete (the estimate would lie at infinity)."""
    if len(lists) < 2:
        return []
    on_any = [
        history.lists for history in (family_histories() if found is None else found) if history.lists & set(lists)
    ]
    if not on_any:
        return []
    return [name for name in lists if all(name in named for named in on_any)]


def column_labels(lists: Sequence[str]) -> list[str]:
    """The capture table's column for each list: L1, L2, ... (list names may hold any character)."""
    return [f"L{index}" for index in range(1, len(lists) + 1)]


def check_fields(fields: Sequence[str]) -> None:
    unknown = [field for field in fields if field not in STRATA]
    if unknown:
        raise ValueError(f"cannot stratify by {', '.join(unknown)}; choose among {', '.join(STRATA)}")


def family_tables(
    lists: Sequence[str], fields: Sequence[str] = (), found: list[FamilyHistory] | None = None
) -> dict[str, CaptureTable]:
    """One capture table per stratum over `lists` (columns L1..Lk in their order); families on
    none of the lists are not counted (they are what is estimated)."""
    check_fields(fields)
    counts: dict[str, Counter[tuple[int, ...]]] = defaultdict(Counter)
    for history in family_histories() if found is None else found:
        pattern = tuple(int(name in history.lists) for name in lists)
        if any(pattern):
            counts[history.stratum(fields)][pattern] += 1
    labels = column_labels(lists)
    return {
        stratum: CaptureTable.from_patterns(labels, sorted(patterns.items()))
        for stratum, patterns in sorted(counts.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))
    }
