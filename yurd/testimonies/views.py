"""Testimony pages. Thin: parse input, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.evidence.selectors import visible_evidence_q
from yurd.testimonies import selectors, services
from yurd.testimonies.exports import testimony_export_csv
from yurd.testimonies.forms import (
    ExportForm,
    SearchForm,
    SegmentForm,
    TermProposalForm,
    TestimonyForm,
    TranscriptForm,
    WithdrawForm,
)
from yurd.testimonies.models import Segment, Term, Testimony, Transcript


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def testimony_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    testimonies = selectors.visible_testimonies(user=request.user).order_by("code")[:200]
    log_access(actor_from_request(request), AccessAction.LIST, Testimony)
    return render(
        request,
        "testimonies/testimony_list.html",
        {
            "testimonies": testimonies,
            "search_form": SearchForm(),
            "export_form": ExportForm() if request.user.has_perm("testimonies.export_testimony") else None,
            "can_add": request.user.has_perm("testimonies.add_testimony"),
        },
    )


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def testimony_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
    log_access(actor_from_request(request), AccessAction.VIEW, testimony)
    return render(
        request,
        "testimonies/testimony_detail.html",
        {
            "testimony": testimony,
            "segments": list(testimony.segments.all()),
            "transcripts": list(testimony.transcripts.all()),
            "can_withdraw": request.user.has_perm("testimonies.withdraw_testimony_consent"),
            "can_edit": request.user.has_perm("testimonies.change_testimony"),
            "consent_events": list(testimony.consent_events.select_related("by")),
            # Only the items this user may see in the vault.
            "other_media": list(testimony.other_media.filter(visible_evidence_q(request.user)).order_by("id")),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def segment_link(request: AuthenticatedHttpRequest, code: str, segment: int) -> HttpResponse:
    """A stable link to one part of a testimony: the page, playing from the segment's start."""
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
    part = get_object_or_404(Segment, pk=segment, testimony=testimony)
    url = reverse("testimonies:testimony_detail", args=[testimony.code])
    return redirect(f"{url}#t={part.start_seconds}")


@login_required
@permission_required("testimonies.view_testimony", raise_exception=True)
def testimony_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list[selectors.SearchHit] = []
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        hits = selectors.testimony_search(user=request.user, query=query)
        log_access(
            actor_from_request(request), AccessAction.SEARCH, Testimony, detail={"query": query, "hits": len(hits)}
        )
    return render(request, "testimonies/search.html", {"form": form, "hits": hits, "query": query})


