"""Household and person imports: upload, check, commit, rejected rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.registry.forms import (
    ImportUploadForm,
)
from yurd.registry.imports import ImportFileError, ImportRefusedError, rejected_rows_csv, template_csv
from yurd.registry.imports.services import import_create, staged_errors
from yurd.registry.models import ImportBatch
from yurd.registry.tasks import import_check_start, import_commit_start
from yurd.registry.views.records import page_of

# --- Imports ----------------------------------------------------------------------------------------


def _batch_for(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("job"), pk=pk)
    if batch.created_by_id != request.user.pk and not request.user.has_perm("registry.change_importbatch"):
        raise Http404
    return batch


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    batches = ImportBatch.objects.all()
    if not request.user.has_perm("registry.change_importbatch"):
        batches = batches.filter(created_by_id=request.user.pk)
    form = ImportUploadForm()
    return render(request, "registry/import_list.html", {"page": page_of(request, batches), "form": form})


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_create(
                actor=actor_from_request(request),
                data=upload.read(),
                file_name=upload.name,
                source=form.cleaned_data["source"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            import_check_start(batch=batch, owner=request.user)
            return redirect("registry:import_detail", pk=batch.pk)
    return render(request, "registry/import_new.html", {"form": form})


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    context = {"batch": batch, "errors": staged_errors(batch) if batch.rejected_rows else []}
    if context["errors"]:
        # Rejected rows are shown with what was wrong in them: people's names and dates.
        log_access(actor_from_request(request), AccessAction.VIEW, batch, code=str(batch.pk), detail={"rejected": True})
    if request.headers.get("HX-Request"):
        return render(request, "registry/import_progress.html", context)
    return render(request, "registry/import_detail.html", context)


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
@require_POST
def import_commit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    all_or_nothing = request.POST.get("mode") == "all_or_nothing"
    if all_or_nothing and batch.rejected_rows:
        messages.error(request, _("Rows were rejected: nothing was committed."))
        return redirect("registry:import_detail", pk=pk)
    try:
        import_commit_start(batch=batch, owner=request.user, all_or_nothing=all_or_nothing)
    except ImportRefusedError as error:
        messages.error(request, str(error))
    return redirect("registry:import_detail", pk=pk)


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_rejected(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    log_access(actor_from_request(request), AccessAction.DOWNLOAD, batch, code=str(batch.pk))
    response = HttpResponse(rejected_rows_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-{batch.pk}.csv"'
    return response


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registry-import-template.csv"'
    return response
