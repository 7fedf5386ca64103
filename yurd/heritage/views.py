from __future__ import annotations

import base64
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.forms import add_service_errors
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.evidence.models import DerivativeRole, EvidenceLink
from yurd.heritage import condition as conditions
from yurd.heritage import exports, selectors, services
from yurd.heritage.forms import ExportForm, ObservationForm, ReviewForm, SiteFilterForm, SiteForm
from yurd.heritage.models import Observation, PhysicalState, Site

DEFAULT_EXPORT_PURPOSE = "heritage site export"


def _legend() -> list[dict[str, str]]:
    labels: dict[str, Any] = dict(PhysicalState.choices)
    labels["unknown"] = _("no published observation")
    return [
        {"state": state, "label": str(labels[state]), "colour": colour, "shape": conditions.SHAPES[state]}
        for state, colour in conditions.COLOURS.items()
    ]


def _site_url(request: HttpRequest, site: Site, *, public: bool = False) -> str:
    name = "heritage:public_site" if public else "heritage:site_detail"
    return request.build_absolute_uri(reverse(name, args=[site.code]))


@login_required
@permission_required("heritage.view_site", raise_exception=True)
def site_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SiteFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.site_list(user=request.user, filters=filters)
    return render(request, "heritage/site_list.html", {"form": form, "rows": rows[:500], "total": len(rows)})


@login_required
@permission_required("heritage.view_site", raise_exception=True)
def site_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "heritage/site_map.html",
        {"data_url": reverse("heritage:site_map_data"), "legend": _legend(), "title": _("Map of heritage sites")},
    )


@login_required
@permission_required("heritage.view_site", raise_exception=True)
def site_map_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    return _map_data(selectors.map_rows(user=request.user), reverse("heritage:site_detail", args=["CODE"]))


