"""Clustering that never chains two clearly different people through a third record.

Edges are added strongest first (like single-linkage), but two clusters are only joined when no
record of one clearly contradicts a record of the other: a different sex, a different patronymic,
the same patronymic with another given name or birth years far apart (siblings, twins), or two
members of one household in one source. Without a patronymic, an unrelated given name, birth
years far apart or two records of one source (a source lists a person about once) block only
joins through a third record: the pair itself is left to the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from yurd.linkage.matching.records import NormalisedRecord

MAX_YEAR_GAP = 3
# Birth years this far apart are two generations (a grandson named after his grandfather, a
# mother and her daughter), not a misread year: no edge, however strong, joins them.
GENERATION_GAP = 12
# Jaro-Winkler below this between two folded given names: not one name in two spellings.
UNRELATED_NAMES = 0.7
# An edge this strong carries its own evidence (names, date and place agree): soft conflicts with
# the rest of the cluster no longer stop it. Chains through a namesake run over weak edges (a
# record without a date or patronymic), which stay checked.
STRONG_EDGE = 0.95


def _dates_far_apart(first: NormalisedRecord, second: NormalisedRecord, gap: int = MAX_YEAR_GAP) -> bool:
    if not first.birth.year or not second.birth.year or abs(first.birth.year - second.birth.year) <= gap:
        return False
    # One mistyped digit (1956 written 1965, 1981 written 1918) is a typo, not another person.
    if first.birth_digits and second.birth_digits:
        return DamerauLevenshtein.distance(first.birth_digits, second.birth_digits) > 1
    return DamerauLevenshtein.distance(str(first.birth.year), str(second.birth.year)) > 1


def full_dates_agree(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """Both records carry a day and month, and they agree (exactly, swapped, or one digit off)."""
    if not first.birth_digits or not second.birth_digits:
        return False
    if first.birth.year == second.birth.year and first.birth.month_day_swapped == second.birth.month_day:
        return True
    if (
        first.birth.year
        and second.birth.year
        and abs(first.birth.year - second.birth.year) == 1
        and first.birth.month_day in (second.birth.month_day, second.birth.month_day_swapped)
    ):
        # The year off by one (an age turned into a year), the day and month as written or
        # swapped: a form filled in the American order (06/09/1988 for 6 September 1987).
        return True
    return DamerauLevenshtein.distance(first.birth_digits, second.birth_digits) <= 1


def _full_dates_conflict(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """Both records carry a full date and the dates are two different days (not a typo or a swap)."""
    return bool(first.birth_digits and second.birth_digits) and not full_dates_agree(first, second)


def same_household_duplicate(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """Two rows of one household in one source are one person listed twice only when more than the
    names and a year say so: the same given name and the same full birth date, or the same given
    name, the same father's name and the same birth year."""
    if not first.given_key or first.given_key != second.given_key or different_fathers(first, second):
        return False
    if full_dates_agree(first, second):
        return True
    return bool(
        first.patronymic_key
        and first.patronymic_key == second.patronymic_key
        and first.birth.year
        and first.birth.year == second.birth.year
        and not _full_dates_conflict(first, second)
    )


