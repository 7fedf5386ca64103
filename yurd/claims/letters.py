"""Letters to claimants, in their language: acknowledgement, request for documents, decision, appeal outcome.

Every letter carries the organisation's letterhead, the claimants' names and address, and
the date, all localised. The decision letter has the valuation arithmetic and the appeal
rights with their deadline; the appeal outcome letter says what the review found and, if
the decision changed, the new amount.

Every word comes from the catalogue: the arithmetic is rebuilt from the decision's
structured valuation (quantities, units, factors) rather than its English lines; a
conversion index's label (free text typed into the valuation table) is shown only in
English letters, others name the factor by its number. Numbers and dates are localised.
Each letter sent is recorded against its claim (what, when, to whom, channel) with the
exact HTML that was sent, so it can be reprinted as it was.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yurd.claims.domain.valuation import decimal_text
from yurd.claims.errors import ClaimError
from yurd.claims.models import (
    Appeal,
    AppealOutcome,
    Claim,
    Decision,
    DecisionKind,
    LetterKind,
    LetterRecord,
    LossCategory,
    Unit,
)
from yurd.claims.services.appeals import appeal_deadline
from yurd.claims.services.common import claim_event
from yurd.core.actors import Actor
from yurd.core.formatting import format_date, format_number
from yurd.places.models import Place
from yurd.registry.models import Person


def _number(value: str | Decimal, places: int | None = None) -> str:
    return format_number(Decimal(value), places)


def arithmetic_lines(valuation: dict[str, Any], *, english_labels: bool) -> list[str]:
    """One item's arithmetic in the active language: quantity × unit value, then each factor."""
    if "quantity" not in valuation:
        return []
    unit = valuation.get("unit", "")
    unit_label = str(Unit(unit).label) if unit in Unit.values else unit
    if unit == Unit.SQUARE_METRE:
        unit_label = "m²"
    rate_currency = valuation.get("rate_currency", "")
    running = Decimal(valuation["quantity"]) * Decimal(valuation["unit_value"])
    lines = [
        f"{_number(valuation['quantity'])} {unit_label} × {_number(valuation['unit_value'])} {rate_currency} = "
        f"{_number(decimal_text(running))} {rate_currency}"
    ]
    for position, step in enumerate(valuation.get("indices", []), start=1):
        before = running
        running = running * Decimal(step["factor"])
        label = step["label"] if english_labels else _("conversion factor %(number)s") % {"number": position}
        lines.append(
            f"{_number(decimal_text(before))} × {_number(step['factor'])} ({label}) = {_number(decimal_text(running))}"
        )
    lines.append(f"≈ {_number(valuation['amount'], 2)} {valuation.get('currency', '')}")
    return lines


LETTER_KINDS = tuple(LetterKind.values)


def recipient_address(claim: Claim) -> str:
    """The first claimant's postal address from the registry, else the household's current settlement."""
    first = claim.claimants.select_related("person__contact").order_by("id").first()
    contact = getattr(first.person, "contact", None) if first is not None else None
    if contact is not None and contact.address.strip():
        return str(contact.address.strip())
    household = claim.household
    return household.current_place.name if household.current_place is not None else ""


def letterhead(claim: Claim, language: str) -> dict[str, Any]:
    """What every letter starts with: the organisation, the claimants and their address, today's date."""
    names = [claimant.person.display_name for claimant in claim.claimants.select_related("person").order_by("id")]
    return {
        "claim": claim,
        "language": language,
        "organisation": settings.YURD_ORGANISATION_NAME,
        "organisation_address": [
            line.strip() for line in settings.YURD_ORGANISATION_ADDRESS.split("|") if line.strip()
        ],
        "recipient_names": names,
        "recipient_address": recipient_address(claim),
        "dated": format_date(timezone.localdate()),
    }


def _render(template: str, language: str, context: Any) -> str:
    with translation.override(language):
        return render_to_string(template, context())


def acknowledgement_html(claim: Claim, *, language: str | None = None) -> str:
    """The claim was received: its case number, the losses it names, and what happens next."""
    language = language or claim.language

    def context() -> dict[str, Any]:
        items = claim.loss_items.select_related("category", "place").order_by("id")
        return {
            **letterhead(claim, language),
            "items": [
                {"category": item.category.label, "reference": item.reference, "place": item.place.name}
                for item in items
            ],
            "filed_on": format_date(timezone.localtime(claim.created_at).date()),
        }

    return _render("claims/letters/acknowledgement.html", language, context)


def documents_request_html(claim: Claim, *, documents: list[str], respond_by: date, language: str | None = None) -> str:
    """A request for the documents the claim still needs, with the date to answer by."""
    language = language or claim.language

    def context() -> dict[str, Any]:
        return {
            **letterhead(claim, language),
            "documents": [line for line in documents if line.strip()],
            "respond_by": format_date(respond_by),
        }

    return _render("claims/letters/documents_request.html", language, context)


