"""Reads of the linkage app, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from yurd.accounts.scopes import scope_q
from yurd.core.actors import Actor
from yurd.linkage.models import MatchCandidate, MatchStatus, Merge
from yurd.names.places import Gazetteer
from yurd.places.models import Place, PlaceName
from yurd.registry.models import Person
from yurd.registry.selectors import person_relatives

VIEW = "linkage.view_matchcandidate"


def _person_scope(user: Any, prefix: str) -> Q:
    return scope_q(user, origin=f"{prefix}household__origin_place", residence=f"{prefix}household__current_place")


def candidate_queryset(*, user: Any) -> QuerySet[MatchCandidate]:
    """Pairs whose two records both lie in the user's scope."""
    if user is None or not user.has_perm(VIEW):
        raise PermissionDenied(_("You may not see the duplicate queue."))
    return MatchCandidate.objects.filter(_person_scope(user, "left__"), _person_scope(user, "right__")).distinct()


def candidate_queue(*, user: Any, status: str = MatchStatus.PENDING) -> QuerySet[MatchCandidate]:
    statuses = [MatchStatus.PENDING, MatchStatus.UNSURE] if status == "open" else [status]
    return (
        candidate_queryset(user=user)
        .filter(status__in=statuses)
        .select_related("left__household__origin_place", "right__household__origin_place")
        .order_by("-probability", "pk")
    )


def candidate_in_scope(candidate: MatchCandidate, *, user: Any) -> bool:
    return candidate_queryset(user=user).filter(pk=candidate.pk).exists()


def get_candidate_for_user(*, user: Any, candidate_id: int) -> MatchCandidate:
    try:
        return candidate_queryset(user=user).select_related("left__household", "right__household").get(pk=candidate_id)
    except MatchCandidate.DoesNotExist:
        raise Http404(_("No such pair in your scope.")) from None


def get_merge_for_user(*, user: Any, merge_id: int) -> Merge:
    if user is None or not user.has_perm(VIEW):
        raise PermissionDenied(_("You may not see merges."))
    try:
        return Merge.objects.select_related("survivor__household").get(
            Q(pk=merge_id), _person_scope(user, "survivor__")
        )
    except Merge.DoesNotExist:
        raise Http404(_("No such merge in your scope.")) from None


def person_context(person: Person, *, user: Any) -> dict[str, Any]:
    """What the side-by-side page shows of one record: household and kin, kin outside the
    reader's scope without anything that identifies them (the person page's rule)."""
    members = list(person.household.members.exclude(pk=person.pk).order_by("birth_date", "pk"))
    return {
        "person": person,
        "household": person.household,
        "members": members,
        "relatives": person_relatives(person, user=user),
    }


def scoped_people(*, actor: Actor) -> QuerySet[Person]:
    return Person.objects.visible_to(actor.user).select_related("household__origin_place")


def person_record(person: Person) -> dict[str, str]:
    """A registry person in the columns the matching engine reads."""
    origin = person.household.origin_place
    return {
        "record_id": person.code,
        "source": person.source,
        "given_name": person.given_name,
        "surname": person.surname,
        "patronymic": person.patronymic,
        "sex": person.sex if person.sex in ("m", "f") else "",
        "birth_date": str(person.birth_date) if person.birth_date else "",
        "birth_place": person.birth_place_text,
        "origin_place": f"#{origin.pk}" if origin is not None else "",
        "household_id": person.household.code,
    }


def registry_gazetteer() -> Gazetteer:
    """The registry's gazetteer: every name of every place, in all scripts and periods."""
    names: dict[str, list[str]] = {}
    for place_id, name in Place.objects.values_list("pk", "name"):
        names.setdefault(str(place_id), []).append(name)
    for place_id, text in PlaceName.objects.values_list("place_id", "text"):
        names.setdefault(str(place_id), []).append(text)
    return Gazetteer(names)
