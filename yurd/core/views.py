"""Home, the audit pages (access log, change log) and background job pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yurd.core import selectors
from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.forms import AccessLogSearchForm, ChangeLogSearchForm
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.jobs import job_start
from yurd.core.models import AccessAction, AccessLogEntry, Job
from yurd.core.tasks import INTEGRITY_CHECK, integrity_check

ACCESS_LOG_PAGE_SIZE = 50
JOB_PAGE_SIZE = 25


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
@login_required
@permission_required(selectors.ACCESS_LOG_PERMISSION, raise_exception=True)
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    entries = selectors.access_log_search(user=request.user, filters=filters if not form.errors else {})
    page = Paginator(entries.select_related("user"), ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "core/access_log.html", {"form": form, "page": page, "filtered": bool(filters)})
    if filters:
        # Searching the log is itself an access: auditors are audited too. Logged
        # after rendering, so the search does not list itself.
        log_access(
            actor_from_request(request),
            AccessAction.SEARCH,
            AccessLogEntry,
            detail={key: str(value) for key, value in filters.items()},
        )
    return response


@require_GET
@login_required
@permission_required(selectors.CHANGE_LOG_PERMISSION, raise_exception=True)
def change_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    model_choices = selectors.change_log_models()
    form = ChangeLogSearchForm(request.GET or None, model_choices=model_choices)
    model_label = username = ""
    if form.is_bound and form.is_valid():
        model_label = form.cleaned_data["model"]
        username = form.cleaned_data["username"].strip()
    rows = selectors.recent_changes(user=request.user, model_label=model_label, username=username)
    return render(request, "core/change_log.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    may_run = request.user.has_perm("core.run_maintenance")
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        job = job_start(INTEGRITY_CHECK, request.user, integrity_check)
        messages.success(request, _("The integrity check was queued."))
        return redirect(job)
    page = Paginator(selectors.jobs_for(user=request.user), JOB_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page, "may_run": may_run})


def _visible_job(request: HttpRequest, job_id: UUID) -> Job:
    """The job, if this user may watch it; 404 otherwise, so ids of others' jobs leak nothing."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not job.is_visible_to(request.user):
        raise Http404
    return job


@require_GET
@login_required
def job_detail(request: AuthenticatedHttpRequest, job_id: UUID) -> HttpResponse:
    job = _visible_job(request, job_id)
    return render(request, "core/job_detail.html", {"job": job})


@require_GET
@login_required
def job_progress(request: AuthenticatedHttpRequest, job_id: UUID) -> HttpResponse:
    """The progress partial; it keeps polling itself every second until the job ends."""
    job = _visible_job(request, job_id)
    return render(request, "core/_job_progress.html", {"job": job})


@require_GET
@login_required
def job_download(request: AuthenticatedHttpRequest, job_id: UUID) -> FileResponse:
    """The file a job produced (an export), logged as a download."""
    job = _visible_job(request, job_id)
    if not job.result_file:
        raise Http404
    media_root = Path(settings.MEDIA_ROOT).resolve()
    path = (media_root / job.result_file).resolve()
    if not path.is_relative_to(media_root) or not path.is_file():
        raise Http404
    log_access(
        actor_from_request(request), AccessAction.DOWNLOAD, "core.job", code=str(job.pk), detail={"file": path.name}
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
