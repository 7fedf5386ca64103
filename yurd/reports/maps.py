"""Layers of the overview dashboard's map beyond the settlements of origin: heritage sites
coloured by condition, and return intentions per preferred settlement.

Served as JSON apart from the dashboard (reports:map_layers), so the page itself stays
as fast as its figures and the map fills in when the layers arrive. Each layer is built
only for roles that may see it, through the selectors the heritage and returns pages use.
Heritage sites are not people and are shown as they are; return intentions count
households, so users who may not open household records (analysts) get suppressed
totals per settlement, no breakdown and no link to the records behind them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from yurd.accounts.models import User
from yurd.core.http import AuthenticatedHttpRequest
from yurd.disclosure.suppression import suppress_one_dimensional
from yurd.heritage import condition as conditions
from yurd.heritage.models import PhysicalState
from yurd.heritage.selectors import map_rows
from yurd.returns.models import Intention
from yurd.returns.selectors import planning_overview

CODE_PLACEHOLDER = "CODE"


def _url_template(name: str) -> str:
    """A record URL with CODE where the code goes; the page substitutes each feature's code."""
    return reverse(name, args=[CODE_PLACEHOLDER])


def heritage_layer(*, user: User) -> dict[str, Any] | None:
    if not user.has_perm("heritage.view_site"):
        return None
    labels: dict[str, Any] = dict(PhysicalState.choices)
    labels[conditions.UNKNOWN] = _("no published observation")
    return {
        "title": _("Heritage sites by condition"),
        "columns": ["code", "name", "longitude", "latitude", "condition"],
        "sites": map_rows(user=user),
        "legend": [
            {
                "state": state,
                "label": str(labels.get(state, state)),
                "colour": colour,
                "shape": conditions.SHAPES[state],
            }
            for state, colour in conditions.COLOURS.items()
        ],
        "url": _url_template("heritage:site_detail"),
    }


def intentions_layer(*, user: User) -> dict[str, Any] | None:
    if not user.has_perm("returns.plan_returns"):
        return None
    exact = user.has_perm("registry.view_household") and user.has_perm("returns.view_returnintention")
    rows = [row for row in planning_overview(user=user) if row.place.latitude is not None]
    if not exact:
        table = suppress_one_dimensional(
            {row.place.code: row.households for row in rows}, rows=[row.place.code for row in rows]
        )
        rows = [row for row in rows if not table.cell(row.place.code, "value").suppressed]
    labels = dict(Intention.choices)
    settlements = []
    for row in rows:
        feature: dict[str, Any] = {
            "code": row.place.code,
            "name": row.place.name,
            "latitude": float(row.place.latitude),  # type: ignore[arg-type]
            "longitude": float(row.place.longitude),  # type: ignore[arg-type]
            "households": row.households,
        }
        if exact:
            feature["people"] = row.people
            counts = row.counts or {}
            feature["counts"] = [[str(labels[value]), counts[value]] for value in labels if counts.get(value)]
        settlements.append(feature)
    return {
        "title": _("Return intentions by preferred settlement"),
        "households_label": _("households that would return"),
        "people_label": _("people who would return"),
        "settlements": settlements,
        "suppressed": not exact,
        "url": _url_template("returns:settlement_plan") if exact else None,
    }


def map_layers(*, user: User) -> dict[str, Any]:
    """Every extra layer this user may see, with the texts the layer control and legend show."""
    layers: dict[str, Any] = {}
    if (heritage := heritage_layer(user=user)) is not None:
        layers["heritage"] = heritage
    if (intentions := intentions_layer(user=user)) is not None:
        layers["intentions"] = intentions
    return {
        "origins_title": _("Settlements of origin, sized by households"),
        "legend_title": _("Legend"),
        "open_label": _("Open the records"),
        "layers": layers,
    }


# The JSON view sits here rather than in views.py so the layers stay one module: the
# dashboard page only names its URL.
@login_required
@permission_required("reports.view_dashboard", raise_exception=True)
def map_layers_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    # Counts and heritage sites only, as on the dashboard itself: nothing to enter in the access log.
    response = JsonResponse(
        map_layers(user=request.user),
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Cache-Control"] = "private, max-age=60"
    return response
