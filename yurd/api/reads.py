"""Read endpoints for the domain objects the first API version left to the pages: kinship,
place names, valuation tables. Each applies the permission and selector its page uses."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from yurd.api.pagination import YurdPagination
from yurd.api.permissions import RolePermission
from yurd.api.service_calls import api_actor, request_user
from yurd.claims.models import ValuationTable
from yurd.core.access import log_access
from yurd.core.models import AccessAction
from yurd.places.models import Place
from yurd.registry.models import Kinship
from yurd.registry.selectors import get_person_for_user, person_queryset


class KinshipSerializer(serializers.Serializer[Any]):
    from_person = serializers.CharField(source="from_person.code", read_only=True)
    kind = serializers.CharField(read_only=True)
    to_person = serializers.CharField(source="to_person.code", read_only=True)
    certainty = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]


class KinshipParams(serializers.Serializer[dict[str, Any]]):
    person = serializers.CharField(max_length=16)


@extend_schema_view(
    list=extend_schema(
        summary="Kinship of one person (parents, children, spouses), as codes",
        parameters=[OpenApiParameter("person", OpenApiTypes.STR, required=True, description="A person's code.")],
    )
)
class KinshipViewSet(viewsets.GenericViewSet[Any]):
    """Edges whose both ends lie within the user's scope, so a relative in another
    district is not revealed through a relative in this one."""

    serializer_class = KinshipSerializer
    permission_classes = [RolePermission]
    read_permissions = ["registry.view_person", "registry.view_kinship"]
    pagination_class = YurdPagination

    def list(self, request: Request) -> Response:
        params = KinshipParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        user = request_user(request)
        person = get_person_for_user(user=user, code=params.validated_data["person"])
        visible = person_queryset(user=user).values("pk")
        edges = (
            Kinship.objects.filter(Q(from_person=person) | Q(to_person=person))
            .filter(from_person__in=visible, to_person__in=visible)
            .select_related("from_person", "to_person")
            .order_by("kind", "from_person__code", "to_person__code")
        )
        page = self.paginate_queryset(edges)
        log_access(api_actor(request), AccessAction.VIEW, person, detail={"page": "kinship"})
        return self.get_paginated_response(KinshipSerializer(page, many=True).data)


class PlaceNameSerializer(serializers.Serializer[Any]):
    place = serializers.CharField(source="place.code", read_only=True)
    text = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    year_from = serializers.IntegerField(read_only=True, allow_null=True)
    year_to = serializers.IntegerField(read_only=True, allow_null=True)
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]


class PlaceNameParams(serializers.Serializer[dict[str, Any]]):
    place = serializers.CharField(max_length=32)


@extend_schema_view(
    list=extend_schema(
        summary="Every name of a place, in every language and script, with its years of use",
        parameters=[OpenApiParameter("place", OpenApiTypes.STR, required=True, description="A place's code.")],
    )
)
class PlaceNameViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = PlaceNameSerializer
    permission_classes = [RolePermission]
    read_permissions = ["places.view_place", "places.view_placename"]
    pagination_class = YurdPagination

    def list(self, request: Request) -> Response:
        params = PlaceNameParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        place = get_object_or_404(Place, code=params.validated_data["place"])
        # The order of the place page's names (places.selectors.place_get).
        names = place.names.select_related("place").order_by("year_from", "year_to", "language", "text")
        page = self.paginate_queryset(names)
        return self.get_paginated_response(PlaceNameSerializer(page, many=True).data)


class ValuationRateSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(source="category.code", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True, default=None)
    year = serializers.IntegerField(read_only=True, allow_null=True)
    unit = serializers.CharField(read_only=True)
    unit_value = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True)
    currency = serializers.CharField(read_only=True)


class ConversionIndexSerializer(serializers.Serializer[Any]):
    sequence = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    year = serializers.IntegerField(read_only=True, allow_null=True)
    factor = serializers.DecimalField(max_digits=24, decimal_places=12, read_only=True)


class ValuationTableSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    currency = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    source_sha256 = serializers.CharField(read_only=True)


class ValuationTableDetailSerializer(ValuationTableSerializer):
    rates = serializers.SerializerMethodField()
    indices = ConversionIndexSerializer(many=True, read_only=True)

    @extend_schema_field(ValuationRateSerializer(many=True))
    def get_rates(self, table: ValuationTable) -> Any:
        rates = table.rates.select_related("category", "region").order_by("category__order", "region__code", "year")
        return ValuationRateSerializer(rates, many=True).data


@extend_schema_view(
    list=extend_schema(summary="Valuation tables, newest version first"),
    retrieve=extend_schema(
        summary="One valuation table with its rates and conversion indices",
        parameters=[OpenApiParameter("version", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=ValuationTableDetailSerializer,
    ),
)
class ValuationTableViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = ValuationTableSerializer
    permission_classes = [RolePermission]
    read_permissions = ["claims.view_valuationtable"]
    pagination_class = YurdPagination
    lookup_field = "version"
    lookup_value_regex = "[0-9]{1,9}"

    def get_queryset(self) -> QuerySet[ValuationTable]:
        return ValuationTable.objects.order_by("-version")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ValuationTableSerializer(page, many=True).data)

    def retrieve(self, request: Request, version: str) -> Response:
        table = get_object_or_404(ValuationTable.objects.prefetch_related("indices"), version=int(version))
        return Response(ValuationTableDetailSerializer(table).data)
