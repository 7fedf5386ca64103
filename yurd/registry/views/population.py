"""How many displaced families exist: the figure progress is measured against, and the
estimates from the registration lists it may cite. Administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.registry import selectors, services
from yurd.registry.capture import registration_lists
from yurd.registry.forms import PopulationEstimateForm, PopulationFigureForm
from yurd.registry.models import FigureKind, PopulationEstimate, PopulationFigure

# The estimation package's caveats, worded for the page (its own text is English only).
CAVEATS = {
    "minus_infinity": gettext_lazy(
        "Some pairs of lists name nobody in common; the model treats them as never overlapping."
    ),
    "interval_ignores_selection": gettext_lazy("The interval treats the chosen model as known."),
    "bootstrap_failures": gettext_lazy("Some resamples had no estimate and were left out of the interval."),
    "few_bootstrap_samples": gettext_lazy("Few bootstrap samples: the ends of the interval are rough."),
    "no_interval": gettext_lazy("Too few resamples had an estimate to give an interval."),
    "bca_unavailable": gettext_lazy("The BCa correction could not be computed; the percentile interval is given."),
}
METHODS = {
    "stepwise": gettext_lazy("stepwise selection"),
    "bic": gettext_lazy("lowest BIC"),
    "fixed": gettext_lazy("main effects only"),
}


def _rows(estimates: list[PopulationEstimate]) -> list[dict[str, Any]]:
    return [
        {
            "estimate": item,
            "method": METHODS.get(item.method, item.method),
            "interactions": [" × ".join(pair) for pair in item.interactions],
            "caveats": [str(CAVEATS[code]) for code in item.caveats if code in CAVEATS],
        }
        for item in estimates
    ]


def _require_administrator(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_perm(services.SET_POPULATION_FIGURE):
        raise PermissionDenied(_("Only an administrator may change the number of families."))


def _initial(figure: PopulationFigure | None, cite: PopulationEstimate | None) -> dict[str, Any]:
    if cite is not None:
        return {
            "families": round(cite.estimate),
            "kind": FigureKind.ESTIMATE,
            "source": selectors.estimate_citation(cite),
            "interval_low": round(cite.interval_low) if cite.interval_low is not None else None,
            "interval_high": round(cite.interval_high) if cite.interval_high is not None else None,
            "estimate": cite.pk,
        }
    if figure is None:
        return {}
    return {
        "families": figure.families,
        "kind": figure.kind,
        "source": figure.source,
        "interval_low": figure.interval_low,
        "interval_high": figure.interval_high,
        "estimate": figure.estimate_id,
    }


def _page(
    request: AuthenticatedHttpRequest,
    *,
    form: PopulationFigureForm | None = None,
    estimate_form: PopulationEstimateForm | None = None,
    lists: list[tuple[str, int]] | None = None,
) -> HttpResponse:
    figure = selectors.population_figure()
    cite = selectors.population_estimate(request.GET.get("cite", ""))
    if form is None:
        form = PopulationFigureForm(initial=_initial(figure, cite))
    if estimate_form is None:
        estimate_form = PopulationEstimateForm(lists=registration_lists() if lists is None else lists)
    return render(
        request,
        "registry/population.html",
        {
            "figure": figure,
            "form": form,
            "estimate_form": estimate_form,
            "estimates": _rows(selectors.population_estimates()),
            "citing": cite,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def population(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_administrator(request)
    if request.method != "POST":
        return _page(request)
    form = PopulationFigureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.population_figure_set(
                actor=actor_from_request(request),
                families=data["families"],
                kind=data["kind"],
                source=data["source"],
                interval_low=data["interval_low"],
                interval_high=data["interval_high"],
                estimate=data["estimate"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The number of families is saved."))
            return redirect("registry:population")
    return _page(request, form=form)


@login_required
@require_POST
def population_estimate(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm(services.ESTIMATE_POPULATION):
        raise PermissionDenied(_("Only an administrator may estimate the number of families."))
    _require_administrator(request)
    lists = registration_lists()
    form = PopulationEstimateForm(request.POST, lists=lists)
    if form.is_valid():
        data = form.cleaned_data
        try:
            computed = services.population_estimate_compute(
                actor=actor_from_request(request),
                lists=data["lists"],
                method=data["method"],
                bootstrap=data["bootstrap"],
                seed=data["seed"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Estimate %(code)s is kept.") % {"code": computed.public_code})
            return redirect(f"{reverse('registry:population')}#estimate-{computed.pk}")
    return _page(request, estimate_form=form, lists=lists)
