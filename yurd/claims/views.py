"""Thin views: parse input, call one service or selector, render. Scopes via selectors; reads logged."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.accounts.scopes import scope_q
from yurd.claims import selectors
from yurd.claims import valuation as valuation_services
from yurd.claims.errors import ClaimError, ConcurrentEditError
from yurd.claims.forms import (
    ClaimantsPickerForm,
    ClaimCreateForm,
    ClaimEditForm,
    CohortApplyForm,
    ExportForm,
    LetterForm,
    LossItemForm,
    PrecedentForm,
    RevalueForm,
    StatusLookupForm,
    TransitionForm,
    ValuationImportForm,
)
from yurd.claims.letters import decision_letter_pdf, html_to_pdf, letter_html, letter_record_sent, letterhead
from yurd.claims.models import (
    ASSESSED_STATES,
    Claim,
    ClaimStatus,
    Cohort,
    CohortBatch,
    Decision,
    ImportStatus,
    LetterChannel,
    LetterRecord,
    LossCategory,
    LossItem,
    Property,
    ValuationImport,
    ValuationTable,
)
from yurd.claims.services import (
    appeals,
    assessment,
    case_numbers,
    cohorts,
    compensation,
    decisions,
    filing,
    heirs,
    properties,
    quality,
    workflow,
)
from yurd.claims.workflow import TRANSITIONS, available_transitions
from yurd.core.access import access_history, log_access
from yurd.core.actors import actor_from_request
from yurd.core.clientip import client_ip
from yurd.core.csvsafe import neutralise_row
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.core.permissions import has_permissions
from yurd.places.models import Place
from yurd.registry.models import HeirLine, Household, Person, Wave

LOOKUP_LIMIT = 10
LOOKUP_WINDOW_SECONDS = 15 * 60


def _claim(request: AuthenticatedHttpRequest, case_number: str) -> Claim:
    return selectors.get_claim(user=request.user, case_number=case_number)


def _claim_step(request: HttpRequest, claim: Claim, step: Callable[[], object], done: str) -> HttpResponse:
    """Take a step a button on the claim's page posts: its refusal, or `done`, as a message."""
    try:
        step()
    except ClaimError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("claims:claim_detail", case_number=claim.case_number)


def _filters(request: HttpRequest) -> dict[str, str]:
    keys = ("status", "wave", "district", "origin", "category", "week", "q")
    return {key: request.GET.get(key, "") for key in keys if request.GET.get(key)}


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def claim_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _filters(request)
    claims = selectors.claim_list(user=request.user, filters=filters)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    log_access(actor_from_request(request), AccessAction.LIST, Claim, detail={"filters": filters, "page": page.number})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "claims/claim_list.html",
        {"page": page, "filters": filters, "statuses": ClaimStatus.choices, "query": query.urlencode()},
    )


@login_required
@permission_required("claims.export_claims", raise_exception=True)
def claim_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _filters(request)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claims = selectors.claim_list(user=request.user, filters=filters)
        log_access(
            actor_from_request(request),
            AccessAction.EXPORT,
            Claim,
            purpose=form.cleaned_data["purpose"],
            detail={"filters": filters},
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["case_number", "household", "origin", "wave", "status", "remedy", "total_value", "currency", "decided_at"]
        )
        for claim in claims.iterator(chunk_size=2000):
            writer.writerow(
                neutralise_row(
                    [
                        claim.case_number,
                        claim.household.code,
                        claim.household.origin_place.code if claim.household.origin_place else "",
                        claim.household.wave.code if claim.household.wave else "",
                        claim.status,
                        claim.remedy,
                        claim.total_value if claim.total_value is not None else "",
                        claim.currency,
                        claim.decided_at.isoformat() if claim.decided_at else "",
                    ]
                )
            )
        return response
    return render(request, "claims/export.html", {"form": form, "filters": filters})


def _picker(
    request: AuthenticatedHttpRequest,
    *,
    household: Household,
    heir_line: HeirLine | None,
    current: Sequence[Person] = (),
    chosen: dict[str, str] | None = None,
) -> ClaimantsPickerForm:
    candidates = selectors.claimant_candidates(
        user=request.user, household=household, heir_line=heir_line, current=current
    )
    data = request.POST if request.method == "POST" else None
    return ClaimantsPickerForm(data, candidates=candidates, chosen=chosen)


