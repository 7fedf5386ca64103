"""The registry export (CSV or XLSX, identified or not)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.registry.exports import export_csv, export_xlsx, registry_export
from yurd.registry.forms import (
    ExportForm,
    FilterForm,
)

# --- Export -------------------------------------------------------------------------------------------


@login_required
@permission_required("registry.export_registry", raise_exception=True)
def export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = ExportForm(request.POST or None)
    filters_form = FilterForm(request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = registry_export(
                actor=actor_from_request(request),
                purpose=form.cleaned_data["purpose"],
                identified=form.cleaned_data["identified"],
                filters=filters_form.filters(),
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except PermissionDenied as error:
            form.add_error("identified", str(error))
        else:
            stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%d-%H%M")
            if form.cleaned_data["file_format"] == "xlsx":
                return FileResponse(
                    io.BytesIO(export_xlsx(result)),
                    as_attachment=True,
                    filename=f"registry-{stamp}.xlsx",
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            response = StreamingHttpResponse(export_csv(result), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="registry-{stamp}.csv"'
            return response
    return render(
        request,
        "registry/export.html",
        {
            "form": form,
            "filters_form": filters_form,
            "action": reverse("registry:export") + "?" + request.GET.urlencode(),
        },
    )
