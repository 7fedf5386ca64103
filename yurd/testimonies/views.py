"""Testimony pages. Thin: parse input, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.models import AccessAction
from yurd.testimonies import selectors, services
from yurd.testimonies.exports import testimony_export_csv
from yurd.testimonies.forms import ExportForm, SearchForm, TermProposalForm, WithdrawForm
from yurd.testimonies.models import Segment, Term, Testimony


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def testimony_list(request: HttpRequest) -> HttpResponse:
    testimonies = selectors.visible_testimonies(user=request.user).order_by("code")[:200]  # type: ignore[arg-type]
    log_access(actor_from_request(request), AccessAction.LIST, Testimony)
    return render(
        request,
        "testimonies/testimony_list.html",
        {
            "testimonies": testimonies,
            "search_form": SearchForm(),
            "export_form": ExportForm() if request.user.has_perm("testimonies.export_testimony") else None,
        },
    )


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def testimony_detail(request: HttpRequest, code: str) -> HttpResponse:
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)  # type: ignore[arg-type]
    log_access(actor_from_request(request), AccessAction.VIEW, testimony)
    return render(
        request,
        "testimonies/testimony_detail.html",
        {
            "testimony": testimony,
            "segments": list(testimony.segments.all()),
            "transcripts": list(testimony.transcripts.all()),
            "can_withdraw": request.user.has_perm("testimonies.withdraw_testimony_consent"),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def segment_link(request: HttpRequest, code: str, segment: int) -> HttpResponse:
    """A stable link to one part of a testimony: the page, playing from the segment's start."""
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)  # type: ignore[arg-type]
    part = get_object_or_404(Segment, pk=segment, testimony=testimony)
    url = reverse("testimonies:testimony_detail", args=[testimony.code])
    return redirect(f"{url}#t={part.start_seconds}")


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def testimony_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list[selectors.SearchHit] = []
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        hits = selectors.testimony_search(user=request.user, query=query)  # type: ignore[arg-type]
        log_access(
            actor_from_request(request), AccessAction.SEARCH, Testimony, detail={"query": query, "hits": len(hits)}
        )
    return render(request, "testimonies/search.html", {"form": form, "hits": hits, "query": query})


@login_required
@permission_required("testimonies.withdraw_testimony_consent", raise_exception=True)
@require_POST
def testimony_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)  # type: ignore[arg-type]
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.testimony_withdraw_consent(
                actor=actor_from_request(request), testimony=testimony, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("testimonies:testimony_detail", code=code)
        messages.success(request, _("Consent withdrawn: the testimony is hidden everywhere from now on."))
        return redirect("testimonies:testimony_list")
    messages.error(request, _("Say how and when the narrator withdrew consent."))
    return redirect("testimonies:testimony_detail", code=code)


@login_required
@permission_required("testimonies.export_testimony", raise_exception=True)
@require_POST
def testimony_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the use and state the purpose of the export."))
        return redirect("testimonies:testimony_list")
    content = testimony_export_csv(
        actor=actor_from_request(request), use=form.cleaned_data["use"], purpose=form.cleaned_data["purpose"]
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="testimonies.csv"'
    return response


@login_required
@permission_required("testimonies.view_term", raise_exception=True)
def term_list(request: HttpRequest) -> HttpResponse:
    form = TermProposalForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("testimonies.add_term"):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.term_propose(actor=actor_from_request(request), **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Term proposed; it can be used once someone else approves it."))
                return redirect("testimonies:term_list")
    return render(
        request,
        "testimonies/term_list.html",
        {
            "approved": selectors.approved_terms(),
            "proposed": selectors.proposed_terms(),
            "form": form if request.user.has_perm("testimonies.add_term") else None,
            "can_decide": request.user.has_perm("testimonies.approve_term"),
        },
    )


@login_required
@permission_required("testimonies.approve_term", raise_exception=True)
@require_POST
def term_decide(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=pk)
    try:
        services.term_decide(
            actor=actor_from_request(request), term=term, approve=request.POST.get("decision") == "approve"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("testimonies:term_list")
