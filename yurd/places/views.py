from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.actors import actor_from_request
from yurd.core.forms import add_service_errors
from yurd.core.http import AuthenticatedHttpRequest
from yurd.places.forms import PlaceEditForm, PlaceForm, PlaceImportForm, PlaceNameEditForm, PlaceNameForm
from yurd.places.importing import GEONAMES_FORMAT, ImportFileError
from yurd.places.models import Place, PlaceImport, PlaceImportStatus, PlaceKind, PlaceName
from yurd.places.panels import place_panels
from yurd.places.selectors import (
    place_ancestors,
    place_editable_by,
    place_get,
    place_list,
    place_renamings,
    place_search,
)
from yurd.places.services import (
    place_create,
    place_import_commit,
    place_import_stage,
    place_move,
    place_name_add,
    place_name_update,
    place_update,
)


def _place_or_404(code: str) -> Place:
    try:
        return place_get(code)
    except Place.DoesNotExist:
        raise Http404(_("No such place.")) from None


def _check_editable(request: AuthenticatedHttpRequest, place: Place | None) -> None:
    if not place_editable_by(request.user, place):
        raise PermissionDenied(_("This place is outside your scope."))


@login_required
@permission_required("places.view_place", raise_exception=True)
def place_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlaceKind.values else ""
    context: dict[str, Any] = {"query": query, "kind": kind, "kinds": PlaceKind.choices}
    if query:
        context["matches"] = place_search(query, kind=kind or None, limit=50)
    else:
        context["page"] = Paginator(place_list(kind=kind or None), 50).get_page(request.GET.get("page"))
    template = "places/_results.html" if request.htmx else "places/place_list.html"
    return render(request, template, context)


@login_required
@permission_required("places.view_place", raise_exception=True)
def place_detail_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    place = _place_or_404(code)
    children = list(place.children.order_by("name_sort", "code"))
    markers = [
        {"name": child.name, "lat": float(child.latitude), "lon": float(child.longitude), "url": child.code}
        for child in children
        if child.latitude is not None and child.longitude is not None
    ]
    context = {
        "place": place,
        "ancestors": place_ancestors(place),
        "names": list(place.names.all()),
        "renamings": place_renamings(place),
        "children": children,
        "panels": place_panels(request, place),
        "can_edit": place_editable_by(request.user, place) and request.user.has_perm("places.change_place"),
        "can_add_name": place_editable_by(request.user, place) and request.user.has_perm("places.add_placename"),
        "map_data": {
            "lat": float(place.latitude) if place.latitude is not None else None,
            "lon": float(place.longitude) if place.longitude is not None else None,
            "name": place.name,
            "children": markers,
        },
        "history": place.history.select_related("history_user")[:20],
    }
    return render(request, "places/place_detail.html", context)


@login_required
@permission_required("places.add_place", raise_exception=True)
def place_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None, initial={"parent": request.GET.get("parent", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _check_editable(request, data["parent"])
        try:
            place = place_create(
                actor=actor_from_request(request),
                code=data["code"],
                kind=data["kind"],
                name=data["name"],
                parent=data["parent"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                coordinate_precision=data["coordinate_precision"],
                source=data["source"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Place created."))
            return redirect("places:place_detail", code=place.code)
    return render(request, "places/place_form.html", {"form": form, "title": _("New place")})


@login_required
@permission_required("places.change_place", raise_exception=True)
def place_edit_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    place = _place_or_404(code)
    _check_editable(request, place)
    initial = {
        "parent": place.parent.code if place.parent else "",
        "name": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "coordinate_precision": place.coordinate_precision,
        "source": place.source,
    }
    form = PlaceEditForm(request.POST or None, initial=initial, place=place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = actor_from_request(request)
        if data["parent"] != place.parent:
            _check_editable(request, data["parent"])
        try:
            with transaction.atomic():
                place_update(
                    actor=actor,
                    place=place,
                    reason=data["reason"],
                    name=data["name"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    coordinate_precision=data["coordinate_precision"],
                    source=data["source"],
                )
                if data["parent"] != place.parent:
                    place_move(actor=actor, place=place, parent=data["parent"], reason=data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Place saved."))
            return redirect("places:place_detail", code=place.code)
    context = {"form": form, "place": place, "title": _("Edit %(place)s") % {"place": place.name}}
    return render(request, "places/place_form.html", context)


@login_required
@permission_required("places.add_placename", raise_exception=True)
def place_name_add_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    place = _place_or_404(code)
    _check_editable(request, place)
    form = PlaceNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place_name_add(actor=actor_from_request(request), place=place, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Name added."))
            return redirect("places:place_detail", code=place.code)
    context = {"form": form, "place": place, "title": _("Add a name to %(place)s") % {"place": place.name}}
    return render(request, "places/place_form.html", context)


@login_required
@permission_required("places.change_placename", raise_exception=True)
def place_name_edit_view(request: AuthenticatedHttpRequest, code: str, name_id: int) -> HttpResponse:
    place = _place_or_404(code)
    _check_editable(request, place)
    name = get_object_or_404(PlaceName, pk=name_id, place=place)
    initial = {field: getattr(name, field) for field in ("text", "language", "kind", "year_from", "year_to", "source")}
    form = PlaceNameEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            place_name_update(actor=actor_from_request(request), name=name, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Name saved."))
            return redirect("places:place_detail", code=place.code)
    context = {"form": form, "place": place, "title": _("Edit the name %(name)s") % {"name": name.text}}
    return render(request, "places/place_form.html", context)


@login_required
@permission_required("places.import_places", raise_exception=True)
def place_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlaceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        alternate = data["alternate_names"].read() if data["alternate_names"] else None
        if alternate is not None and data["file_format"] != GEONAMES_FORMAT:
            form.add_error("alternate_names", _("Alternate names go with the GeoNames format only."))
        else:
            try:
                staged = place_import_stage(
                    actor=actor_from_request(request),
                    data=data["file"].read(),
                    file_name=data["file"].name,
                    file_format=data["file_format"],
                    alternate_names=alternate,
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("places:place_import_detail", pk=staged.pk)
    recent = PlaceImport.objects.select_related("created_by").defer("content", "alternate_names")[:10]
    return render(request, "places/place_import.html", {"form": form, "recent": recent})


@login_required
@permission_required("places.import_places", raise_exception=True)
def place_import_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staged = get_object_or_404(PlaceImport.objects.defer("content", "alternate_names"), pk=pk)
    return render(request, "places/place_import_detail.html", {"staged": staged, "report": staged.report})


@require_POST
@login_required
@permission_required("places.import_places", raise_exception=True)
def place_import_commit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staged = get_object_or_404(PlaceImport, pk=pk)
    if request.POST.get("action") == "discard" and staged.status == PlaceImportStatus.STAGED:
        staged.status = PlaceImportStatus.DISCARDED
        staged.save(update_fields=["status", "updated_at"])
        messages.info(request, _("Import discarded; nothing was written."))
        return redirect("places:place_import")
    try:
        summary = place_import_commit(actor=actor_from_request(request), place_import=staged)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Committed: %(created)s places created, %(updated)s updated, %(unchanged)s unchanged.")
            % summary.as_dict(),
        )
    return redirect("places:place_import_detail", pk=staged.pk)
