"""The derived condition, without a database."""

from __future__ import annotations

import itertools

import pytest

from yurd.heritage.condition import Condition, ObservationFacts, derive
from yurd.heritage.geometry import GeometryError, validate


def fact(code: str, state: str, certainty: str, when: str) -> ObservationFacts:
    return ObservationFacts(code, state, certainty, when)


def test_no_observation_means_unknown() -> None:
    assert derive([]) == Condition("unknown")


def test_the_latest_observation_wins() -> None:
    condition = derive([fact("A", "no_visible_change", "high", "2015"), fact("B", "destroyed", "medium", "2021-08")])
    assert condition.state == "destroyed"
    assert [source.code for source in condition.sources] == ["B"]


def test_same_date_disagreement_keeps_the_most_certain_and_shows_the_other_as_conflict() -> None:
    condition = derive([fact("A", "destroyed", "low", "2021-08"), fact("B", "slightly_damaged", "definite", "2021-08")])
    assert condition.state == "slightly_damaged"
    assert [conflict.code for conflict in condition.conflicts] == ["A"]
    assert condition.is_disputed


def test_not_assessable_counts_only_when_nothing_else_exists() -> None:
    assert derive([fact("A", "not_assessable", "high", "2022")]).state == "not_assessable"
    assert derive([fact("A", "not_assessable", "high", "2022"), fact("B", "destroyed", "high", "2020")]).state == (
        "destroyed"
    )


def test_polygon_is_closed_and_wound_counter_clockwise() -> None:
    clockwise = {"type": "Polygon", "coordinates": [[[45, 40], [45, 41], [46, 41], [46, 40], [45, 40]]]}
    ring = validate(clockwise)["coordinates"][0]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))
    assert area > 0


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [40.5, 145.0]},
        {"type": "Polygon", "coordinates": [[[45, 40], [45, 41], [46, 41], [46, 40]]]},
        {"type": "LineString", "coordinates": [[45, 40], [46, 41]]},
        "45,40",
    ],
)
def test_invalid_geometries_are_refused(geometry: object) -> None:
    with pytest.raises(GeometryError):
        validate(geometry)


def test_an_unreviewed_lesser_state_does_not_undo_a_reviewed_destruction() -> None:
    reviewed = ObservationFacts("A", "destroyed", "high", "2021-08", reviewed=True)
    unreviewed = ObservationFacts("B", "no_visible_change", "definite", "2023-05")
    condition = derive([reviewed, unreviewed])
    assert condition.state == "destroyed"
    assert condition.conflicts == (unreviewed,)
    # Reviewed, the later observation counts like any other.
    assert derive(
        [reviewed, ObservationFacts("B", "no_visible_change", "definite", "2023-05", reviewed=True)]
    ).state == ("no_visible_change")
