"""Writes of return intentions: each answer is a new row, earlier answers stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.places.models import Place
from yurd.registry.models import Household, Person
from yurd.returns.models import Intention, ReturnCondition, ReturnIntention, Timeline


def return_intention_record(
    *,
    actor: Actor,
    household: Household,
    survey_date: dt.date,
    intention: str,
    preferred_place: Place | None = None,
    conditions: Iterable[str] = (),
    returning_members: Iterable[Person] = (),
    timeline: str = Timeline.UNKNOWN,
    notes: str = "",
    source: str = "",
) -> ReturnIntention:
    """Record one survey answer of `household`; the latest answer becomes its current intention."""
    members = list(returning_members)
    stray = [person.code for person in members if person.household_id != household.pk]
    if stray:
        raise ValidationError(
            _("Not members of household %(household)s: %(codes)s")
            % {"household": household.code, "codes": ", ".join(stray)}
        )
    wanted = list(dict.fromkeys(conditions))
    unknown = [code for code in wanted if code not in ReturnCondition.values]
    if unknown:
        raise ValidationError(_("Unknown conditions: %(codes)s") % {"codes": ", ".join(unknown)})
    if intention == Intention.NO and members:
        raise ValidationError(_("A household that does not intend to return names no returning members."))
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        record = ReturnIntention(
            household=household,
            survey_date=survey_date,
            intention=intention,
            preferred_place=preferred_place,
            conditions=[code for code in ReturnCondition.values if code in wanted],
            timeline=timeline,
            notes=notes,
            source=source or "web",
            recorded_by=actor.user,
        )
        record.full_clean()
        record.save()
        if members:
            record.returning_members.set(members)
    return record
