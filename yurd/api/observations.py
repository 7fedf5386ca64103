"""Heritage observations over the API: read with the sites a user may see, recorded through
heritage.services.observation_record (the same rules as the observation form)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yurd.api.pagination import YurdPagination
from yurd.api.permissions import RolePermission
from yurd.api.service_calls import PartialDateInput, api_actor, partial_date_text, request_user, service_errors
from yurd.core.access import log_access
from yurd.core.models import AccessAction
from yurd.core.parsers import JSONParser
from yurd.evidence.models import EvidenceItem, Sensitivity
from yurd.evidence.selectors import links_for_targets, visible_evidence_q
from yurd.heritage.models import (
    OBSERVATION_TARGET,
    Alteration,
    Certainty,
    Extent,
    Method,
    Observation,
    ObservationStatus,
    PhysicalState,
    Site,
)
from yurd.heritage.selectors import sites_visible
from yurd.heritage.services import observation_record


def observations_visible(*, user: Any) -> QuerySet[Observation]:
    """Observations of the sites the user may see (heritage has no place scopes)."""
    return Observation.objects.filter(site__in=sites_visible(user=user).values("pk")).select_related("site", "observer")


class EvidenceLinkOutSerializer(serializers.Serializer[Any]):
    evidence = serializers.UUIDField(read_only=True)
    relation = serializers.CharField(read_only=True)


class ObservationSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    site = serializers.CharField(source="site.code", read_only=True)
    physical_state = serializers.CharField(read_only=True)
    extent = serializers.CharField(read_only=True)
    alterations = serializers.ListField(child=serializers.CharField(), read_only=True)
    threat = serializers.CharField(read_only=True)
    certainty = serializers.CharField(read_only=True)
    method = serializers.CharField(read_only=True)
    validation = serializers.CharField(read_only=True)
    observed_on = serializers.SerializerMethodField()
    interval_start = serializers.SerializerMethodField()
    interval_end = serializers.SerializerMethodField()
    summary = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    observer = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField()

    def get_observed_on(self, observation: Observation) -> str:
        return partial_date_text(observation.observed_on)

    def get_interval_start(self, observation: Observation) -> str:
        return partial_date_text(observation.interval_start)

    def get_interval_end(self, observation: Observation) -> str:
        return partial_date_text(observation.interval_end)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_observer(self, observation: Observation) -> str | None:
        """The observer's user name, for users who may see names only."""
        user = self.context.get("user")
        return observation.observer.get_username() if user is not None and user.sees_names else None

    @extend_schema_field(EvidenceLinkOutSerializer(many=True))
    def get_evidence(self, observation: Observation) -> list[dict[str, str]]:
        return self.context.get("evidence", {}).get(observation.code, [])


def evidence_by_observation(*, user: Any, codes: list[str]) -> dict[str, list[dict[str, str]]]:
    """Evidence linked to these observations that the user may see: one query."""
    found: dict[str, list[dict[str, str]]] = {}
    for link in links_for_targets(target_type=OBSERVATION_TARGET, codes=codes, user=user):
        found.setdefault(link.target_code, []).append(
            {"evidence": str(link.item.public_code), "relation": link.relation}
        )
    return found


