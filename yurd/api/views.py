"""REST endpoints. Reads go through the registry's selectors (role, scope), writes through
its services; every read of personal records is logged on the API channel."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from yurd.api.pagination import YurdPagination
from yurd.api.permissions import RolePermission
from yurd.api.serializers import (
    ClaimSerializer,
    HeritageSiteSerializer,
    HouseholdRegistrationSerializer,
    HouseholdSerializer,
    PersonSerializer,
    PlaceSerializer,
    household_rows,
    person_rows,
    plain_rows,
)
from yurd.api.service_calls import request_user
from yurd.claims.models import Claim
from yurd.claims.selectors import claim_list, get_claim
from yurd.core.access import log_access
from yurd.core.actors import Actor, actor_from_request
from yurd.core.models import AccessAction, Channel
from yurd.heritage.models import Site
from yurd.heritage.selectors import sites_visible
from yurd.places.models import Place, PlaceKind
from yurd.registry import selectors as registry
from yurd.registry.models import Household, Person, Wave
from yurd.registry.services import household_register


def api_actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


def page_keys(view: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The requested page of `queryset` (of keys), unevaluated: see YurdPagination.paginate_keys."""
    paginator = view.paginator
    if not isinstance(paginator, YurdPagination):
        raise TypeError("page_keys needs a view paginated by YurdPagination")
    return paginator.paginate_keys(queryset, view.request, view)


REGISTRY_FILTERS = [
    OpenApiParameter("wave", OpenApiTypes.STR, description="Displacement wave code, e.g. 1987-1991."),
    OpenApiParameter(
        "origin", OpenApiTypes.STR, description="Code of the place of origin (or a district containing it)."
    ),
    OpenApiParameter(
        "current", OpenApiTypes.STR, description="Code of the place of residence (or a district containing it)."
    ),
    OpenApiParameter(
        "deceased", OpenApiTypes.BOOL, description="Only households/people with (or without) deceased members."
    ),
]


class RegistryFilterParams(serializers.Serializer[dict[str, Any]]):
    wave = serializers.CharField(required=False, max_length=32)
    origin = serializers.CharField(required=False, max_length=32)
    current = serializers.CharField(required=False, max_length=32)
    deceased = serializers.BooleanField(required=False, allow_null=True, default=None)


REGISTRY_FILTER_NAMES = tuple(RegistryFilterParams._declared_fields)


def registry_filters(request: Request) -> tuple[registry.RegistryFilters, dict[str, Any]]:
    """Codes in the query string become the registry's filters; unknown codes match nothing."""
    if not any(name in request.query_params for name in REGISTRY_FILTER_NAMES):
        # No filter asked for (a client paging through the list): what validating an
        # empty set gives, without building a serializer per request (its fields are
        # deep-copied each time: about 0.1 ms of a list request, issue 8 benchmark).
        return registry.RegistryFilters(), {}
    params = RegistryFilterParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    missing = -1

    def place_id(code: str | None) -> int | None:
        if not code:
            return None
        return Place.objects.filter(code=code).values_list("pk", flat=True).first() or missing

    wave_id = None
    if data.get("wave"):
        wave_id = Wave.objects.filter(code=data["wave"]).values_list("pk", flat=True).first() or missing
    filters = registry.RegistryFilters(
        origin_place=place_id(data.get("origin")),
        wave=wave_id,
        current_district=place_id(data.get("current")),
        deceased=data.get("deceased"),
    )
    return filters, {key: value for key, value in data.items() if value is not None}


class PlaceFilterParams(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False)
    parent = serializers.CharField(required=False, max_length=32)  # type: ignore[assignment]


@extend_schema_view(
    list=extend_schema(
        summary="Places of the gazetteer",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[kind.value for kind in PlaceKind]),
            OpenApiParameter("parent", OpenApiTypes.STR, description="Code of the parent place."),
        ],
    ),
    retrieve=extend_schema(summary="One place"),
)
class PlaceViewSet(viewsets.ReadOnlyModelViewSet[Place]):
    serializer_class = PlaceSerializer
    permission_classes = [RolePermission]
    read_permissions = ["places.view_place"]
    pagination_class = YurdPagination
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Place]:
        places = Place.objects.select_related("parent").order_by("path", "code")
        if self.action == "list":
            params = PlaceFilterParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            if params.validated_data.get("kind"):
                places = places.filter(kind=params.validated_data["kind"])
            if params.validated_data.get("parent"):
                places = places.filter(parent__code=params.validated_data["parent"])
        return places


