from typing import Any

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "yurd.claims"
    label = "claims"

    def ready(self) -> None:
        from yurd.claims.selectors import claims_visible_to
        from yurd.evidence.selectors import register_documented_records

        # Evidence about a claim is seen only by those who may see the claim.
        def claims(user: Any) -> Any:
            return claims_visible_to(user).values("case_number")

        register_documented_records("claims.claim", claims)
