"""Writes of return intentions: each answer is a new row, earlier answers stay.

Pages, field submissions and the REST API all record through `return_intention_record`
(objects) or `return_intention_submit` (codes, as a client sends them): the same checks,
the same history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.core.history import change_context
from yurd.places.models import Place
from yurd.registry.models import Household, Person
from yurd.registry.selectors import get_household_for_user, household_queryset
from yurd.returns.models import Intention, ReturnCondition, ReturnIntention, Timeline, check_preferred_place


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
    """Record one survey answer of `household`; the latest answer becomes its current intention.

    Refuses (ValidationError naming `preferred_place`) an answer other than "no" without a
    settlement: the model's rule, checked by `full_clean` whatever path the answer came by."""
    user = actor.user
    if user is not None:
        if not user.has_perm("returns.add_returnintention"):
            raise PermissionDenied(_("You may not record return intentions."))
        if not household_queryset(user=user).filter(pk=household.pk).exists():
            raise PermissionDenied(_("Household %(code)s is outside your scope.") % {"code": household.code})
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
    with transaction.atomic(), change_context(user=actor.user, reason=_("Return intention recorded")):
        Household.objects.unscoped().select_for_update().filter(pk=household.pk).first()  # a write: lock
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


def return_intention_submit(
    *,
    actor: Actor,
    household_code: str,
    survey_date: dt.date,
    intention: str,
    preferred_place_code: str = "",
    conditions: Iterable[str] = (),
    returning_member_codes: Iterable[str] = (),
    timeline: str = Timeline.UNKNOWN,
    notes: str = "",
    source: str = "api",
) -> ReturnIntention:
    """Record an answer given by codes (household HH-..., place code, person codes), as an API
    client sends it. Raises Http404 for a household the actor may not see, and
    ValidationError naming the field for anything else wrong."""
    household = get_household_for_user(user=actor.user, code=household_code)
    errors: dict[str, str] = {}
    if intention not in Intention.values:
        errors["intention"] = _("Choose one of: %(values)s") % {"values": ", ".join(Intention.values)}
    if timeline not in Timeline.values:
        errors["timeline"] = _("Choose one of: %(values)s") % {"values": ", ".join(Timeline.values)}
    place = None
    if preferred_place_code:
        place = Place.objects.filter(code=preferred_place_code).first()
        if place is None:
            errors["preferred_place"] = _("No place has the code %(code)s.") % {"code": preferred_place_code}
    else:
        try:
            check_preferred_place(intention=intention, preferred_place=None)
        except ValidationError as error:
            errors.update({field: " ".join(messages) for field, messages in error.message_dict.items()})
    codes = list(dict.fromkeys(returning_member_codes))
    # Members of the household the caller resolved for the actor (a write).
    members = list(Person.objects.unscoped().filter(household=household, code__in=codes))
    missing = sorted(set(codes) - {person.code for person in members})
    if missing:
        errors["returning_members"] = _("Not members of household %(household)s: %(codes)s") % {
            "household": household.code,
            "codes": ", ".join(missing),
        }
    if errors:
        raise ValidationError(errors)
    return return_intention_record(
        actor=actor,
        household=household,
        survey_date=survey_date,
        intention=intention,
        preferred_place=place,
        conditions=conditions,
        returning_members=members,
        timeline=timeline,
        notes=notes,
        source=source,
    )
