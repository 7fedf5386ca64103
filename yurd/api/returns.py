"""Return intentions over the API: the returns app's selectors for reads (role and household
scope), returns.services.return_intention_record for writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yurd.api.pagination import YurdPagination
from yurd.api.permissions import RolePermission
from yurd.api.serializers import CodeField
from yurd.api.service_calls import api_actor, request_user, service_errors
from yurd.core.access import log_access
from yurd.core.models import AccessAction
from yurd.places.models import Place
from yurd.registry.models import Person
from yurd.registry.selectors import get_household_for_user
from yurd.returns import selectors
from yurd.returns.models import Intention, ReturnCondition, ReturnIntention, Timeline, check_preferred_place
from yurd.returns.services import return_intention_record

TARGET = "returns.returnintention"


class ReturnIntentionSerializer(serializers.Serializer[Any]):
    household = serializers.CharField(source="household.code", read_only=True)
    survey_date = serializers.DateField(read_only=True)
    intention = serializers.CharField(read_only=True)
    preferred_place = serializers.CharField(
        source="preferred_place.code", read_only=True, allow_null=True, default=None
    )
    conditions = serializers.ListField(child=serializers.CharField(), read_only=True)
    returning_members = serializers.SerializerMethodField()
    timeline = serializers.CharField(read_only=True)
    notes = serializers.SerializerMethodField()
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]
    recorded_at = serializers.DateTimeField(source="created_at", read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_returning_members(self, intention: ReturnIntention) -> list[str]:
        return sorted(person.code for person in intention.returning_members.all())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, intention: ReturnIntention) -> str | None:
        """Free text may name people: only for users who may see names."""
        user = self.context.get("user")
        return intention.notes if user is not None and user.sees_names else None


class ReturnIntentionInputSerializer(serializers.Serializer[dict[str, Any]]):
    """One survey answer, as the household's return-intention form takes it."""

    household = serializers.CharField(max_length=16, help_text="Household code, e.g. HH-004211.")
    survey_date = serializers.DateField()
    intention = serializers.ChoiceField(choices=Intention.choices)
    preferred_place = CodeField(
        slug_field="code", queryset=Place.objects.all(), required=False, allow_null=True, default=None
    )
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=ReturnCondition.choices), required=False, default=list, max_length=10
    )
    returning_members = serializers.ListField(
        child=serializers.CharField(max_length=16), required=False, default=list, max_length=60
    )
    timeline = serializers.ChoiceField(choices=Timeline.choices, default=Timeline.UNKNOWN)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")  # type: ignore[assignment]

    def validate_household(self, code: str) -> Any:
        # The same answer for "no such household" and "outside your scope": nothing is revealed.
        try:
            return get_household_for_user(user=self.context["user"], code=code)
        except Http404:
            raise serializers.ValidationError(_("No household with this code in your scope.")) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        household = attrs["household"]
        try:
            check_preferred_place(intention=attrs["intention"], preferred_place=attrs.get("preferred_place"))
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        codes = list(dict.fromkeys(attrs.get("returning_members") or []))
        members = list(
            Person.objects.visible_to(self.context["user"]).filter(
                household=household, is_deceased=False, code__in=codes
            )
        )
        unknown = sorted(set(codes) - {person.code for person in members})
        if unknown:
            raise serializers.ValidationError(
                {
                    "returning_members": _("Not living members of this household: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )
        attrs["returning_members"] = members
        return attrs


class IntentionFilterParams(serializers.Serializer[dict[str, Any]]):
    household = serializers.CharField(required=False, max_length=16)
    settlement = serializers.CharField(required=False, max_length=32)
    intention = serializers.ChoiceField(choices=Intention.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Return intentions: the current one of every household in scope, or one household's history",
        parameters=[
            OpenApiParameter(
                "household", OpenApiTypes.STR, description="A household code: all its answers, latest first."
            ),
            OpenApiParameter(
                "settlement",
                OpenApiTypes.STR,
                description="Code of the preferred settlement (or a place containing it).",
            ),
            OpenApiParameter("intention", OpenApiTypes.STR, enum=Intention.values),
        ],
    ),
    create=extend_schema(
        summary="Record a household's answer to a return survey",
        request=ReturnIntentionInputSerializer,
        responses={201: ReturnIntentionSerializer},
    ),
)
class ReturnIntentionViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet[Any]):
    serializer_class = ReturnIntentionSerializer
    permission_classes = [RolePermission]
    read_permissions = ["returns.view_returnintention", "returns.plan_returns"]
    write_permissions = ["returns.add_returnintention"]
    pagination_class = YurdPagination

    def list(self, request: Request) -> Response:
        params = IntentionFilterParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        user = request_user(request)
        actor = api_actor(request)
        if data.get("household"):
            household = get_household_for_user(user=user, code=data["household"])
            intentions = selectors.household_intentions(household).select_related("household")
            log_access(actor, AccessAction.VIEW, household, detail={"page": "return intentions"})
        else:
            intentions = selectors.latest_intentions(user=user).prefetch_related("returning_members")
            if data.get("settlement"):
                place = Place.objects.filter(code=data["settlement"]).only("path").first()
                intentions = (
                    intentions.filter(preferred_place__path__startswith=place.path)
                    if place is not None
                    else intentions.none()
                )
            log_access(actor, AccessAction.LIST, TARGET, detail={"filters": dict(data)})
        if data.get("intention"):
            intentions = intentions.filter(intention=data["intention"])
        page = self.paginate_queryset(intentions.order_by("household__code", "-survey_date", "-id"))
        return self.get_paginated_response(ReturnIntentionSerializer(page, many=True, context={"user": user}).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request_user(request)
        incoming = ReturnIntentionInputSerializer(data=request.data, context={"user": user})
        incoming.is_valid(raise_exception=True)
        with service_errors():
            intention = return_intention_record(actor=api_actor(request), **incoming.validated_data)
        intention = selectors.household_intentions(intention.household).get(pk=intention.pk)
        return Response(
            ReturnIntentionSerializer(intention, context={"user": user}).data, status=status.HTTP_201_CREATED
        )


class SettlementIntentionsSerializer(serializers.Serializer[Any]):
    settlement = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    households_returning = serializers.IntegerField(read_only=True)
    people_returning = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="null: withheld, fewer than five households stand behind it."
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        allow_null=True,
        help_text="null: withheld, an answer given by one to four households (small-cell suppression).",
    )


class ReturnPlanningView(APIView):
    """Counts per preferred settlement (the planning page's figures): no household, no name;
    for readers who may not open households, suppressed as statistics are (no count of one
    to four households)."""

    permission_classes = [RolePermission]
    read_permissions = ["returns.plan_returns"]

    @extend_schema(
        summary="Return intentions counted per preferred settlement",
        responses={200: SettlementIntentionsSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.planning_overview(user=request_user(request))
        log_access(api_actor(request), AccessAction.LIST, TARGET, detail={"aggregate": "settlements"})
        return Response(
            SettlementIntentionsSerializer(
                [
                    {
                        "settlement": row.place.code,
                        "name": row.place.name,
                        "latitude": row.place.latitude,
                        "longitude": row.place.longitude,
                        "households_returning": row.households,
                        "people_returning": row.people,
                        "counts": row.counts,
                    }
                    for row in rows
                ],
                many=True,
            ).data
        )