def appeal_outcome_html(appeal: Appeal, *, language: str | None = None) -> str:
    """What the review of an appeal found; a changed decision is named with its new total."""
    claim = appeal.claim
    language = language or claim.language

    def context() -> dict[str, Any]:
        new = appeal.new_decision
        return {
            **letterhead(claim, language),
            "appeal": appeal,
            "filed_on": format_date(appeal.filed_on),
            "appealed_number": appeal.decision.number,
            "appealed_on": format_date(timezone.localtime(appeal.decision.decided_at).date()),
            "upheld": appeal.outcome == AppealOutcome.UPHELD,
            "new_decision": new,
            "new_total": _number(new.total, 2) if new is not None else "",
        }

    return _render("claims/letters/appeal_outcome.html", language, context)


def letter_context(decision: Decision, language: str) -> dict[str, Any]:
    payload = decision.payload
    claim = decision.claim
    categories = {category.code: category.label for category in LossCategory.objects.all()}
    places = dict(
        Place.objects.filter(code__in=[item["place"] for item in payload["items"]]).values_list("code", "name")
    )
    people = {
        person.code: person.display_name
        # The claimants a decision names, printed on its letter for whoever may open the claim.
        for person in Person.objects.unscoped().filter(
            code__in=[claimant["person"] for claimant in payload["claimants"]]
        )
    }
    items = [
        {
            **item,
            "category_label": categories.get(item["category"], item["category"]),
            "place_name": places.get(item["place"], item["place"]),
            "lines": arithmetic_lines(item["valuation"], english_labels=language == "en"),
            "amount": _number(item["valuation"].get("amount", "0"), 2),
        }
        for item in payload["items"]
    ]
    claimants = [
        {
            **claimant,
            "name": people.get(claimant["person"], claimant["person"]),
            "amount": _number(claimant["amount"], 2),
        }
        for claimant in payload["claimants"]
    ]
    final = decision.kind == DecisionKind.APPEAL
    return {
        **letterhead(claim, language),
        "decision": decision,
        "payload": payload,
        "items": items,
        "claimants": claimants,
        "language": language,
        "total": _number(payload["total"], 2),
        "decided_on": format_date(timezone.localtime(decision.decided_at).date()),
        "appeal_deadline": None if final else format_date(appeal_deadline(decision)),
    }


def decision_letter_html(decision: Decision, *, language: str | None = None) -> str:
    language = language or decision.claim.language
    with translation.override(language):
        return render_to_string("claims/letter.html", letter_context(decision, language))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads Pango; only PDFs need it

    return HTML(string=html).write_pdf()


def decision_letter_pdf(decision: Decision, *, language: str | None = None) -> bytes:
    return html_to_pdf(decision_letter_html(decision, language=language))


def letter_html(
    kind: str,
    *,
    claim: Claim,
    language: str,
    decision: Decision | None = None,
    appeal: Appeal | None = None,
    documents: list[str] | None = None,
    respond_by: date | None = None,
) -> str:
    if kind == "acknowledgement":
        return acknowledgement_html(claim, language=language)
    if kind == "documents_request":
        assert respond_by is not None  # noqa: S101 - checked by letter_record_sent
        return documents_request_html(claim, documents=documents or [], respond_by=respond_by, language=language)
    if kind == "appeal_outcome":
        assert appeal is not None  # noqa: S101 - checked by letter_record_sent
        return appeal_outcome_html(appeal, language=language)
    assert decision is not None  # noqa: S101 - checked by letter_record_sent
    return decision_letter_html(decision, language=language)


@transaction.atomic
def letter_record_sent(
    *,
    actor: Actor,
    language: str,
    recipient: str,
    channel: str,
    kind: str = "decision",
    claim: Claim | None = None,
    decision: Decision | None = None,
    appeal: Appeal | None = None,
    documents: list[str] | None = None,
    respond_by: date | None = None,
) -> LetterRecord:
    """Record a letter as sent: the exact HTML, what it was, to whom, how, when and by whom; reprinted from it."""
    claim = claim or (decision.claim if decision is not None else appeal.claim if appeal is not None else None)
    if claim is None or kind not in LETTER_KINDS:
        raise ClaimError(_("Say which letter about which claim was sent."))
    if kind == "decision" and decision is None:
        raise ClaimError(_("A decision letter names its decision."))
    if kind == "appeal_outcome" and (appeal is None or appeal.outcome == AppealOutcome.PENDING):
        raise ClaimError(_("An appeal outcome letter is sent once the appeal was reviewed."))
    if kind == "documents_request" and (not documents or respond_by is None):
        raise ClaimError(_("A request for documents lists the documents and the date to answer by."))
    if appeal is not None and decision is None:
        decision = appeal.new_decision or appeal.decision
    html = letter_html(
        kind,
        claim=claim,
        language=language,
        decision=decision,
        appeal=appeal,
        documents=documents,
        respond_by=respond_by,
    )
    record = LetterRecord.objects.create(
        claim=claim,
        decision=decision,
        kind=kind,
        language=language,
        recipient=recipient,
        channel=channel,
        sent_at=timezone.now(),
        sent_by=actor.user,
        html=html,
        sha256=hashlib.sha256(html.encode()).hexdigest(),
    )
    detail: dict[str, Any] = {"letter": record.pk, "kind": kind, "language": language, "channel": channel}
    if decision is not None:
        detail["decision"] = decision.number
    if appeal is not None:
        detail["appeal"] = appeal.pk
    if documents:
        detail["documents"] = documents
    claim_event(claim, actor, "letter_sent", detail=detail).save()
    return record
