"""Clustering that never chains two clearly different people through a third record.

Edges are added strongest first (like single-linkage), but two clusters are only joined when no
record of one clearly contradicts a record of the other: a different sex, a different patronymic,
the same patronymic with another given name or birth years far apart (siblings, twins), or two
members of one household in one source. Without a patronymic, an unrelated given name or birth
years far apart block only joins through a third record: the pair itself is left to the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from yurd.linkage.matching.records import NormalisedRecord

MAX_YEAR_GAP = 3
SOFT_CONFLICT_OVERRIDE = 0.5
# An edge this strong carries its own evidence (names, date and place agree): soft conflicts with
# the rest of the cluster no longer stop it. Chains through a namesake run over weak edges (a
# record without a date or patronymic), which stay checked.
STRONG_EDGE = 0.95


def _dates_far_apart(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    if not first.birth.year or not second.birth.year or abs(first.birth.year - second.birth.year) <= MAX_YEAR_GAP:
        return False
    # One mistyped digit (1956 written 1965, 1981 written 1918) is a typo, not another person.
    return not (first.birth_digits and DamerauLevenshtein.distance(first.birth_digits, second.birth_digits) <= 1)


def cannot_link(first: NormalisedRecord, second: NormalisedRecord) -> str:
    """Why these two records cannot be one person, in words; "" when nothing forbids it."""
    if first.sex and second.sex and first.sex != second.sex:
        return "different sex"
    if first.household and first.household == second.household:
        return "listed as two members of one household"
    if (
        first.patronymic_key
        and second.patronymic_key
        and JaroWinkler.similarity(first.patronymic_key, second.patronymic_key) < 0.8
    ):
        return "different fathers"
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
    if _dates_far_apart(first, second):
        return "birth years far apart"
    if different_given_names(first, second):
        return "different given names"
    return ""


def different_given_names(first: NormalisedRecord, second: NormalisedRecord) -> bool:
    if not first.given_key or not second.given_key or first.given_key == second.given_key:
        return False
    if first.given_key == second.surname_key or second.given_key == first.surname_key:
        return False
    return JaroWinkler.similarity(first.given_key, second.given_key) < 0.7


def constrained_clusters(
    record_ids: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    records: Mapping[str, NormalisedRecord],
    threshold: float,
) -> dict[str, str]:
    """Record id -> cluster id (the smallest record id in the cluster).

    A soft conflict between two records blocks a join through a third one unless the model itself
    rates the two at least even odds of being one person."""
    direct = {(left, right): probability for left, right, probability in edges}

    def soft_blocks(a: str, b: str) -> bool:
        if max(direct.get((a, b), 0.0), direct.get((b, a), 0.0)) >= SOFT_CONFLICT_OVERRIDE:
            return False
        return bool(soft_conflict(records[a], records[b]))

    parent = {record_id: record_id for record_id in record_ids}
    members: dict[str, list[str]] = {record_id: [record_id] for record_id in record_ids}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right, probability in sorted(edges, key=lambda edge: -edge[2]):
        if probability < threshold:
            break
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
