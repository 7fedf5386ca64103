"""The registry's panel on the place page: households originating in the place."""

from __future__ import annotations

from django.urls import reverse

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.places.models import Place
from yurd.places.panels import PlacePanel
from yurd.registry.selectors import place_households


def households_panel(request: AuthenticatedHttpRequest, place: Place) -> PlacePanel:
    households = place_households(place=place, user=request.user)
    if households.households:
        log_access(
            actor_from_request(request),
            AccessAction.LIST,
            "registry.household",
            detail={"origin_place": place.code, "shown": len(households.households)},
        )
    links = [
        (household, reverse("registry:household_detail", args=[household.code]))
        for household in households.households or []
    ]
    return PlacePanel(
        template="registry/_place_households.html",
        context={"households": households, "household_links": links},
    )
