"""A site's current condition, derived from its published observations. Pure Python.

Never typed in: the latest observation wins, and among observations of the same date
the most certain one; observations of that date that say otherwise are conflicts and
are shown side by side with it. "Not assessable" only counts when nothing else exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

UNKNOWN = "unknown"
NOT_ASSESSABLE = "not_assessable"

CERTAINTY_RANK = {"definite": 5, "high": 4, "medium": 3, "low": 2, "negligible": 1}

# Map colours by state (colour-blind-safe enough when paired with the legend's text).
COLOURS = {
    "no_visible_change": "#1a7f37",
    "possibly_damaged": "#bf8700",
    "slightly_damaged": "#e09b3d",
    "moderately_damaged": "#d4661f",
    "severely_damaged": "#c2410c",
    "destroyed": "#8b0000",
    NOT_ASSESSABLE: "#6e7781",
    UNKNOWN: "#a0a7b0",
}


@dataclass(frozen=True)
class ObservationFacts:
    code: str
    physical_state: str
    certainty: str
    when: str  # sortable partial date text; "" when undated


@dataclass(frozen=True)
class Condition:
    state: str
    sources: tuple[ObservationFacts, ...] = ()
    conflicts: tuple[ObservationFacts, ...] = field(default=())

    @property
    def colour(self) -> str:
        return COLOURS.get(self.state, COLOURS[UNKNOWN])

    @property
    def is_disputed(self) -> bool:
        return bool(self.conflicts)


def _year_month_day(when: str) -> str:
    return when.rstrip("~")


def derive(observations: Iterable[ObservationFacts]) -> Condition:
    facts = list(observations)
    if not facts:
        return Condition(UNKNOWN)
    if len(facts) == 1 and facts[0].physical_state != NOT_ASSESSABLE:
        return Condition(facts[0].physical_state, sources=(facts[0],))
    assessable = [fact for fact in facts if fact.physical_state != NOT_ASSESSABLE]
    if not assessable:
        latest = max(facts, key=lambda fact: _year_month_day(fact.when))
        return Condition(NOT_ASSESSABLE, sources=(latest,))
    latest_when = max(_year_month_day(fact.when) for fact in assessable)
    same_time = [fact for fact in assessable if _year_month_day(fact.when) == latest_when]
    same_time.sort(key=lambda fact: (-CERTAINTY_RANK.get(fact.certainty, 0), fact.code))
    chosen = same_time[0]
    agreeing = tuple(fact for fact in same_time if fact.physical_state == chosen.physical_state)
    conflicts = tuple(fact for fact in same_time if fact.physical_state != chosen.physical_state)
    return Condition(chosen.physical_state, sources=agreeing, conflicts=conflicts)
