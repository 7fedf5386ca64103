from typing import Any

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "yurd.claims"
    label = "claims"

    def ready(self) -> None:
        from yurd.claims.selectors import claim_evidence_q, claims_visible_to  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.evidence.selectors import register_documented_records, register_seal  # noqa: PLC0415 - models are not loaded when apps.py is

        # Evidence about a claim is seen only by those who may see the claim.
        def claims(user: Any) -> Any:
            return claims_visible_to(user).values("case_number")

        register_documented_records("claims.claim", claims)
        # Loss items cite vault items by UUID or SHA-256 rather than by link.
        register_seal("claims", claim_evidence_q)
        # A change of kinship flags the decisions made on the heirs it changes.
        from yurd.claims.services.heirs import heirs_kinship_changed  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.registry.services import register_kinship_hook  # noqa: PLC0415 - models are not loaded when apps.py is

        register_kinship_hook(heirs_kinship_changed)
