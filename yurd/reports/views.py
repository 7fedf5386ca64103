from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.csvsafe import neutralise_row
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.reports.annual import annual_report_html, annual_report_pdf
from yurd.reports.dashboard import cached_dashboard
from yurd.reports.exports import (
    download_token,
    export_download_logged,
    export_for_token,
    export_path,
    export_request,
    link_lifetime_seconds,
    may_export,
    may_export_names,
)
from yurd.reports.forms import ExportRequestForm, StatisticsForm, minimum_threshold
from yurd.reports.models import ExportRequest
from yurd.reports.public import public_register_figures, public_statistics
from yurd.reports.selectors import DIMENSIONS, StatisticsTable, statistics_table

SUPPRESSED_MARK = "x"


@login_required
@permission_required("reports.view_dashboard", raise_exception=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    figures = cached_dashboard(user=request.user)
    return render(
        request,
        "reports/dashboard.html",
        {
            "dashboard": figures,
            "figures": figures.as_json(),
        },
    )


@login_required
@permission_required("reports.view_statistics", raise_exception=True)
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "measure" not in data:
        data.update({"measure": "people", "rows": "wave", "threshold": str(minimum_threshold())})
    form = StatisticsForm(data)
    result: StatisticsTable | None = None
    if form.is_valid():
        result = statistics_table(
            user=request.user,
            measure=form.cleaned_data["measure"],
            row_dimension=form.cleaned_data["rows"],
            column_dimension=form.cleaned_data["columns"] or None,
            threshold=form.cleaned_data["threshold"],
        )
        if request.GET.get("download") == "csv":
            log_access(
                actor_from_request(request),
                AccessAction.EXPORT,
                "reports.statistics",
                purpose=_("Aggregate statistics table with small-cell suppression"),
                detail={key: form.cleaned_data[key] for key in ("measure", "rows", "columns", "threshold")},
            )
            return statistics_csv(result)
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "result": result,
            "suppressed_mark": SUPPRESSED_MARK,
            "dimension_measures": {key: sorted(dimension.measures) for key, dimension in DIMENSIONS.items()},
        },
    )


def statistics_csv(result: StatisticsTable) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="yurd-statistics.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (Azerbaijani and Russian letters) only with a BOM
    writer = csv.writer(response)
    column_title = str(result.column_dimension.label) if result.column_dimension else ""
    writer.writerow(
        neutralise_row([f"{result.row_dimension.label} / {column_title}".strip(" /"), *result.header(), _("Total")])
    )
    for row in result.rows():
        writer.writerow(
            neutralise_row(
                [
                    row["label"],
                    *[SUPPRESSED_MARK if value is None else value for value in row["cells"]],
                    SUPPRESSED_MARK if row["total"] is None else row["total"],
                ]
            )
        )
    writer.writerow(
        [
            _("x: hidden so that no one can be identified (fewer than %(n)s, or needed to protect such a cell)")
            % {"n": result.table.threshold}
        ]
    )
    return response


def _reverse_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def public_links() -> dict[str, str | None]:
    """Other apps' public pages, when they exist."""
    return {
        "heritage_catalogue": _reverse_or_none("heritage:public_catalogue"),
        "claim_status": _reverse_or_none("claims:status_lookup"),
    }


def public_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/public_statistics.html",
        {
            "tables": public_statistics(),
            "register": public_register_figures(),
            "links": public_links(),
            "suppressed_mark": SUPPRESSED_MARK,
        },
    )


def data_protection(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/data_protection.html",
        {"links": public_links(), "threshold": minimum_threshold()},
    )


@login_required
@permission_required("reports.add_exportrequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    allowed = may_export(user)
    form = ExportRequestForm(request.POST or None, may_identify=may_export_names(user))
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            export = export_request(
                actor=actor_from_request(request),
                kind=form.cleaned_data["kind"],
                file_format=form.cleaned_data["file_format"],
                purpose=form.cleaned_data["purpose"],
                identified=form.cleaned_data.get("identified", False),
            )
            messages.success(request, _("The export is being prepared; its link appears below when it is ready."))
            if export.job_id:
                return redirect("core:job_detail", job_id=export.job_id)
            return redirect("reports:export_list")
    exports = ExportRequest.objects.filter(requested_by=request.user.pk).select_related("job")[:20]
    rows = [{"export": export, "link": download_token(export) if export.file_name else None} for export in exports]
    return render(
        request,
        "reports/export_list.html",
        {"form": form, "allowed": allowed, "rows": rows, "lifetime_hours": link_lifetime_seconds() // 3600},
    )


@login_required
@permission_required("reports.add_exportrequest", raise_exception=True)
def export_download(request: AuthenticatedHttpRequest, token: str) -> FileResponse:
    export = export_for_token(token, user=request.user)
    path = export_path(export)
    if not path.is_file():
        raise Http404
    export_download_logged(actor=actor_from_request(request), export=export)
    return FileResponse(path.open("rb"), as_attachment=True, filename=export.file_name)


@login_required
@permission_required("reports.view_statistics", raise_exception=True)
def annual_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The annual report as PDF (?format=html shows the same page in the browser)."""
    if request.GET.get("format") == "html":
        return HttpResponse(annual_report_html())
    response = HttpResponse(annual_report_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="yurd-annual-report.pdf"'
    return response