class ObservationInputSerializer(serializers.Serializer[dict[str, Any]]):
    """An observation as the observation form takes it. Send multipart/form-data to attach a photo."""

    site = serializers.CharField(max_length=32, help_text="Code of the heritage site, e.g. HS-000012.")
    physical_state = serializers.ChoiceField(choices=PhysicalState.choices)
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    method = serializers.ChoiceField(choices=Method.choices)
    extent = serializers.ChoiceField(choices=Extent.choices, default=Extent.UNKNOWN)
    alterations = serializers.ListField(
        child=serializers.ChoiceField(choices=Alteration.choices), required=False, default=list, max_length=10
    )
    threat = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    observed_on = PartialDateInput(help_text="Date of the observation: 2021, 08.2021 or 14.08.2021.")
    interval_start = PartialDateInput(help_text="Earlier image date, for a change seen between two images.")
    interval_end = PartialDateInput(help_text="Later image date.")
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_empty_file=False)
    photo_sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, default=Sensitivity.INTERNAL)
    supporting = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=50)
    contradicting = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=50)

    def validate_site(self, code: str) -> Site:
        site = sites_visible(user=self.context["user"]).filter(code=code).first()
        if site is None:
            raise serializers.ValidationError(_("No heritage site with this code."))
        return site

    def _evidence(self, codes: list[Any]) -> list[EvidenceItem]:
        wanted = {str(code) for code in codes}
        items = list(EvidenceItem.objects.filter(visible_evidence_q(self.context["user"]), public_code__in=wanted))
        missing = wanted - {str(item.public_code) for item in items}
        if missing:
            raise serializers.ValidationError(
                _("No evidence item with the code(s): %(codes)s.") % {"codes": ", ".join(sorted(missing))}
            )
        return items

    def validate_supporting(self, codes: list[Any]) -> list[EvidenceItem]:
        return self._evidence(codes)

    def validate_contradicting(self, codes: list[Any]) -> list[EvidenceItem]:
        return self._evidence(codes)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Checked here as well as in the service, so a bad request never stores its photo.
        if not attrs.get("observed_on") and not (attrs.get("interval_start") and attrs.get("interval_end")):
            raise serializers.ValidationError(
                {"observed_on": _("Give the date of the observation, or both interval_start and interval_end.")}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="Observations of heritage sites",
        parameters=[
            OpenApiParameter("site", OpenApiTypes.STR, description="Code of a heritage site."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ObservationStatus.values),
        ],
    ),
    retrieve=extend_schema(
        summary="One observation", parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)]
    ),
    create=extend_schema(
        summary="Record an observation (published at once, or awaiting a second reviewer)",
        request={
            "application/json": ObservationInputSerializer,
            "multipart/form-data": ObservationInputSerializer,
        },
        responses={201: ObservationSerializer},
    ),
)
class ObservationViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet[Any]):
    serializer_class = ObservationSerializer
    permission_classes = [RolePermission]
    read_permissions = ["heritage.view_site", "heritage.view_observation"]
    write_permissions = ["heritage.add_observation"]
    pagination_class = YurdPagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_field = "code"

    def _context(self, observations: list[Observation]) -> dict[str, Any]:
        user = request_user(self.request)
        return {
            "user": user,
            "evidence": evidence_by_observation(user=user, codes=[observation.code for observation in observations]),
        }

    def list(self, request: Request) -> Response:
        site = request.query_params.get("site", "")
        wanted_status = request.query_params.get("status", "")
        if wanted_status and wanted_status not in ObservationStatus.values:
            raise serializers.ValidationError(
                {"status": _("Choose one of: %(values)s.") % {"values": ", ".join(ObservationStatus.values)}}
            )
        observations = observations_visible(user=request_user(request)).order_by("code")
        if site:
            observations = observations.filter(site__code=site)
        if wanted_status:
            observations = observations.filter(status=wanted_status)
        page = list(self.paginate_queryset(observations) or [])
        log_access(
            api_actor(request),
            AccessAction.LIST,
            Observation,
            detail={"filters": {key: value for key, value in (("site", site), ("status", wanted_status)) if value}},
        )
        return self.get_paginated_response(ObservationSerializer(page, many=True, context=self._context(page)).data)

    def retrieve(self, request: Request, code: str) -> Response:
        observation = observations_visible(user=request_user(request)).filter(code=code).first()
        if observation is None:
            raise Http404
        log_access(api_actor(request), AccessAction.VIEW, observation)
        return Response(ObservationSerializer(observation, context=self._context([observation])).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ObservationInputSerializer(data=request.data, context={"user": request_user(request)})
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        photo = data.pop("photo", None)
        with service_errors():
            observation = observation_record(
                actor=api_actor(request),
                photo=photo.chunks() if photo is not None else None,
                photo_name=(photo.name or "") if photo is not None else "",
                **data,
            )
        observation = observations_visible(user=request_user(request)).get(pk=observation.pk)
        return Response(
            ObservationSerializer(observation, context=self._context([observation])).data,
            status=status.HTTP_201_CREATED,
        )