@login_required
@permission_required("claims.add_claim", raise_exception=True)
def claim_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Filing, in two steps that work without script: find the household (by code or a member's
    name, within the user's scope), then say who files (the household, or heirs of one of its
    lines) and tick the claimants offered."""
    source = request.POST if request.method == "POST" else request.GET
    households = selectors.households_visible_to(request.user)
    household = households.filter(code=source.get("household", "").strip().upper()).first()
    query = request.GET.get("find", "").strip()
    if household is None:
        hits = selectors.household_search(user=request.user, query=query)
        if query:
            log_access(actor_from_request(request), AccessAction.SEARCH, Household, detail={"query": query})
        if request.method == "POST":
            messages.error(request, _("No household with this code within your scope."))
        return render(request, "claims/claim_household_picker.html", {"query": query, "hits": hits})
    lines = selectors.heir_lines_for_household(household, user=request.user)
    heir_line = lines.filter(code=source.get("heir_line", "").strip().upper()).first()
    form = ClaimCreateForm(
        request.POST or None,
        households=households,
        heir_lines=lines,
        initial={"household": household.code, "heir_line": heir_line.code if heir_line else ""},
    )
    picker = _picker(request, household=household, heir_line=heir_line)
    if request.method == "POST" and form.is_valid() and picker.is_valid():
        data = form.cleaned_data
        try:
            claim, secret = filing.claim_create(
                actor=actor_from_request(request),
                household=data["household"],
                heir_line=data["heir_line"],
                claimants=picker.cleaned_data["result"],
                share_override_reason=data["share_override_reason"],
                remedy=data["remedy"],
                language=data["language"],
                notes=data["notes"],
            )
        except ClaimError as error:
            form.add_error(None, error.message)
        else:
            _announce_secret(request, claim, secret)
            return redirect("claims:claim_detail", case_number=claim.case_number)
    if request.method == "GET":
        # The household is shown with its members (and heirs): the view is logged.
        log_access(actor_from_request(request), AccessAction.VIEW, household, detail={"page": "new claim"})
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "picker": picker,
            "household": household,
            "heir_line": heir_line,
            "heir_lines": lines,
            "title": _("New claim"),
        },
    )


def _announce_secret(request: HttpRequest, claim: Claim, secret: str) -> None:
    messages.warning(
        request,
        _(
            "Secret code for the status look-up of %(case)s: %(secret)s — give it to the claimant now; "
            "it is not stored and cannot be shown again."
        )
        % {"case": claim.case_number, "secret": secret},
    )


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def claim_detail(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    claim = _claim(request, case_number)
    user = request.user
    transitions = [
        transition for transition in available_transitions(claim.status) if has_permissions(user, transition.permission)
    ]
    context = {
        "claim": claim,
        "claimants": claim.claimants.select_related("person"),
        "items": selectors.claim_loss_items_with_evidence(claim, user=user),
        "events": claim.events.all(),
        "decisions": claim.decisions.select_related("table"),
        "appeals": claim.appeals.select_related("decision", "new_decision", "reviewed_by").prefetch_related("evidence"),
        "can_decide_appeal": user.has_perm("claims.decide_claim"),
        "transitions": transitions,
        "conflicts": compensation.compensation_conflicts(claim)
        if claim.status in (ClaimStatus.APPROVED, ClaimStatus.ASSESSED)
        else [],
        "revalue_form": RevalueForm(initial={"version": claim.version})
        if user.has_perm("claims.manage_valuation")
        else None,
        "accesses": access_history(claim, limit=20) if user.has_perm("core.view_access_log") else None,
        "sees_names": user.sees_names,
        "letters": claim.letters.all(),
        "letter_recipient": _letter_recipient(claim),
    }
    response = render(request, "claims/claim_detail.html", context)
    log_access(actor_from_request(request), AccessAction.VIEW, claim)
    return response


@login_required
@permission_required("claims.change_claim", raise_exception=True)
def claim_edit(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    claim = _claim(request, case_number)
    initial = {
        "version": claim.version,
        "remedy": claim.remedy,
        "language": claim.language,
        "notes": claim.notes,
        "share_override_reason": claim.share_override_reason,
    }
    form = ClaimEditForm(request.POST or None, initial=initial)
    current = list(claim.claimants.select_related("person"))
    picker = _picker(
        request,
        household=claim.household,
        heir_line=claim.heir_line,
        current=[claimant.person for claimant in current],
        chosen={claimant.person.code: str(claimant.share) for claimant in current},
    )
    if request.method == "POST" and form.is_valid() and picker.is_valid():
        data = form.cleaned_data
        try:
            filing.claim_update(
                actor=actor_from_request(request),
                claim=claim,
                expected_version=data["version"],
                remedy=data["remedy"],
                language=data["language"],
                notes=data["notes"],
                claimants=picker.cleaned_data["result"],
                share_override_reason=data["share_override_reason"],
            )
        except ClaimError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Claim saved."))
            return redirect("claims:claim_detail", case_number=claim.case_number)
    log_access(actor_from_request(request), AccessAction.VIEW, claim, detail={"page": "edit"})
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "picker": picker,
            "claim": claim,
            "household": claim.household,
            "heir_line": claim.heir_line,
            "title": _("Edit claim %(case)s") % {"case": claim.case_number},
        },
    )


@login_required
@permission_required("claims.change_claim", raise_exception=True)
def loss_item_create(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    claim = _claim(request, case_number)
    initial = {
        "version": claim.version,
        "place": claim.household.origin_place.code if claim.household.origin_place else None,
    }
    finding = request.method == "POST" and request.POST.get("action") == "find"
    people = Person.objects.visible_to(request.user)
    if finding:
        # "Search the vault" without script: the form comes back as typed, with the documents found.
        form = LossItemForm(initial={**initial, **request.POST.dict()}, people=people)
    else:
        form = LossItemForm(request.POST or None, initial=initial, people=people)
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("vault_q", "").strip()
    try:
        ticked = selectors.vault_items_by_code(user=request.user, codes=source.getlist("vault_item"))
    except ValidationError as error:
        ticked = []
        form.add_error(None, " ".join(error.messages))
    found = [item for item in selectors.vault_search(user=request.user, query=query) if item not in ticked]
    if request.method == "POST" and not finding and form.is_valid():
        data = form.cleaned_data
        try:
            named = selectors.vault_items(user=request.user, lines=data["evidence"])
        except ValidationError as error:
            form.add_error("evidence", error)
        else:
            evidence = [item.sha256 for item in dict.fromkeys([*ticked, *named])]
            try:
                filing.loss_item_add(
                    actor=actor_from_request(request),
                    claim=claim,
                    expected_version=data["version"],
                    category=data["category"],
                    place=data["place"],
                    reference=data["reference"],
                    original_owner=data["original_owner"],
                    quantity=data["quantity"],
                    unit=data["unit"],
                    price_year=data["price_year"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    description=data["description"],
                    evidence=evidence,
                )
            except ClaimError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Loss item added."))
                return redirect("claims:claim_detail", case_number=claim.case_number)
    return render(
        request,
        "claims/loss_item_form.html",
        {"form": form, "claim": claim, "vault_q": query, "ticked": ticked, "found": found},
    )


@login_required
@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def loss_item_delete(request: AuthenticatedHttpRequest, case_number: str, pk: int) -> HttpResponse:
    claim = _claim(request, case_number)
    item = get_object_or_404(LossItem, pk=pk, claim=claim)
    try:
        filing.loss_item_remove(
            actor=actor_from_request(request),
            claim=claim,
            expected_version=int(request.POST.get("version", "0")),
            item=item,
        )
    except ClaimError as error:
        messages.error(request, error.message)
    return redirect("claims:claim_detail", case_number=claim.case_number)


@login_required
@require_POST
def claim_transition(request: AuthenticatedHttpRequest, case_number: str, name: str) -> HttpResponse:
    if name not in TRANSITIONS:
        raise Http404
    # Refused before the claim is looked up, so that a role that may not take this step
    # learns nothing of the case (not even that the number exists).
    if not any(request.user.has_perm(permission) for permission in TRANSITIONS[name].permission.split("|")):
        raise PermissionDenied
    claim = _claim(request, case_number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("claims:claim_detail", case_number=claim.case_number)
    kwargs: dict[str, Any] = {
        "actor": actor_from_request(request),
        "claim": claim,
        "expected_version": form.cleaned_data["version"],
        "reason": form.cleaned_data["reason"],
    }
    if name == "decide" and form.cleaned_data["outcome"]:
        kwargs["outcome"] = form.cleaned_data["outcome"]
    if name == "appeal":
        try:
            kwargs["evidence"] = selectors.vault_items(
                user=request.user,
                lines=form.cleaned_data["evidence"].splitlines(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("claims:claim_detail", case_number=claim.case_number)
    try:
        workflow.TRANSITION_SERVICES[name](**kwargs)
    except ConcurrentEditError as error:
        messages.error(request, error.message)
    except ClaimError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": TRANSITIONS[name].label})
    return redirect("claims:claim_detail", case_number=claim.case_number)


@login_required
@require_POST
@permission_required("claims.decide_claim", raise_exception=True)
def appeal_decide(request: AuthenticatedHttpRequest, case_number: str, pk: int) -> HttpResponse:
    claim = _claim(request, case_number)
    appeal = get_object_or_404(claim.appeals, pk=pk)
    return _claim_step(
        request,
        claim,
        lambda: appeals.appeal_decide(
            actor=actor_from_request(request),
            appeal=appeal,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("The appeal's outcome is recorded."),
    )


@login_required
@require_POST
@permission_required("claims.approve_claim", raise_exception=True)
def share_override_review(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    claim = _claim(request, case_number)
    return _claim_step(
        request,
        claim,
        lambda: heirs.claim_review_share_override(
            actor=actor_from_request(request),
            claim=claim,
            expected_version=int(request.POST.get("version", "0")),
            reason=request.POST.get("reason", ""),
        ),
        _("The shares are reviewed."),
    )


@login_required
@require_POST
@permission_required("claims.approve_claim", raise_exception=True)
def review_flag_clear(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    """A reviewer has looked again at a flagged claim (a change of kinship, a failed quality check)."""
    claim = _claim(request, case_number)
    return _claim_step(
        request,
        claim,
        lambda: quality.claim_clear_review_flag(
            actor=actor_from_request(request),
            claim=claim,
            expected_version=int(request.POST.get("version", "0")),
            reason=request.POST.get("reason", ""),
        ),
        _("The flag is cleared; the re-review is in the claim's history."),
    )


@login_required
@permission_required("claims.approve_claim", raise_exception=True)
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Claims waiting for a second look: decisions flagged for re-review, shares awaiting review."""
    claims = list(selectors.review_queue(user=request.user))
    log_access(
        actor_from_request(request),
        AccessAction.LIST,
        Claim,
        detail={"page": "review queue", "claims": [claim.case_number for claim in claims]},
    )
    return render(request, "claims/review_queue.html", {"claims": claims})


