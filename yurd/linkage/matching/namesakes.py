"""Namesakes: how many people share the evidence that pairs two records.

A pair that agrees on given name, surname, village and birth year is strong evidence in a small
list and weak evidence in a large one: a registry of 50,000 households holds several Məmməd
Məmmədovs of one village born the same year. The model's term frequencies are global (how common
Məmməd is everywhere), so they do not see that names concentrate by village and family.

The data tell how many such people there are. One source lists each person about once, so the
number of different households of one source whose records carry the same shared evidence is a
count of namesakes (the largest count over the sources). When k people share everything two
records agree on, a record can be any one of them: the probability that it is this one is at
most 1/k. Evidence that separates namesakes lifts the cap: the same father's name, the same full
birth date, or other members of the two households matching each other.

The cap grows with the registry by itself (more households, more namesakes counted), which is
why precision holds from 2,000 to 50,000 households with one threshold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from yurd.linkage.matching.clustering import cannot_link, full_dates_agree, same_document
from yurd.linkage.matching.records import NormalisedRecord

Key = tuple[str, ...]
# Beyond this many namesakes the cap (1/k) is far below any threshold: a common given name shared
# by thousands of records of a source is not counted to the end.
ENOUGH_NAMESAKES = 10


def shared_key(first: NormalisedRecord, second: NormalisedRecord) -> Key | None:
    """What two records agree on among given name, surname stem, village and birth year, or None
    when they do not even share a given name (or carry evidence that separates namesakes)."""
    if not first.given_key or len(first.given_key) < 2 or first.given_key != second.given_key:
        return None
    if separating_evidence(first, second):
        return None
    surname = first.surname_stem if first.surname_stem and first.surname_stem == second.surname_stem else ""
    place = first.place_key if first.place_key and first.place_key == second.place_key else ""
    year = str(first.birth.year) if first.birth.year and first.birth.year == second.birth.year else ""
    return (first.given_key, surname, place, year)


def separating_evidence(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """The father's name, the full birth date or a document number: what tells namesakes apart."""
    if same_document(first, second):
        return True
    if first.patronymic_key and len(first.patronymic_key) > 1 and first.patronymic_key == second.patronymic_key:
        return True
    return full_dates_agree(first, second)


def _record_keys(record: NormalisedRecord) -> list[Key]:
    """Every shared key this record can take part in (each part present or blank)."""
    if not record.given_key:
        return []
    surnames = {"", record.surname_stem}
    places = {"", record.place_key}
    years = {"", str(record.birth.year) if record.birth.year else ""}
    return [(record.given_key, s, p, y) for s in surnames for p in places for y in years]


def namesake_counts(records: Iterable[NormalisedRecord], wanted: set[Key]) -> dict[Key, int]:
    """For each wanted key, the most people of one source that carry it: records of one source
    count as different people only when their records say so (another father, another full
    date, a generation apart, two members of one household), so one person listed twice in a
    source is one."""
    holders: dict[Key, dict[str, list[NormalisedRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        for key in _record_keys(record):
            if key in wanted:
                holders[key][record.source].append(record)
    return {key: max(_people(listed) for listed in by_source.values()) for key, by_source in holders.items()}


def _people(listed: list[NormalisedRecord]) -> int:
    """How many records of one source are pairwise different people (greedily)."""
    people: list[NormalisedRecord] = []
    for record in listed:
        if all(cannot_link(record, other) for other in people):
            people.append(record)
            if len(people) >= ENOUGH_NAMESAKES:
                break  # the cap is below the review threshold already; counting on costs time
    return len(people)


def cap_by_namesakes(
    edges: list[tuple[str, str, float]],
    records: Mapping[str, NormalisedRecord],
    *,
    floor: float,
    supported: set[tuple[str, str]],
) -> tuple[list[tuple[str, str, float]], dict[tuple[str, str], int]]:
    """Edges with each probability capped at 1/k when k namesakes share the pair's evidence, and
    the k of each capped pair (for the explanation). Edges below `floor` are left alone."""
    keys: dict[tuple[str, str], Key] = {}
    for left, right, probability in edges:
        if probability < floor or (left, right) in supported:
            continue
        key = shared_key(records[left], records[right])
        if key is not None:
            keys[(left, right)] = key
    counts = namesake_counts(records.values(), set(keys.values()))
    capped: list[tuple[str, str, float]] = []
    namesakes: dict[tuple[str, str], int] = {}
    for left, right, probability in edges:
        key = keys.get((left, right))
        count = counts.get(key, 1) if key is not None else 1
        if count >= 2 and probability > 1 / count:
            namesakes[(left, right)] = count
        capped.append((left, right, min(probability, 1 / count)))
    return capped, namesakes