@login_required
@permission_required("testimonies.withdraw_testimony_consent", raise_exception=True)
@require_POST
def testimony_withdraw(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
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
def testimony_export(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def term_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def term_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=pk)
    try:
        services.term_decide(
            actor=actor_from_request(request), term=term, approve=request.POST.get("decision") == "approve"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("testimonies:term_list")


# --- Recording and editing ------------------------------------------------------------------


def _testimony_changes(form: TestimonyForm) -> dict[str, Any]:
    data = {**form.cleaned_data, "media": form.cleaned_data["recording"]}
    return {name: data[name] for name in services.TESTIMONY_FIELDS}


def _initial(testimony: Testimony) -> dict[str, Any]:
    return {
        "title": testimony.title,
        "narrator": testimony.narrator.code if testimony.narrator else "",
        "narrator_description": testimony.narrator_description,
        "interviewer": testimony.interviewer,
        "recorded_on": str(testimony.recorded_on or ""),
        "place": testimony.place.code if testimony.place else "",
        "language": testimony.language,
        "recording": testimony.media_id,
        "other_media": list(testimony.other_media.all()),
        "consent_uses": testimony.consent_uses,
        "consent_restrictions": testimony.consent_restrictions,
        "consent_given_on": testimony.consent_given_on,
        "access_level": testimony.access_level,
    }


@login_required
@permission_required("testimonies.add_testimony", raise_exception=True)
def testimony_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TestimonyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            testimony = services.testimony_create(actor=actor_from_request(request), **_testimony_changes(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Testimony recorded; add its transcripts and segments."))
            return redirect("testimonies:testimony_detail", code=testimony.code)
    # The narrator field offers people by name.
    log_access(actor_from_request(request), AccessAction.LIST, "registry.person", detail={"page": "testimony form"})
    return render(request, "testimonies/testimony_form.html", {"form": form, "testimony": None})


@login_required
@permission_required("testimonies.change_testimony", raise_exception=True)
def testimony_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
    form = TestimonyForm(request.POST or None, user=request.user, initial=_initial(testimony))
    if request.method == "POST" and form.is_valid():
        try:
            services.testimony_update(
                actor=actor_from_request(request),
                testimony=testimony,
                reason=form.cleaned_data["reason"],
                **_testimony_changes(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Testimony saved."))
            return redirect("testimonies:testimony_detail", code=testimony.code)
    log_access(actor_from_request(request), AccessAction.VIEW, testimony, detail={"page": "edit"})
    return render(request, "testimonies/testimony_form.html", {"form": form, "testimony": testimony})


@login_required
@permission_required("testimonies.change_testimony", raise_exception=True)
def transcript_edit(request: AuthenticatedHttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Add a transcript or translation (no pk), or correct one."""
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
    transcript = get_object_or_404(Transcript, pk=pk, testimony=testimony) if pk else None
    initial = (
        {"kind": transcript.kind, "language": transcript.language, "text": transcript.text}
        if transcript
        else {"language": testimony.language}
    )
    form = TranscriptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = actor_from_request(request)
        try:
            if transcript is None:
                services.transcript_add(
                    actor=actor, testimony=testimony, language=data["language"], text=data["text"], kind=data["kind"]
                )
            else:
                services.transcript_update(
                    actor=actor,
                    transcript=transcript,
                    language=data["language"],
                    text=data["text"],
                    kind=data["kind"],
                    reason=data["reason"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Transcript saved."))
            return redirect("testimonies:testimony_detail", code=testimony.code)
    log_access(actor_from_request(request), AccessAction.VIEW, testimony, detail={"page": "transcript form"})
    return render(
        request, "testimonies/transcript_form.html", {"form": form, "testimony": testimony, "transcript": transcript}
    )


@login_required
@permission_required("testimonies.change_testimony", raise_exception=True)
def segment_edit(request: AuthenticatedHttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Add a segment (no pk) or change one: times, texts, keywords and what it names."""
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
    segment = get_object_or_404(Segment, pk=pk, testimony=testimony) if pk else None
    initial = SegmentForm.initial_for(segment) if segment else {}
    form = SegmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "start_seconds": data["start"],
            "end_seconds": data["end"],
            "title": data["title"],
            "summary": data["summary"],
            "transcript_text": data["transcript_text"],
            "keywords": data["keywords"],
            "people": data["people"],
            "places": data["places"],
            "heritage_sites": data["heritage_sites"],
            "events": data["events"],
        }
        actor = actor_from_request(request)
        try:
            if segment is None:
                segment = services.segment_add(actor=actor, testimony=testimony, **fields)
            else:
                segment = services.segment_update(actor=actor, segment=segment, reason=data["reason"], **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Segment saved."))
            url = reverse("testimonies:testimony_detail", args=[testimony.code])
            return redirect(f"{url}#segment-{segment.pk}")
    log_access(actor_from_request(request), AccessAction.VIEW, testimony, detail={"page": "segment form"})
    return render(
        request,
        "testimonies/segment_form.html",
        {"form": form, "testimony": testimony, "segment": segment, "proposal_form": TermProposalForm()},
    )


@login_required
@permission_required("testimonies.change_testimony", raise_exception=True)
@require_POST
def segment_delete(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    testimony = selectors.get_testimony_for_user(user=request.user, code=code)
    segment = get_object_or_404(Segment, pk=pk, testimony=testimony)
    services.segment_delete(actor=actor_from_request(request), segment=segment, reason=request.POST.get("reason", ""))
    messages.success(request, _("Segment removed."))
    return redirect("testimonies:testimony_detail", code=testimony.code)


@login_required
@permission_required("testimonies.add_term", raise_exception=True)
@require_POST
def term_propose_inline(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Propose a term from the segment form (htmx): answers with the proposal's status line."""
    form = TermProposalForm(request.POST)
    if not form.is_valid():
        return render(request, "testimonies/_term_proposed.html", {"form": form, "term": None}, status=400)
    try:
        term = services.term_propose(actor=actor_from_request(request), **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "testimonies/_term_proposed.html", {"form": form, "term": None}, status=400)
    return render(request, "testimonies/_term_proposed.html", {"form": None, "term": term})
