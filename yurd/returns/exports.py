"""CSV for planners: the latest intentions in one settlement, pseudonymised, logged with purpose."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction
from yurd.places.models import Place
from yurd.registry.exports import neutralise, pseudonym
from yurd.returns.models import ReturnIntention
from yurd.returns.selectors import settlement_figures, settlement_plan

COLUMNS = [
    "household",
    "origin_place",
    "preferred_place",
    "survey_date",
    "intention",
    "conditions",
    "members_returning",
    "timeline",
]


def planning_csv(*, actor: Actor, place: Place, purpose: str) -> str:
    """One row per household: a per-purpose pseudonym instead of its code, no names."""
    user = actor.user
    if not purpose.strip():
        raise PermissionDenied(_("An export must state its purpose."))
    if user is not None and not user.has_perm("returns.export_returns"):
        raise PermissionDenied(_("You may not export return intentions."))
    # A settlement whose figures the reader may not see is not exported to her either: the
    # number of rows would be the withheld count.
    if settlement_figures(user=user, place=place).withheld:
        raise PermissionDenied(_("Fewer than five households stand behind this settlement's figures: not exported."))
    plan = settlement_plan(user=user, place=place)
    log_access(
        actor,
        AccessAction.EXPORT,
        ReturnIntention,
        purpose=purpose,
        detail={"settlement": place.code, "rows": len(plan.intentions)},
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for intention in plan.intentions:
        household = intention.household
        cells = [
            pseudonym(household.code, purpose),
            household.origin_place.name if household.origin_place else "",
            intention.preferred_place.name if intention.preferred_place else "",
            intention.survey_date.isoformat(),
            intention.intention,
            " ".join(intention.conditions),
            str(len(intention.returning_members.all())),
            intention.timeline,
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return buffer.getvalue()
