"""Read endpoints for the parts of a record its page shows below the record itself: a
claim's loss items and decisions, a person's heirs and consents, a heritage site's names.

Each endpoint asks for the permissions of its page, reaches the record through the page's
selector (so a record outside the user's scope is a 404, never a hint that it exists),
logs the read on the API channel, and gives names of people only to users who may see
names (analysts never do).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from yurd.api.pagination import YurdPagination
from yurd.api.permissions import RolePermission
from yurd.api.service_calls import api_actor, request_user
from yurd.claims.models import LossItem
from yurd.claims.selectors import ShownEvidence, claim_decisions, claim_loss_items, get_claim, loss_item_evidence
from yurd.core.access import log_access
from yurd.core.models import AccessAction
from yurd.heritage.selectors import site_names
from yurd.registry.models import Person
from yurd.registry.selectors import get_person_for_user, person_consents, person_heirs


def _sees_names(serializer: serializers.Serializer[Any]) -> bool:
    return bool(serializer.context.get("sees_names"))


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description)


CASE_NUMBER = _path("case_number", "A claim's case number, e.g. CL-2026-000123.")
PERSON_CODE = _path("code", "A person's code.")
SITE_CODE = _path("code", "A heritage site's code.")


class LossItemEvidenceSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(read_only=True, help_text="As recorded on the loss item: a UUID or a SHA-256.")
    note = serializers.CharField(read_only=True)
    evidence = serializers.UUIDField(
        source="public_code",
        read_only=True,
        allow_null=True,
        help_text="The vault item the reference names (GET /api/evidence/{code}/); null when the vault holds none.",
    )


class LossItemSerializer(serializers.Serializer[Any]):
    # A loss item has no public code: it is named by its claim's case number and its line,
    # never by its database id (issue 19).
    line = serializers.IntegerField(
        read_only=True,
        help_text="The item's position in the claim, in the order recorded (1 = first): the claim page's order. "
        "Removing an item from a claim still being drafted moves the later ones up.",
    )
    category = serializers.CharField(source="category.code", read_only=True)
    place = serializers.CharField(source="place.code", read_only=True)
    original_owner = serializers.CharField(source="original_owner.code", read_only=True, allow_null=True, default=None)
    original_owner_name = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True)
    unit = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    period_start = serializers.SerializerMethodField()
    period_end = serializers.SerializerMethodField()
    price_year = serializers.IntegerField(read_only=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField(
        help_text="Evidence references the reader may see: one naming a vault item the reader may not see "
        "(restricted evidence) is left out, as on the claim page."
    )

    @extend_schema_field(LossItemEvidenceSerializer(many=True))
    def get_evidence(self, item: LossItem) -> Any:
        shown: list[ShownEvidence] = self.context.get("evidence", {}).get(item.pk, [])
        return LossItemEvidenceSerializer(shown, many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_original_owner_name(self, item: LossItem) -> str | None:
        owner = item.original_owner
        if owner is None or not _sees_names(self):
            return None
        return " ".join(part for part in (owner.surname, owner.given_name, owner.patronymic) if part)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_period_start(self, item: LossItem) -> str | None:
        return LossItem._meta.get_field("period_start").value_to_string(item) or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_period_end(self, item: LossItem) -> str | None:
        return LossItem._meta.get_field("period_end").value_to_string(item) or None


class DecisionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(read_only=True)
    public_code = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    currency = serializers.CharField(read_only=True)
    table_version = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True)
    content_hash = serializers.CharField(read_only=True)
    supersedes = serializers.IntegerField(source="supersedes.number", read_only=True, allow_null=True, default=None)


class ClaimPartsViewSet(viewsets.GenericViewSet[Any]):
    permission_classes = [RolePermission]
    pagination_class = YurdPagination


@extend_schema(summary="Loss items of one claim", parameters=[CASE_NUMBER])
class ClaimLossItemViewSet(ClaimPartsViewSet):
    serializer_class = LossItemSerializer
    read_permissions = ["claims.view_claim"]

    def list(self, request: Request, case_number: str) -> Response:
        user = request_user(request)
        claim = get_claim(user=user, case_number=case_number)
        page = self.paginate_queryset(claim_loss_items(claim)) or []
        shown = self.paginator.page if isinstance(self.paginator, YurdPagination) else None
        first = shown.start_index() if shown is not None and page else 1
        for line, item in enumerate(page, start=first):
            item.line = line  # type: ignore[attr-defined]
        log_access(api_actor(request), AccessAction.VIEW, claim, detail={"page": "loss items"})
        context = {"sees_names": user.sees_names, "evidence": loss_item_evidence(items=page, user=user)}
        data = LossItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


@extend_schema(summary="Decisions on one claim, by number", parameters=[CASE_NUMBER])
class ClaimDecisionViewSet(ClaimPartsViewSet):
    serializer_class = DecisionSerializer
    read_permissions = ["claims.view_claim", "claims.view_decision"]

    def list(self, request: Request, case_number: str) -> Response:
        claim = get_claim(user=request_user(request), case_number=case_number)
        page = self.paginate_queryset(claim_decisions(claim))
        log_access(api_actor(request), AccessAction.VIEW, claim, detail={"page": "decisions"})
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)


class HeirSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    household = serializers.CharField(source="household.code", read_only=True)
    surname = serializers.SerializerMethodField()
    given_name = serializers.SerializerMethodField()
    patronymic = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_surname(self, person: Person) -> str | None:
        return person.surname if _sees_names(self) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_given_name(self, person: Person) -> str | None:
        return person.given_name if _sees_names(self) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_patronymic(self, person: Person) -> str | None:
        return person.patronymic if _sees_names(self) else None


class PersonHeirsSerializer(serializers.Serializer[Any]):
    person = serializers.CharField(source="person.code", read_only=True)
    is_deceased = serializers.BooleanField(source="person.is_deceased", read_only=True)
    heir_line = serializers.CharField(source="heir_line.code", read_only=True, allow_null=True, default=None)
    generations = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ListField(child=HeirSerializer())))
    def get_generations(self, heirs: Any) -> list[list[dict[str, Any]]]:
        return [
            list(HeirSerializer(generation, many=True, context=self.context).data) for generation in heirs.generations
        ]


@extend_schema(
    summary="Heirs of a person: their heir line and the living heirs by representation, per generation",
    description="Heirs registered outside the user's scope are left out.",
    parameters=[PERSON_CODE],
)
class PersonHeirsViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = PersonHeirsSerializer
    permission_classes = [RolePermission]
    read_permissions = ["registry.view_person", "registry.view_heirline"]

    def retrieve(self, request: Request, code: str) -> Response:
        user = request_user(request)
        person = get_person_for_user(user=user, code=code)
        heirs = person_heirs(user=user, person=person)
        log_access(api_actor(request), AccessAction.VIEW, person, detail={"page": "heirs"})
        return Response(PersonHeirsSerializer(heirs, context={"sees_names": user.sees_names}).data)


class ConsentSerializer(serializers.Serializer[Any]):
    purpose = serializers.CharField(read_only=True)
    given_on = serializers.DateField(read_only=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    is_active = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_is_active(self, consent: Any) -> bool:
        return consent.withdrawn_on is None


@extend_schema(summary="Consents of a person, newest first", parameters=[PERSON_CODE])
class PersonConsentViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = ConsentSerializer
    permission_classes = [RolePermission]
    read_permissions = ["registry.view_person", "registry.view_consent"]
    pagination_class = YurdPagination

    def list(self, request: Request, code: str) -> Response:
        person = get_person_for_user(user=request_user(request), code=code)
        page = self.paginate_queryset(person_consents(person))
        log_access(api_actor(request), AccessAction.VIEW, person, detail={"page": "consents"})
        return self.get_paginated_response(ConsentSerializer(page, many=True).data)


class SiteNameSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    period = serializers.CharField(read_only=True)
    year_from = serializers.IntegerField(read_only=True, allow_null=True)
    year_to = serializers.IntegerField(read_only=True, allow_null=True)


@extend_schema(summary="Every name of a heritage site, in every script and period", parameters=[SITE_CODE])
class SiteNameViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = SiteNameSerializer
    permission_classes = [RolePermission]
    read_permissions = ["heritage.view_site"]
    pagination_class = YurdPagination

    def list(self, request: Request, code: str) -> Response:
        site, names = site_names(user=request_user(request), code=code)
        page = self.paginate_queryset(names)
        log_access(api_actor(request), AccessAction.VIEW, site, detail={"page": "names"})
        return self.get_paginated_response(SiteNameSerializer(page, many=True).data)