@extend_schema_view(
    list=extend_schema(summary="Households the user may see", parameters=REGISTRY_FILTERS),
    retrieve=extend_schema(summary="One household"),
    create=extend_schema(
        summary="Register a household with its members",
        request=HouseholdRegistrationSerializer,
        responses={201: HouseholdSerializer},
    ),
)
class HouseholdViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[Household]
):
    serializer_class = HouseholdSerializer
    permission_classes = [RolePermission]
    read_permissions = ["registry.view_household"]
    write_permissions = ["registry.add_household", "registry.add_person"]
    pagination_class = YurdPagination
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Household]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Household.objects.none()
        if self.action == "list":
            filters, _data = registry_filters(self.request)
            return registry.household_list(user=request_user(self.request), filters=filters)
        return registry.household_queryset(user=request_user(self.request)).select_related(
            "origin_place", "current_place", "wave"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The page's keys from the ordered, scoped list (an index scan) as a subquery of
        # the one query reading those rows as plain values: see serializers.household_rows.
        filters, data = registry_filters(request)
        households = registry.household_list(user=request_user(request), filters=filters)
        keys = page_keys(self, households.values("pk"))
        rows = household_rows(keys, order=registry.HOUSEHOLD_ORDER)
        log_access(api_actor(request), AccessAction.LIST, Household, detail={"filters": data})
        return self.get_paginated_response(rows)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        log_access(api_actor(request), AccessAction.VIEW, "registry.household", code=str(kwargs.get("code", "")))
        return response

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = HouseholdRegistrationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        members = [dict(member) for member in data.pop("members")]
        consent = data.pop("consent", None)
        source = data.pop("source", "")
        source_ref = data.pop("source_ref", "")
        try:
            household = household_register(
                actor=api_actor(request),
                household=data,
                members=members,
                consent=consent,
                source=source or "api",
                source_ref=source_ref,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            ) from None
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="People the user may see (names only for users who may see names)", parameters=REGISTRY_FILTERS
    ),
    retrieve=extend_schema(summary="One person"),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet[Person]):
    serializer_class = PersonSerializer
    permission_classes = [RolePermission]
    read_permissions = ["registry.view_person"]
    pagination_class = YurdPagination
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Person]:
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        if self.action == "list":
            filters, _data = registry_filters(self.request)
            return registry.person_list(user=request_user(self.request), filters=filters).order_by("code")
        return registry.person_queryset(user=request_user(self.request)).select_related("household")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters, data = registry_filters(request)
        people = registry.person_list(user=request_user(request), filters=filters).order_by("code")
        keys = page_keys(self, people.values("pk"))
        rows = person_rows(keys, sees_names=request_user(request).sees_names)
        log_access(api_actor(request), AccessAction.LIST, Person, detail={"filters": data})
        return self.get_paginated_response(rows)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        log_access(api_actor(request), AccessAction.VIEW, "registry.person", code=str(kwargs.get("code", "")))
        return response


def docs(request: HttpRequest) -> HttpResponse:
    """A plain page listing every endpoint from the OpenAPI schema (no external scripts)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary") or operation.get("description", ""),
                    "parameters": [parameter.get("name") for parameter in operation.get("parameters", [])],
                }
            )
    return render(request, "api/docs.html", {"operations": operations, "info": schema.get("info", {})})


class ClaimFilterParams(serializers.Serializer[dict[str, Any]]):
    status = serializers.CharField(required=False, max_length=32)
    q = serializers.CharField(required=False, max_length=64)


@extend_schema_view(
    list=extend_schema(
        summary="Claims the user may see",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="A status, or a group: assessed, decided, closed, in_progress."
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of a case number, or a household code."),
        ],
    ),
    retrieve=extend_schema(
        summary="One claim",
        parameters=[OpenApiParameter("case_number", OpenApiTypes.STR, OpenApiParameter.PATH)],
    ),
)
class ClaimViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = ClaimSerializer
    permission_classes = [RolePermission]
    read_permissions = ["claims.view_claim"]
    pagination_class = YurdPagination
    lookup_field = "case_number"

    def list(self, request: Request) -> Response:
        asked: dict[str, Any] = {}
        if any(name in request.query_params for name in ClaimFilterParams._declared_fields):
            params = ClaimFilterParams(data=request.query_params)
            params.is_valid(raise_exception=True)
            asked = dict(params.validated_data)
        claims = claim_list(user=request_user(request), filters={key: str(value) for key, value in asked.items()})
        keys = page_keys(self, claims.values("pk"))
        rows = plain_rows(
            ClaimSerializer,
            Claim.objects.filter(pk__in=keys).order_by("-case_number"),
            {"household": "household__code", "heir_line": "heir_line__code"},
        )
        log_access(api_actor(request), AccessAction.LIST, "claims.claim", detail={"filters": asked})
        return self.get_paginated_response(rows)

    def retrieve(self, request: Request, case_number: str) -> Response:
        claim = get_claim(user=request_user(request), case_number=case_number)
        log_access(api_actor(request), AccessAction.VIEW, claim)
        return Response(ClaimSerializer(claim).data)


@extend_schema_view(
    list=extend_schema(summary="Heritage sites"),
    retrieve=extend_schema(
        summary="One heritage site", parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)]
    ),
)
class HeritageSiteViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = HeritageSiteSerializer
    permission_classes = [RolePermission]
    read_permissions = ["heritage.view_site"]
    pagination_class = YurdPagination
    lookup_field = "code"

    def list(self, request: Request) -> Response:
        sites = sites_visible(user=request_user(request)).order_by("code").values("pk")
        keys = page_keys(self, sites)
        rows = plain_rows(
            HeritageSiteSerializer,
            Site.objects.filter(pk__in=keys).order_by("code"),
            {"site_type": "site_type__code", "settlement": "settlement__code"},
        )
        return self.get_paginated_response(rows)

    def retrieve(self, request: Request, code: str) -> Response:
        site = sites_visible(user=request_user(request)).filter(code=code).first()
        if site is None:
            raise Http404
        return Response(HeritageSiteSerializer(site).data)
