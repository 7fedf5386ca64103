"""A site's current condition, derived from its published observations. Pure Python.

Never typed in: the latest observation wins, and among observations of the same date
the most certain one; observations of that date that say otherwise are conflicts and
are shown side by side with it. "Not assessable" only counts when nothing else exists.

A grave state (severely damaged, destroyed) is published only after a second person's
review, and an observation that was never reviewed cannot undo it: an unreviewed
"no visible change" after a reviewed "destroyed" is shown as a conflict, not as the
site's condition (issue 15, finding 10). The service sends such an observation to
review, where its approval lets it count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

UNKNOWN = "unknown"
NOT_ASSESSABLE = "not_assessable"

CERTAINTY_RANK = {"definite": 5, "high": 4, "medium": 3, "low": 2, "negligible": 1}

# How grave a physical state is; "not assessable" says nothing about damage and has no rank.
SEVERITY = {
    "no_visible_change": 1,
    "possibly_damaged": 2,
    "slightly_damaged": 3,
    "moderately_damaged": 4,
    "severely_damaged": 5,
    "destroyed": 6,
}
GRAVE_STATES = frozenset({"severely_damaged", "destroyed"})


def lowers(state: str, grave_state: str) -> bool:
    """Whether an observation of `state` would make a site in `grave_state` look less damaged."""
    return grave_state in GRAVE_STATES and state in SEVERITY and SEVERITY[state] < SEVERITY[grave_state]


# Map colours by state: the Okabe–Ito palette, told apart with any colour vision, and a
# shape for each state (static/js/yurd-map.js draws them), so that colour is never alone.
COLOURS = {
    "no_visible_change": "#009E73",  # bluish green
    "possibly_damaged": "#56B4E9",  # sky blue
    "slightly_damaged": "#F0E442",  # yellow
    "moderately_damaged": "#E69F00",  # orange
    "severely_damaged": "#D55E00",  # vermilion
    "destroyed": "#000000",  # black
    NOT_ASSESSABLE: "#CC79A7",  # reddish purple
    UNKNOWN: "#FFFFFF",  # white: nothing published
}
SHAPES = {
    "no_visible_change": "circle",
    "possibly_damaged": "diamond",
    "slightly_damaged": "triangle",
    "moderately_damaged": "square",
    "severely_damaged": "triangle-down",
    "destroyed": "cross",
    NOT_ASSESSABLE: "pentagon",
    UNKNOWN: "hexagon",
}


@dataclass(frozen=True)
class ObservationFacts:
    code: str
    physical_state: str
    certainty: str
    when: str  # sortable partial date text; "" when undated
    reviewed: bool = False  # approved by a second person (or validated in the field)


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
    graves = [fact.physical_state for fact in facts if fact.reviewed and fact.physical_state in GRAVE_STATES]
    if graves:
        gravest = max(graves, key=SEVERITY.__getitem__)
        set_aside = tuple(fact for fact in facts if not fact.reviewed and lowers(fact.physical_state, gravest))
        if set_aside:
            kept = derive([fact for fact in facts if fact not in set_aside])
            return Condition(kept.state, sources=kept.sources, conflicts=kept.conflicts + set_aside)
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