def different_fathers(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    return bool(
        first.patronymic_key
        and second.patronymic_key
        and len(first.patronymic_key) > 1
        and len(second.patronymic_key) > 1
        and JaroWinkler.similarity(first.patronymic_key, second.patronymic_key) < 0.8
    )


# A document number this long is one person's (shorter ones are a file's own numbering).
MIN_DOCUMENT_LENGTH = 5


def same_document(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """Both records carry the same personal document number (folded: script and punctuation aside;
    one character mistyped).
    It outweighs a mistyped date or a misread given name, not a different sex, father or household."""
    one, other = first.document_key, second.document_key
    if len(one) < MIN_DOCUMENT_LENGTH or len(other) < MIN_DOCUMENT_LENGTH:
        return False
    # One character mistyped (a digit, or two swapped) is the same number copied by hand.
    return one == other or DamerauLevenshtein.distance(one, other) <= 1


def cannot_link(first: NormalisedRecord, second: NormalisedRecord) -> str:  # noqa: PLR0911 - one reason per rule
    """Why these two records cannot be one person, in words; "" when nothing forbids it."""
    if first.sex and second.sex and first.sex != second.sex:
        return "different sex"
    if first.household and first.household == second.household and not same_household_duplicate(first, second):
        return "listed as two members of one household"
    if different_fathers(first, second):
        return "different fathers"
    if same_document(first, second):
        return ""
    if _dates_far_apart(first, second, GENERATION_GAP):
        return "born a generation apart"
    if _full_dates_conflict(first, second):
        return "different full birth dates"
    if unrelated_given_names(first, second):
        return "different given names"
    if first.patronymic_key and first.patronymic_key == second.patronymic_key:
        # Same father and another name, or the same name years apart: brothers and sisters.
        if different_given_names(first, second):
            return "siblings: same father, different given names"
        if _dates_far_apart(first, second):
            return "siblings: same father, birth years far apart"
    return ""


def soft_conflict(first: NormalisedRecord, second: NormalisedRecord) -> str:
    """Softer conflicts: the model may still pair the two directly (a misread name, a mistyped
    year), but a third record must not join an Əli to a Vəli, nor a grandfather to his namesake."""
    if same_document(first, second):
        return ""
    if _dates_far_apart(first, second):
        return "birth years far apart"
    if different_given_names(first, second):
        return "different given names"
    if first.source and first.source == second.source:
        # A source lists each person about once (1-9 % twice, then mostly in one household, which
        # the pair's own edge shows): two records of one source joined only through third records
        # are two namesakes that an undated record, matching both, chained together.
        return "listed by one source twice"
    return ""


def different_given_names(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """Two given names that are not one name misspelt: Həsən and Hüseyn (twins), Əli and Vəli.
    An initial ("С.") agrees with any name of its letter."""
    one, other = first.given_key, second.given_key
    if not one or not other or one == other:
        return False
    if one == second.surname_key or other == first.surname_key:
        return False
    if len(one) == 1 or len(other) == 1:
        return one[0] != other[0]
    if DamerauLevenshtein.distance(one, other) <= 1 or _damaged_spelling(one, other):
        return False
    return JaroWinkler.similarity(one, other) < 0.9


def unrelated_given_names(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    """Given names that share too little to be one name misread (Firuzə and Bənövşə): two people,
    whatever else agrees. Initials and names swapped into the surname column are not judged."""
    one, other = first.given_key, second.given_key
    if len(one) < 2 or len(other) < 2 or one == other:  # an initial
        return False
    if one in (second.surname_key, second.patronymic_key) or other in (first.surname_key, first.patronymic_key):
        return False
    return JaroWinkler.similarity(one, other) < UNRELATED_NAMES and not _damaged_spelling(one, other)


# A name reduced to fewer letters than this says too little to be read as a damaged spelling.
MIN_KEPT_LETTERS = 3


def _damaged_spelling(one: str, other: str) -> bool:
    """Letters lost on the way (a typewriter or font without ә, һ, ү, ј, ғ: "Һәән" for Һәсән)
    leave the rest of the name in order, and so little of it that the two names look unrelated:
    a damaged spelling, left to the model. Names merely alike (Əli, Əliyar; Həsən, Hüseyn) are
    not: a brother's name often shares its letters."""
    if JaroWinkler.similarity(one, other) >= UNRELATED_NAMES:
        return False
    shorter, longer = sorted((one, other), key=len)
    if len(shorter) < MIN_KEPT_LETTERS:
        return False
    remaining = iter(longer)
    return all(letter in remaining for letter in shorter)


def constrained_clusters(
    record_ids: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    records: Mapping[str, NormalisedRecord],
    threshold: float,
) -> dict[str, str]:
    """Record id -> cluster id (the smallest record id in the cluster).

    A soft conflict between two records blocks a join through a third one unless the model itself
    links the two (their own edge clears the threshold): a pair left to the review queue does not
    vouch for a chain. (From even odds, 0.5, it let queued pairs chain namesakes: independent
    10,000 households, false pairs 1,086 -> 1,072, missed 4,362 -> 4,370.)"""
    # Only edges from the threshold up lift a soft conflict or join: a large run's other million
    # edges are not sorted or kept.
    joining = [edge for edge in edges if edge[2] >= threshold]
    direct = {(left, right) for left, right, _ in joining}

    def soft_blocks(a: str, b: str) -> bool:
        if (a, b) in direct or (b, a) in direct:
            return False
        return bool(soft_conflict(records[a], records[b]))

    parent = {record_id: record_id for record_id in record_ids}
    members: dict[str, list[str]] = {record_id: [record_id] for record_id in record_ids}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right, probability in sorted(joining, key=lambda edge: -edge[2]):
        root_left, root_right = find(left), find(right)
        if root_left == root_right:
            continue
        check_soft = probability < STRONG_EDGE
        if any(
            cannot_link(records[a], records[b]) or (check_soft and {a, b} != {left, right} and soft_blocks(a, b))
            for a in members[root_left]
            for b in members[root_right]
        ):
            continue
        if len(members[root_left]) < len(members[root_right]):
            root_left, root_right = root_right, root_left
        parent[root_right] = root_left
        members[root_left].extend(members.pop(root_right))
    clusters: dict[str, str] = {}
    for root, group in members.items():
        if find(root) != root:
            continue
        cluster_id = min(group)
        for record_id in group:
            clusters[record_id] = cluster_id
    return clusters
