"""Adjudication queue pages: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import AccessAction, log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.jobs import job_start
from yurd.linkage import selectors, services
from yurd.linkage.forms import DecisionForm
from yurd.linkage.tasks import DUPLICATE_SCAN, duplicate_scan


@login_required
@permission_required("linkage.view_matchcandidate", raise_exception=True)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    candidates = list(selectors.candidate_queue(user=request.user, status=status)[:200])
    log_access(actor_from_request(request), AccessAction.LIST, "linkage.MatchCandidate", detail={"status": status})
    return render(request, "linkage/queue.html", {"candidates": candidates, "status": status})


@login_required
@permission_required("linkage.view_matchcandidate", raise_exception=True)
def candidate_detail(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = selectors.get_candidate_for_user(user=request.user, candidate_id=candidate_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            merge = services.candidate_decide(
                actor=actor_from_request(request),
                candidate=candidate,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if merge is not None:
                messages.success(request, _("The two records are now one person."))
                return redirect("linkage:merge_detail", merge_id=merge.pk)
            messages.success(request, _("Decision recorded."))
            return redirect("linkage:queue")
    log_access(actor_from_request(request), AccessAction.VIEW, candidate.left, detail={"match": candidate.pk})
    log_access(actor_from_request(request), AccessAction.VIEW, candidate.right, detail={"match": candidate.pk})
    sides = [selectors.person_context(side, user=request.user) for side in (candidate.left, candidate.right)]
    # Each relative the page names is a record seen, logged against that relative.
    for side in sides:
        for relative in side["relatives"]:
            if relative.person is not None:
                log_access(
                    actor_from_request(request),
                    AccessAction.VIEW,
                    relative.person,
                    detail={"shown_on": side["person"].code, "match": candidate.pk},
                )
    context = {"candidate": candidate, "form": form, "sides": sides}
    return render(request, "linkage/candidate_detail.html", context)


@login_required
@permission_required("linkage.view_matchcandidate", raise_exception=True)
def merge_detail(request: AuthenticatedHttpRequest, merge_id: int) -> HttpResponse:
    merge = selectors.get_merge_for_user(user=request.user, merge_id=merge_id)
    log_access(actor_from_request(request), AccessAction.VIEW, merge.survivor, detail={"merge": merge.pk})
    return render(request, "linkage/merge_detail.html", {"merge": merge})


@login_required
@permission_required("linkage.adjudicate_matchcandidate", raise_exception=True)
@require_POST
def merge_undo(request: AuthenticatedHttpRequest, merge_id: int) -> HttpResponse:
    merge = selectors.get_merge_for_user(user=request.user, merge_id=merge_id)
    try:
        restored = services.merge_undo(actor=actor_from_request(request), merge=merge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Merge undone: %(code)s is a separate record again.") % {"code": restored.code})
    return redirect("linkage:merge_detail", merge_id=merge.pk)


@login_required
@permission_required("linkage.adjudicate_matchcandidate", raise_exception=True)
@require_POST
def scan(request: AuthenticatedHttpRequest) -> HttpResponse:
    job = job_start(DUPLICATE_SCAN, request.user, duplicate_scan, username=request.user.get_username())
    return redirect(job)
