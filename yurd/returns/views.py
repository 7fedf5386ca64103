"""Return intentions pages. Thin: parse input, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.places.models import Place
from yurd.registry.selectors import get_household_for_user
from yurd.returns import selectors
from yurd.returns.exports import planning_csv
from yurd.returns.forms import PlanningExportForm, ReturnIntentionForm
from yurd.returns.services import return_intention_record


def _map_data(points: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "points": points,
        "households_label": _("Households that would return"),
        "people_label": _("People who would return"),
    }


@login_required
@permission_required("returns.view_returnintention", raise_exception=True)
def household_intentions(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    household = get_household_for_user(user=request.user, code=code)
    actor = actor_from_request(request)
    can_record = request.user.has_perm("returns.add_returnintention")
    form = ReturnIntentionForm(request.POST if request.method == "POST" else None, household=household)
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                return_intention_record(
                    actor=actor,
                    household=household,
                    survey_date=data["survey_date"],
                    intention=data["intention"],
                    preferred_place=data["preferred_place"],
                    conditions=data["conditions"],
                    returning_members=data["returning_members"],
                    timeline=data["timeline"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Return intention recorded."))
                return redirect("returns:household_intentions", code=household.code)
    intentions = list(selectors.household_intentions(household))
    log_access(actor, AccessAction.VIEW, household, detail={"page": "return intentions"})
    return render(
        request,
        "returns/household_intentions.html",
        {
            "household": household,
            "intentions": intentions,
            "current": intentions[0] if intentions else None,
            "form": form if can_record else None,
        },
    )


@login_required
@permission_required("returns.plan_returns", raise_exception=True)
def planning(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.planning_overview(user=request.user)
    log_access(actor_from_request(request), AccessAction.LIST, "returns.returnintention")
    points = [row.as_map_point(reverse("returns:settlement_plan", args=[row.place.code])) for row in rows]
    located = [point for point in points if point["lat"] is not None]
    return render(
        request,
        "returns/planning.html",
        {"rows": rows, "map_points": located, "map_data": _map_data(located)},
    )


@login_required
@permission_required("returns.plan_returns", raise_exception=True)
def settlement_plan(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Place, code=code)
    return _settlement_page(request, place)


def _settlement_page(
    request: AuthenticatedHttpRequest,
    place: Place,
    *,
    export_form: PlanningExportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = selectors.settlement_figures(user=request.user, place=place)
    log_access(
        actor_from_request(request),
        AccessAction.LIST,
        "returns.returnintention",
        detail={"settlement": place.code, "count": len(plan.intentions)},
    )
    located = []
    if plan.households_returning is not None:
        row = selectors.SettlementRow(
            place=place,
            counts=None if plan.counts is None else {key: value for key, value in plan.counts.items() if value},
            households=plan.households_returning,
            people=plan.people_returning,
        )
        point = row.as_map_point("")
        located = [point] if point["lat"] is not None else []
    return render(
        request,
        "returns/settlement_plan.html",
        {
            "plan": plan,
            "place": place,
            "map_points": located,
            "map_data": _map_data(located),
            "export_form": export_form or PlanningExportForm(),
            "can_export": request.user.has_perm("returns.export_returns") and not plan.withheld,
            "can_open_households": request.user.has_perm("registry.view_household"),
        },
        status=status,
    )


@login_required
@permission_required("returns.export_returns", raise_exception=True)
@require_POST
def settlement_export(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Place, code=code)
    form = PlanningExportForm(request.POST)
    # A refused export answers on the plan page (400 or 403), never by a redirect.
    if not form.is_valid():
        return _settlement_page(request, place, export_form=form, status=400)
    try:
        content = planning_csv(actor=actor_from_request(request), place=place, purpose=form.cleaned_data["purpose"])
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("Not allowed."))
        return _settlement_page(request, place, export_form=form, status=403)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="return-intentions-{place.code}.csv"'
    return response