@login_required
@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def claim_secret(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    claim = _claim(request, case_number)
    secret = filing.claim_reissue_secret(actor=actor_from_request(request), claim=claim)
    _announce_secret(request, claim, secret)
    return redirect("claims:claim_detail", case_number=claim.case_number)


@login_required
@require_POST
@permission_required("claims.manage_valuation", raise_exception=True)
def claim_revalue(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    claim = _claim(request, case_number)
    form = RevalueForm(request.POST)
    if form.is_valid():
        try:
            assessment.claim_revalue(
                actor=actor_from_request(request),
                claim=claim,
                expected_version=form.cleaned_data["version"],
                table=form.cleaned_data["table"],
                reason=form.cleaned_data["reason"],
            )
        except ClaimError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Claim re-valued."))
    else:
        messages.error(request, _("Choose a table version and give a reason."))
    return redirect("claims:claim_detail", case_number=claim.case_number)


def _decision(request: AuthenticatedHttpRequest, case_number: str, number: int) -> Decision:
    claim = _claim(request, case_number)
    return get_object_or_404(Decision.objects.select_related("claim", "table"), claim=claim, number=number)


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def decision_detail(request: AuthenticatedHttpRequest, case_number: str, number: int) -> HttpResponse:
    decision = _decision(request, case_number, number)
    verified = decisions.decision_verify(decision) if request.GET.get("verify") else None
    response = render(
        request,
        "claims/decision_detail.html",
        {
            "decision": decision,
            "claim": decision.claim,
            "verified": verified,
            "letters": decision.letters.all(),
            "channels": LetterChannel.choices,
        },
    )
    log_access(actor_from_request(request), AccessAction.VIEW, decision)
    return response


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def decision_letter(request: AuthenticatedHttpRequest, case_number: str, number: int) -> HttpResponse:
    decision = _decision(request, case_number, number)
    language = request.GET.get("language") or decision.claim.language
    if language not in ("az", "ru", "en"):
        raise Http404
    pdf = decision_letter_pdf(decision, language=language)
    log_access(
        actor_from_request(request), AccessAction.DOWNLOAD, decision, detail={"language": language, "format": "pdf"}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{decision.claim.case_number}-decision-{decision.number}-{language}.pdf"'
    )
    return response


@login_required
@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def decision_letter_send(request: AuthenticatedHttpRequest, case_number: str, number: int) -> HttpResponse:
    decision = _decision(request, case_number, number)
    language = request.POST.get("language") or decision.claim.language
    channel = request.POST.get("channel", "")
    recipient = request.POST.get("recipient", "").strip()
    if language not in ("az", "ru", "en") or channel not in LetterChannel.values or not recipient:
        messages.error(request, _("Say to whom, in which language and how the letter was sent."))
    else:
        letter_record_sent(
            actor=actor_from_request(request),
            decision=decision,
            language=language,
            recipient=recipient,
            channel=channel,
        )
        messages.success(request, _("The letter is recorded as sent."))
    return redirect("claims:decision_detail", case_number=decision.claim.case_number, number=decision.number)


def _letter_recipient(claim: Claim) -> str:
    """Prefilled "to": the claimants' names and address, as the letter prints them."""
    head = letterhead(claim, claim.language)
    return ", ".join([", ".join(head["recipient_names"]), head["recipient_address"]]).strip(", ")[:300]


def _letter_arguments(claim: Claim, form: LetterForm) -> dict[str, Any]:
    data = form.cleaned_data
    appeal = claim.appeals.filter(pk=data["appeal"]).first() if data.get("appeal") else None
    return {
        "claim": claim,
        "language": data["language"],
        "appeal": appeal,
        "documents": [line.strip() for line in data["documents"].splitlines() if line.strip()],
        "respond_by": data["respond_by"],
    }


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def claim_letter(request: AuthenticatedHttpRequest, case_number: str, kind: str) -> HttpResponse:
    """A letter about the claim as a PDF to check before sending (GET), or recorded as sent (POST)."""
    if kind not in ("acknowledgement", "documents_request", "appeal_outcome"):
        raise Http404
    claim = _claim(request, case_number)
    form = LetterForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Say to whom, in which language and how the letter was sent."))
        return redirect("claims:claim_detail", case_number=claim.case_number)
    arguments = _letter_arguments(claim, form)
    if request.method == "POST":
        if not request.user.has_perm("claims.change_claim"):
            raise PermissionDenied
        channel, recipient = form.cleaned_data["channel"], form.cleaned_data["recipient"].strip()
        try:
            if not channel or not recipient:
                raise ClaimError(_("Say to whom, in which language and how the letter was sent."))
            letter_record_sent(
                actor=actor_from_request(request), kind=kind, channel=channel, recipient=recipient, **arguments
            )
        except ClaimError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The letter is recorded as sent."))
        return redirect("claims:claim_detail", case_number=claim.case_number)
    try:
        if kind == "documents_request" and (not arguments["documents"] or arguments["respond_by"] is None):
            raise ClaimError(_("A request for documents lists the documents and the date to answer by."))
        if kind == "appeal_outcome" and (arguments["appeal"] is None or arguments["appeal"].outcome == "pending"):
            raise ClaimError(_("An appeal outcome letter is sent once the appeal was reviewed."))
        html = letter_html(kind, **arguments)
    except ClaimError as error:
        messages.error(request, error.message)
        return redirect("claims:claim_detail", case_number=claim.case_number)
    log_access(actor_from_request(request), AccessAction.DOWNLOAD, claim, detail={"letter": kind, "preview": True})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{claim.case_number}-{kind}-{arguments["language"]}.pdf"'
    return response


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def letter_reprint(request: AuthenticatedHttpRequest, case_number: str, pk: int) -> HttpResponse:
    claim = _claim(request, case_number)
    letter = get_object_or_404(LetterRecord, claim=claim, pk=pk)
    log_access(actor_from_request(request), AccessAction.DOWNLOAD, claim, detail={"letter": letter.pk, "reprint": True})
    response = HttpResponse(html_to_pdf(letter.html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{claim.case_number}-letter-{letter.pk}.pdf"'
    return response


# --- Property register ------------------------------------------------------------------


@login_required
@permission_required("claims.approve_claim", raise_exception=True)
def property_duplicates(request: AuthenticatedHttpRequest) -> HttpResponse:
    proposals = selectors.property_duplicates(user=request.user)
    response = render(request, "claims/property_duplicates.html", {"proposals": proposals})
    # The page names original owners and claims: the list is logged with the properties shown.
    shown = sorted({prop.code for proposal in proposals for prop in (proposal.first, proposal.second)})
    log_access(actor_from_request(request), AccessAction.LIST, Property, detail={"properties": shown})
    return response


@login_required
@require_POST
@permission_required("claims.approve_claim", raise_exception=True)
def property_duplicate_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visible = {proposal.pk: proposal for proposal in selectors.property_duplicates(user=request.user)}
    if pk not in visible:
        raise Http404
    merge = request.POST.get("action") == "merge"
    try:
        properties.property_duplicate_review(actor=actor_from_request(request), duplicate=visible[pk], merge=merge)
    except ClaimError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Merged.") if merge else _("Dismissed."))
    return redirect("claims:property_duplicates")


# --- Valuation tables -------------------------------------------------------------------


@login_required
@permission_required("claims.view_valuationtable", raise_exception=True)
def valuation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tables = ValuationTable.objects.annotate(
        rate_count=Count("rates", distinct=True), decision_count=Count("decisions", distinct=True)
    )
    imports = (
        ValuationImport.objects.filter(status=ImportStatus.STAGED)
        if request.user.has_perm("claims.manage_valuation")
        else []
    )
    return render(request, "claims/valuation_list.html", {"tables": tables, "imports": imports})


@login_required
@permission_required("claims.view_valuationtable", raise_exception=True)
def valuation_detail(request: AuthenticatedHttpRequest, version: int) -> HttpResponse:
    table = get_object_or_404(ValuationTable, version=version)
    rates = table.rates.select_related("category", "region").order_by("category__order", "region__code", "year")
    return render(
        request, "claims/valuation_detail.html", {"table": table, "rates": rates, "indices": table.indices.all()}
    )


@login_required
@permission_required("claims.manage_valuation", raise_exception=True)
def valuation_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ValuationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = valuation_services.valuation_import_stage(
                actor=actor_from_request(request),
                file=upload,
                filename=upload.name,
                name=form.cleaned_data["name"],
                currency=form.cleaned_data["currency"],
            )
        except ClaimError as error:
            form.add_error("file", error.message)
        else:
            return redirect("claims:valuation_import_detail", pk=staged.pk)
    return render(request, "claims/valuation_import.html", {"form": form})


@login_required
@permission_required("claims.manage_valuation", raise_exception=True)
def valuation_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staged = get_object_or_404(ValuationImport, pk=pk)
    if request.method == "POST":
        actor = actor_from_request(request)
        if request.POST.get("action") == "apply":
            try:
                table = valuation_services.valuation_import_apply(actor=actor, staged=staged)
            except ClaimError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Valuation table version %(version)s is now in force.") % {"version": table.version}
                )
                return redirect("claims:valuation_detail", version=table.version)
        else:
            valuation_services.valuation_import_discard(actor=actor, staged=staged)
            return redirect("claims:valuation_list")
    return render(request, "claims/valuation_import_detail.html", {"staged": staged, "preview": staged.rows[:50]})


# --- Cohorts ----------------------------------------------------------------------------


@login_required
@permission_required("claims.decide_claim", raise_exception=True)
def cohort_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Candidate cohorts: assessed or approved files grouped by origin × wave × category."""
    groups = (
        LossItem.objects.filter(
            claim__in=selectors.claims_visible_to(request.user).filter(
                status__in=[ClaimStatus.ASSESSED, ClaimStatus.APPROVED]
            )
        )
        .values(
            "claim__household__origin_place",
            "claim__household__origin_place__name",
            "claim__household__wave",
            "claim__household__wave__name",
            "category",
            "category__code",
        )
        .annotate(claims=Count("claim", distinct=True))
        .order_by("-claims")[:200]
    )
    existing = Cohort.objects.select_related("origin_place", "wave", "category", "precedent").annotate(
        batch_count=Count("batches")
    )
    return render(request, "claims/cohort_list.html", {"groups": groups, "cohorts": existing})


@login_required
@require_POST
@permission_required("claims.decide_claim", raise_exception=True)
def cohort_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    origin = get_object_or_404(Place, pk=request.POST.get("origin") or 0)
    wave_id = request.POST.get("wave") or 0
    wave = Wave.objects.filter(pk=wave_id).first()
    category = get_object_or_404(LossCategory, code=request.POST.get("category"))
    cohort = cohorts.cohort_get_or_create(origin=origin, wave=wave, category=category)
    return redirect("claims:cohort_detail", code=cohort.code)


@login_required
@permission_required("claims.decide_claim", raise_exception=True)
def cohort_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(
        Cohort.objects.select_related("origin_place", "wave", "category", "precedent__claim"), code=code
    )
    actor = actor_from_request(request)
    precedent_form = PrecedentForm(request.POST if request.POST.get("action") == "precedent" else None)
    apply_form = CohortApplyForm(request.POST if request.POST.get("action") == "apply" else None)
    if request.method == "POST":
        try:
            if precedent_form.is_bound and precedent_form.is_valid():
                claim = _claim(request, precedent_form.cleaned_data["case_number"].strip().upper())
                decision = get_object_or_404(Decision, claim=claim, number=precedent_form.cleaned_data["decision"])
                cohorts.cohort_set_precedent(actor=actor, cohort=cohort, decision=decision)
                messages.success(request, _("Precedent set."))
                return redirect("claims:cohort_detail", code=cohort.code)
            if request.POST.get("action") == "approve_all":
                approved = cohorts.cohort_approve(
                    actor=actor,
                    cohort=cohort,
                    reason=request.POST.get("reason", ""),
                    scope=scope_q(request.user, **selectors.CLAIM_SCOPE),
                )
                messages.success(request, _("%(count)s files approved.") % {"count": len(approved)})
                return redirect("claims:cohort_detail", code=cohort.code)
            if apply_form.is_bound and apply_form.is_valid():
                batch = cohorts.cohort_apply(
                    actor=actor,
                    cohort=cohort,
                    confidence=apply_form.cleaned_data["confidence"],
                    margin=apply_form.cleaned_data["margin"],
                    reason=apply_form.cleaned_data["reason"],
                    scope=scope_q(request.user, **selectors.CLAIM_SCOPE),
                )
                messages.success(request, _("%(count)s files decided.") % {"count": batch.decided_count})
                return redirect("claims:batch_detail", pk=batch.pk)
        except ClaimError as error:
            messages.error(request, error.message)
    claims = cohorts.cohort_claims(cohort).filter(scope_q(request.user, **selectors.CLAIM_SCOPE))
    counts = dict(
        Claim.objects.filter(pk__in=claims.values("pk"))
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return render(
        request,
        "claims/cohort_detail.html",
        {
            "cohort": cohort,
            "counts": [(label, counts.get(status, 0)) for status, label in ClaimStatus.choices if counts.get(status)],
            "eligible": counts.get(ClaimStatus.ASSESSED, 0) + counts.get(ClaimStatus.APPROVED, 0),
            "precedent_form": precedent_form,
            "apply_form": apply_form,
            "batches": cohort.batches.all(),
        },
    )


@login_required
@permission_required("claims.decide_claim", raise_exception=True)
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(CohortBatch.objects.select_related("cohort", "precedent__claim", "applied_by"), pk=pk)
    sample = batch.sample.select_related("claim").order_by("claim__case_number")
    if request.method == "POST":
        findings = {
            item.claim_id: (
                request.POST.get(f"error-{item.claim_id}") == "on",
                request.POST.get(f"note-{item.claim_id}", "")[:300],
            )
            for item in sample
            if request.POST.get(f"checked-{item.claim_id}") == "on"
        }
        try:
            quality.qc_record(
                actor=actor_from_request(request), batch=batch, findings=findings, notes=request.POST.get("notes", "")
            )
        except ClaimError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Quality check recorded."))
        return redirect("claims:batch_detail", pk=batch.pk)
    log_access(actor_from_request(request), AccessAction.LIST, CohortBatch, code=str(batch.pk))
    return render(request, "claims/batch_detail.html", {"batch": batch, "sample": sample})


# --- Progress --------------------------------------------------------------------------------


@login_required
@permission_required("claims.view_progress", raise_exception=True)
def progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    summary = selectors.progress_summary(user=request.user)
    return render(
        request,
        "claims/progress.html",
        {
            "summary": summary,
            "can_drill": request.user.has_perm("claims.view_claim"),
            "can_list_households": request.user.has_perm("registry.view_household"),
            "can_set_denominator": request.user.has_perm("registry.change_populationfigure"),
        },
    )


@login_required
@permission_required("claims.view_progress", raise_exception=True)
# The drill-down lists household records: a role that sees only aggregates (the analyst) is refused.
@permission_required("registry.view_household", raise_exception=True)
def progress_households(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "") for key in ("wave", "district", "assessed") if request.GET.get(key)}
    households = selectors.household_drilldown(user=request.user, filters=filters)
    page = Paginator(households, 100).get_page(request.GET.get("page"))
    log_access(
        actor_from_request(request),
        AccessAction.LIST,
        "registry.household",
        detail={"filters": filters, "via": "claims.progress"},
    )
    assessed = set(
        Claim.objects.filter(
            household__in=[household.pk for household in page], status__in=ASSESSED_STATES
        ).values_list("household_id", flat=True)
    )
    return render(
        request,
        "claims/progress_households.html",
        {"page": page, "filters": selectors.drilldown_filter_labels(filters), "assessed": assessed},
    )


# --- Public status look-up ---------------------------------------------------------------------


def status_lookup(request: HttpRequest) -> HttpResponse:
    """No login: case number and secret give the state of the claim and nothing else."""
    form = StatusLookupForm(request.POST or None)
    result = None
    limited = False
    if request.method == "POST":
        # Per client (behind the trusted proxies), counted in the cache all processes share.
        key = f"claims:status-lookup:{client_ip(request) or ''}"
        shared = caches["shared"]
        shared.add(key, 0, LOOKUP_WINDOW_SECONDS)
        attempts = shared.incr(key)
        if attempts > LOOKUP_LIMIT:
            limited = True
        elif form.is_valid():
            claim = (
                Claim.objects.filter(case_number=form.cleaned_data["case_number"].strip().upper())
                .only("status", "secret_hash", "case_number")
                .first()
            )
            if case_numbers.secret_matches(claim, form.cleaned_data["secret"]):
                assert claim is not None  # noqa: S101
                result = {"case_number": claim.case_number, "status": claim.get_status_display()}
            else:
                form = StatusLookupForm(initial={"case_number": form.cleaned_data["case_number"]})
                messages.error(request, _("No claim matches this case number and secret code."))
    response = render(
        request,
        "claims/status_lookup.html",
        {"form": form, "result": result, "limited": limited},
        status=429 if limited else 200,
    )
    response["Cache-Control"] = "no-store"
    return response
