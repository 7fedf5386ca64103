"""The decision letter: a PDF in the claimant's language, with the valuation arithmetic."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from yurd.claims.models import Decision, LossCategory
from yurd.places.models import Place
from yurd.registry.models import Person


def decision_letter_html(decision: Decision, *, language: str | None = None) -> str:
    payload = decision.payload
    language = language or decision.claim.language
    with translation.override(language):
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
            }
            for item in payload["items"]
        ]
        claimants = [
            {**claimant, "name": people.get(claimant["person"], claimant["person"])}
            for claimant in payload["claimants"]
        ]
        return render_to_string(
            "claims/letter.html",
            {"decision": decision, "payload": payload, "items": items, "claimants": claimants, "language": language},
        )


def decision_letter_pdf(decision: Decision, *, language: str | None = None) -> bytes:
    from weasyprint import HTML

    html = decision_letter_html(decision, language=language)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
