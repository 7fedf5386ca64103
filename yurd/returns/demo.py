"""Demo return intentions: a share of the demo households answered a survey, some twice."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from yurd.core.actors import system_actor
from yurd.registry.models import Household
from yurd.returns.models import Intention, ReturnCondition, ReturnIntention, Timeline
from yurd.returns.services import return_intention_record

ORDER = 75
SHARE = 0.3  # of the households, capped so `make demo` stays quick
MAX_HOUSEHOLDS = 600
ANSWERS = [Intention.YES, Intention.CONDITIONAL, Intention.CONDITIONAL, Intention.UNDECIDED, Intention.NO]


def load(*, households: int, stdout: TextIO) -> None:
    del households
    if ReturnIntention.objects.filter(source="demo survey (synthetic)").exists():
        stdout.write(f"Returns: demo intentions already present ({ReturnIntention.objects.count()}).\n")
        return
    candidates = list(
        Household.objects.unscoped()  # demo data, made by the system
        .exclude(origin_place=None)
        .order_by("code")
        .prefetch_related("members")[: MAX_HOUSEHOLDS * 4]
    )
    rng = random.Random(75)  # noqa: S311 - synthetic demo data
    chosen = [household for household in candidates if rng.random() < SHARE][:MAX_HOUSEHOLDS]
    actor = system_actor()
    recorded = 0
    for household in chosen:
        living = [person for person in household.members.all() if not person.is_deceased]
        if rng.random() < 0.2:
            # An earlier survey: kept, but the later answer counts.
            return_intention_record(
                actor=actor,
                household=household,
                survey_date=dt.date(2023, 10, 1),
                intention=Intention.UNDECIDED,
                preferred_place=household.origin_place,
                source="demo survey (synthetic)",
            )
            recorded += 1
        intention = rng.choice(ANSWERS)
        returning = [] if intention == Intention.NO else rng.sample(living, k=rng.randint(0, len(living)))
        conditions = (
            rng.sample(ReturnCondition.values, k=rng.randint(1, 3))
            if intention in (Intention.CONDITIONAL, Intention.UNDECIDED)
            else []
        )
        return_intention_record(
            actor=actor,
            household=household,
            survey_date=dt.date(2025, 3, 1) + dt.timedelta(days=rng.randint(0, 120)),
            intention=intention,
            preferred_place=None if intention == Intention.NO else household.origin_place,
            conditions=conditions,
            returning_members=returning,
            timeline=Timeline.UNKNOWN if intention == Intention.NO else rng.choice(Timeline.values),
            source="demo survey (synthetic)",
        )
        recorded += 1
    stdout.write(f"Returns: {recorded} synthetic survey answers from {len(chosen)} households.\n")
