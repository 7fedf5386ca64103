"""Capture histories of the linked register: which lists name each person, by stratum.

The source `yurd estimate --register` reads (registered in CasualtiesConfig.ready), and
what the register's pages estimate from. Counts only: no name leaves this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from yurd.casualties.models import CasualtyPerson, ListEntry, SourceList
from yurd.estimation import CaptureTable

# Fields a register can be stratified by, and the label of a person without a value.
STRATA = ("wave", "event", "sex", "district", "year")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class History:
    """One person of the register: the lists naming them and their strata."""

    lists: frozenset[str]
    wave: str
    event: str
    sex: str
    district: str
    year: str

    def stratum(self, fields: Sequence[str]) -> str:
        return " / ".join(getattr(self, field) for field in fields) if fields else "all"


def register_lists() -> list[str]:
    """The lists with at least one linked entry, by short name: the columns of the capture tables."""
    return list(
        SourceList.objects.filter(entries__person__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )


def histories() -> list[History]:
    """Every current person of the register with the lists that name them, in two queries."""
    named: dict[int, set[str]] = defaultdict(set)
    for person_id, code in ListEntry.objects.filter(person__merged_into__isnull=True, person__isnull=False).values_list(
        "person_id", "source_list__code"
    ):
        named[person_id].add(code)
    people = CasualtyPerson.objects.current().filter(pk__in=list(named)) if named else CasualtyPerson.objects.none()
    found = []
    for pk, wave, event, sex, district, year in people.values_list(
        "pk", "wave__name", "event", "sex", "place__parent__name", "event_date"
    ):
        found.append(
            History(
                lists=frozenset(named[pk]),
                wave=wave or UNKNOWN,
                event=event or UNKNOWN,
                sex=sex or UNKNOWN,
                district=district or UNKNOWN,
                year=str(getattr(year, "year", "")) or UNKNOWN,
            )
        )
    return found


def check_fields(fields: Sequence[str]) -> None:
    unknown = [field for field in fields if field not in STRATA]
    if unknown:
        raise ValueError(f"cannot stratify by {', '.join(unknown)}; choose among {', '.join(STRATA)}")


def tables_of(found: list[History], lists: list[str], fields: Sequence[str]) -> dict[str, CaptureTable]:
    counts: dict[str, Counter[tuple[int, ...]]] = defaultdict(Counter)
    for history in found:
        pattern = tuple(int(name in history.lists) for name in lists)
        counts[history.stratum(fields)][pattern] += 1
    return {
        stratum: CaptureTable.from_patterns(lists, sorted(patterns.items()))
        for stratum, patterns in sorted(counts.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))
    }


def capture_tables(fields: Sequence[str]) -> dict[str, CaptureTable]:
    """One capture table per stratum (keyed by its label), or one keyed "all" without fields."""
    check_fields(fields)
    lists = register_lists()
    if len(lists) < 2:
        raise ValueError("the register needs at least two linked lists to estimate anything")
    return tables_of(histories(), lists, fields)
