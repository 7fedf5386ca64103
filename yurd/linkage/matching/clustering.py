"""Clustering that never chains two clearly different people through a third record.

Edges are added strongest first (like single-linkage), but two clusters are only joined when no
record of one clearly contradicts a record of the other: a different sex, birth years far apart,
a different patronymic, an unrelated given name, or membership of the same household in one source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz.distance import JaroWinkler

from yurd.linkage.matching.records import NormalisedRecord

MAX_YEAR_GAP = 3


def cannot_link(first: NormalisedRecord, second: NormalisedRecord) -> str:
    """Why these two records cannot be one person, in words; "" when nothing forbids it."""
    if first.sex and second.sex and first.sex != second.sex:
        return "different sex"
    if first.birth.year and second.birth.year and abs(first.birth.year - second.birth.year) > MAX_YEAR_GAP:
        return "birth years far apart"
    if first.household and first.household == second.household:
        return "listed as two members of one household"
    if (
        first.patronymic_key
        and second.patronymic_key
        and JaroWinkler.similarity(first.patronymic_key, second.patronymic_key) < 0.8
    ):
        return "different fathers"
    if first.given_key and second.given_key and first.given_key != second.given_key:
        swapped = first.given_key == second.surname_key or second.given_key == first.surname_key
        if not swapped and JaroWinkler.similarity(first.given_key, second.given_key) < 0.7:
            return "different given names"
    return ""


def constrained_clusters(
    record_ids: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    records: Mapping[str, NormalisedRecord],
    threshold: float,
) -> dict[str, str]:
    """Record id -> cluster id (the smallest record id in the cluster)."""
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
        if any(cannot_link(records[a], records[b]) for a in members[root_left] for b in members[root_right]):
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