def _map_data(rows: list[list[Any]], url_template: str) -> JsonResponse:
    return JsonResponse(
        {
            "columns": ["code", "name", "longitude", "latitude", "condition"],
            "sites": rows,
            "colours": conditions.COLOURS,
            "shapes": conditions.SHAPES,
            "url": url_template,
        },
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


@login_required
@permission_required("heritage.add_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SiteForm(request.POST or None, can_publish=request.user.has_perm("heritage.publish_site"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            site = services.site_create(
                actor=actor_from_request(request),
                name=data["name"],
                site_type=data["site_type"],
                settlement=data["settlement"],
                geometry=data["geometry"],
                period=data["period"],
                description=data["description"],
                is_published=data.get("is_published", False),
                names=data["names"],
                related_sites=data["related_sites"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Site %(code)s created.") % {"code": site.code})
            return redirect("heritage:site_detail", code=site.code)
    return render(request, "heritage/site_form.html", {"form": form, "title": _("New heritage site")})


@login_required
@permission_required("heritage.change_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    site = selectors.site_get(user=request.user, code=code)
    initial = {
        "name": site.name,
        "site_type": site.site_type,
        "settlement": site.settlement,
        "geometry": json.dumps(site.geometry),
        "period": site.period,
        "description": site.description,
        "related_sites": site.related_sites.all(),
        "is_published": site.is_published,
        "names": "\n".join(f"{name.text} | {name.language} | {name.period}" for name in site.names.all()),
    }
    form = SiteForm(request.POST or None, initial=initial, can_publish=request.user.has_perm("heritage.publish_site"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.site_update(
                actor=actor_from_request(request),
                site=site,
                name=data["name"],
                site_type=data["site_type"],
                settlement=data["settlement"],
                geometry=data["geometry"],
                period=data["period"],
                description=data["description"],
                related_sites=data["related_sites"],
                is_published=data.get("is_published"),  # only for those who may publish
            )
            services.site_replace_names(actor=actor_from_request(request), site=site, names=data["names"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Site %(code)s saved.") % {"code": site.code})
            return redirect("heritage:site_detail", code=site.code)
    return render(request, "heritage/site_form.html", {"form": form, "title": _("Edit %(name)s") % {"name": site}})


def _before_after_context(dossier: selectors.Dossier, *, public: bool) -> dict[str, Any] | None:
    pair = dossier.before_after
    if pair is None:
        return None
    before, after = pair
    return {"before": before, "after": after}


@login_required
@permission_required("heritage.view_site", raise_exception=True)
def site_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = selectors.site_dossier(user=request.user, code=code)
    return render(
        request,
        "heritage/site_detail.html",
        {
            "dossier": dossier,
            "site": dossier.site,
            "before_after": _before_after_context(dossier, public=False),
            "export_form": ExportForm(),
        },
    )


@login_required
@permission_required("heritage.add_observation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def observation_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    site = selectors.site_get(user=request.user, code=code)
    form = ObservationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo")
        try:
            observation = services.observation_record(
                actor=actor_from_request(request),
                site=site,
                photo=photo.chunks() if photo else None,
                photo_name=photo.name if photo else "",
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if observation.status == "pending_review":
                messages.info(
                    request,
                    _("Observation %(code)s recorded. It will be published once a reviewer approves it.")
                    % {"code": observation.code},
                )
            else:
                messages.success(request, _("Observation %(code)s published.") % {"code": observation.code})
            return redirect("heritage:site_detail", code=site.code)
    return render(request, "heritage/observation_form.html", {"form": form, "site": site})


@login_required
@permission_required("heritage.review_observation", raise_exception=True)
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    observations = selectors.review_queue(user=request.user)
    return render(request, "heritage/review_queue.html", {"observations": observations, "form": ReviewForm()})


@login_required
@permission_required("heritage.review_observation", raise_exception=True)
@require_POST
def observation_review(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    observation = get_object_or_404(Observation.objects.select_related("site"), code=code)
    form = ReviewForm(request.POST)
    if form.is_valid():
        actor = actor_from_request(request)
        try:
            if form.cleaned_data["decision"] == "approve":
                services.observation_approve(actor=actor, observation=observation, note=form.cleaned_data["note"])
                messages.success(request, _("Observation %(code)s approved and published.") % {"code": code})
            else:
                services.observation_reject(actor=actor, observation=observation, note=form.cleaned_data["note"])
                messages.success(request, _("Observation %(code)s rejected.") % {"code": code})
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _("Choose approve or reject."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("heritage:site_detail", args=[observation.site.code])
    return redirect(next_url)


def _thumbnail_data_uri(link: EvidenceLink) -> str:
    derivative = next((d for d in link.item.derivatives.all() if d.role == DerivativeRole.THUMBNAIL), None)
    if derivative is None:
        return ""
    with default_storage.open(derivative.storage_name, "rb") as handle:
        return "data:image/jpeg;base64," + base64.b64encode(handle.read()).decode("ascii")


@login_required
@permission_required("heritage.view_site", raise_exception=True)
def site_dossier_pdf(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads Pango; only PDFs need it

    dossier = selectors.site_dossier(user=request.user, code=code)
    images = {link.item.sha256: _thumbnail_data_uri(link) for view in dossier.published for link in view.images}
    html = render_to_string(
        "heritage/dossier_print.html",
        {"dossier": dossier, "site": dossier.site, "images": images, "site_url": _site_url(request, dossier.site)},
        request=request,
    )
    log_access(actor_from_request(request), AccessAction.EXPORT, dossier.site, purpose=_("printable dossier"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.site.code}-dossier.pdf"'
    return response


def _export_rows(request: AuthenticatedHttpRequest) -> list[selectors.SiteRow]:
    form = SiteFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.site_list(user=request.user, filters=filters)
    purpose = (request.GET.get("purpose") or "").strip() or DEFAULT_EXPORT_PURPOSE
    log_access(actor_from_request(request), AccessAction.EXPORT, Site, purpose=purpose, detail={"sites": len(rows)})
    return rows


@login_required
@permission_required("heritage.export_sites", raise_exception=True)
def export_geojson(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = exports.geojson(_export_rows(request), lambda site: _site_url(request, site))
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="heritage-sites.geojson"'
    return response


@login_required
@permission_required("heritage.export_sites", raise_exception=True)
def export_kml(request: AuthenticatedHttpRequest) -> HttpResponse:
    text = exports.kml(_export_rows(request), lambda site: _site_url(request, site), title=_("Heritage sites"))
    response = HttpResponse(text, content_type="application/vnd.google-earth.kml+xml")
    response["Content-Disposition"] = 'attachment; filename="heritage-sites.kml"'
    return response


@login_required
@permission_required("heritage.export_sites", raise_exception=True)
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    text = exports.csv_text(_export_rows(request), lambda site: _site_url(request, site))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="heritage-sites.csv"'
    return response


@login_required
@permission_required("heritage.view_site", raise_exception=True)
def site_jsonld(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = selectors.site_dossier(user=request.user, code=code)
    data = exports.linked_art(
        dossier,
        site_url=_site_url(request, dossier.site),
        evidence_url=lambda item: request.build_absolute_uri(reverse("evidence:item_detail", args=[item.public_code])),
    )
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/ld+json")


def public_catalogue(request: HttpRequest) -> HttpResponse:
    rows = selectors.site_list(user=None, public=True)
    return render(
        request,
        "heritage/public_catalogue.html",
        {"rows": rows, "data_url": reverse("heritage:public_map_data"), "legend": _legend()},
    )


def public_map_data(request: HttpRequest) -> JsonResponse:
    return _map_data(selectors.map_rows(user=None, public=True), reverse("heritage:public_site", args=["CODE"]))


def public_site(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.site_dossier(user=None, code=code, public=True)
    return render(
        request,
        "heritage/public_site.html",
        {"dossier": dossier, "site": dossier.site, "before_after": _before_after_context(dossier, public=True)},
    )
