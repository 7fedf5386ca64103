"""Demo evidence: synthetic archival scans (drawn, no real content), some linked to households."""

from __future__ import annotations

from typing import TextIO

from django.apps import apps

from yurd.core.actors import system_actor
from yurd.evidence.images import synthetic_document
from yurd.evidence.models import EvidenceItem, EvidenceKind, Sensitivity
from yurd.evidence.services import evidence_ingest, evidence_link

ORDER = 50
DOCUMENTS = 12
SENSITIVITIES = [Sensitivity.PUBLIC, Sensitivity.INTERNAL, Sensitivity.RESTRICTED]


def load(*, households: int, stdout: TextIO) -> None:
    actor = system_actor()
    household_codes: list[str] = []
    if households and apps.is_installed("yurd.registry"):
        try:
            household_model = apps.get_model("registry", "Household")
            household_codes = list(household_model.objects.order_by("code").values_list("code", flat=True)[:DOCUMENTS])
        except LookupError:
            household_codes = []
    created = 0
    for number in range(DOCUMENTS):
        content = synthetic_document(seed=1000 + number)
        existing = EvidenceItem.objects.filter(original_name=f"demo-arxiv-{number + 1:02d}.png").exists()
        if existing:
            continue
        result = evidence_ingest(
            actor=actor,
            stream=[content],
            original_name=f"demo-arxiv-{number + 1:02d}.png",
            media_type="image/png",
            title_en=f"Synthetic archival scan {number + 1}",
            title_az=f"Sintetik arxiv surəti {number + 1}",
            title_ru=f"Синтетическая архивная копия {number + 1}",
            kind=EvidenceKind.ARCHIVAL_DOCUMENT,
            captured=str(1950 + number * 3),
            source="Sintetik demo arxivi",
            source_reference=f"DEMO-FOND-1/{number + 1}",
            licence="CC0 (sintetik)",
            sensitivity=SENSITIVITIES[number % 3],
        )
        created += int(result.created)
        if number < len(household_codes):
            evidence_link(
                actor=actor, item=result.item, target_type="registry.household", target_code=household_codes[number]
            )
    stdout.write(f"Evidence: {created} synthetic scans added ({EvidenceItem.objects.count()} items in the vault).\n")
