"""One definition of "which records may this user see", shared by pages, API and exports.

    queryset.filter(scope_q(user, origin="origin_place", residence="current_place"))

`origin` and `residence` name the lookups from the queried model to a places.Place.
"""

from __future__ import annotations

from django.db.models import Q

from yurd.accounts.models import ScopeBasis, User
from yurd.core.actors import Actor
from yurd.places.models import Place

_NOTHING = Q(pk__in=[])


def scope_q(user: User | None, *, origin: str | None = None, residence: str | None = None) -> Q:
    if user is None or user.full_scope:
        return Q()
    condition = _NOTHING
    for scope in user.scopes.select_related("place"):
        field = origin if scope.basis == ScopeBasis.ORIGIN else residence
        if field is not None:
            # A subquery of the places within the scope, rather than a join to the place
            # table on every row: both databases evaluate it once and probe the foreign
            # key index, which keeps scoped lists and dashboards as fast as full ones.
            within = Place.objects.filter(path__startswith=scope.place.path).values("pk")
            condition |= Q(**{f"{field}__in": within})
    return condition


def actor_scope_q(actor: Actor, *, origin: str | None = None, residence: str | None = None) -> Q:
    """The system operator (CLI without --as) sees everything."""
    return scope_q(actor.user, origin=origin, residence=residence)
