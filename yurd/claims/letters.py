"""The decision letter: a PDF in the claimant's language, with the valuation arithmetic.

Every word comes from the catalogue: the arithmetic is rebuilt from the decision's
structured valuation (quantities, units, factors) rather than its English lines; a
conversion index's label (free text typed into the valuation table) is shown only in
English letters, others name the factor by its number. Numbers and dates are localised.
Each letter sent is recorded against its claim (what, when, to whom, channel) with the
exact HTML that was sent, so it can be reprinted as it was.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from yurd.claims.domain.valuation import decimal_text
from yurd.claims.models import Decision, DecisionKind, LetterRecord, LossCategory, Unit
from yurd.claims.services.appeals import appeal_deadline
from yurd.claims.services.common import claim_event
from yurd.core.actors import Actor
from yurd.places.models import Place
from yurd.registry.models import Person


def _number(value: str | Decimal, places: int | None = None) -> str:
    number = Decimal(value)
    if places is None:
        return formats.number_format(number, use_l10n=True, force_grouping=True)
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


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


def letter_context(decision: Decision, language: str) -> dict[str, Any]:
    payload = decision.payload
    claim = decision.claim
    categories = {category.code: category.label for category in LossCategory.objects.all()}
    places = dict(
        Place.objects.filter(code__in=[item["place"] for item in payload["items"]]).values_list("code", "name")
    )
    people = {
        person.code: person.display_name
        for person in Person.objects.filter(code__in=[claimant["person"] for claimant in payload["claimants"]])
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
    household = claim.household
    address = household.current_place.name if household.current_place is not None else ""
    final = decision.kind == DecisionKind.APPEAL
    return {
        "decision": decision,
        "payload": payload,
        "items": items,
        "claimants": claimants,
        "language": language,
        "total": _number(payload["total"], 2),
        "decided_on": formats.date_format(timezone.localtime(decision.decided_at).date(), "DATE_FORMAT"),
        "organisation": settings.YURD_ORGANISATION_NAME,
        "organisation_address": [
            line.strip() for line in settings.YURD_ORGANISATION_ADDRESS.split("|") if line.strip()
        ],
        "recipient_address": address,
        "appeal_deadline": None if final else formats.date_format(appeal_deadline(decision), "DATE_FORMAT"),
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


@transaction.atomic
def letter_record_sent(
    *, actor: Actor, decision: Decision, language: str, recipient: str, channel: str
) -> LetterRecord:
    """Record a decision letter as sent: the exact HTML, to whom, how, when and by whom."""
    html = decision_letter_html(decision, language=language)
    record = LetterRecord.objects.create(
        claim=decision.claim,
        decision=decision,
        kind="decision",
        language=language,
        recipient=recipient,
        channel=channel,
        sent_at=timezone.now(),
        sent_by=actor.user,
        html=html,
        sha256=hashlib.sha256(html.encode()).hexdigest(),
    )
    claim_event(
        decision.claim,
        actor,
        "letter_sent",
        detail={"letter": record.pk, "decision": decision.number, "language": language, "channel": channel},
    ).save()
    return record
