"""The evidence vault over the API: metadata reads with the vault's selectors, and ingest.

An upload arrives as multipart/form-data. Django spools a large file to a temporary
file as it is received; evidence.services.evidence_ingest then streams it in chunks
into the vault, hashing SHA-256 and SHA-512 on the way, and never alters the bytes.
A client that sends the SHA-256 it computed learns at once if the transfer changed
anything: a mismatch is refused before the vault is touched.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yurd.api.pagination import YurdPagination
from yurd.api.permissions import RolePermission
from yurd.api.serializers import CodeField
from yurd.api.service_calls import PartialDateInput, api_actor, service_errors
from yurd.core.access import log_access
from yurd.core.models import AccessAction
from yurd.evidence.apis import EvidenceItemSerializer
from yurd.evidence.models import EvidenceItem, EvidenceKind, Sensitivity
from yurd.evidence.selectors import evidence_get, evidence_list
from yurd.evidence.services import evidence_ingest, evidence_record_view
from yurd.places.models import Place

HASH_CHUNK = 1024 * 1024


class EvidenceIngestSerializer(serializers.Serializer[dict[str, Any]]):
    """The upload form's fields. `file` is stored exactly as received."""

    file = serializers.FileField(allow_empty_file=False)
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$",
        required=False,
        help_text="SHA-256 of the file as the client computed it; the upload is refused if it differs.",
    )
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    title_az = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    title_ru = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, default=EvidenceKind.OTHER)
    captured = PartialDateInput(help_text="When the file was captured: 1988, 11.1988 or 23.11.1988.")
    place = CodeField(slug_field="code", queryset=Place.objects.all(), required=False)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    source_reference = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    author = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    method = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    licence = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, default=Sensitivity.INTERNAL)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        claimed = attrs.pop("sha256", None)
        if claimed:
            digest = hashlib.sha256()
            for chunk in attrs["file"].chunks(HASH_CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != claimed.lower():
                raise serializers.ValidationError(
                    {"sha256": _("The file received does not have this SHA-256; nothing was stored.")}
                )
        return attrs


class EvidenceFilterParams(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(required=False, max_length=200)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Evidence items the user may see (metadata)",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Part of a title, file name or source, or a hash prefix."
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=EvidenceKind.values),
            OpenApiParameter("sensitivity", OpenApiTypes.STR, enum=Sensitivity.values),
        ],
    ),
    retrieve=extend_schema(
        summary="One evidence item (metadata; viewing is entered in the custody log)",
        parameters=[OpenApiParameter("public_code", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    ),
    create=extend_schema(
        summary="Ingest a file into the evidence vault (201 when new, 200 when these bytes are already there)",
        request={"multipart/form-data": EvidenceIngestSerializer},
        responses={201: EvidenceItemSerializer, 200: EvidenceItemSerializer},
    ),
)
class EvidenceViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet[Any]):
    serializer_class = EvidenceItemSerializer
    permission_classes = [RolePermission]
    read_permissions = ["evidence.view_evidenceitem"]
    write_permissions = ["evidence.add_evidenceitem"]
    pagination_class = YurdPagination
    parser_classes = [MultiPartParser, FormParser]
    lookup_field = "public_code"
    lookup_value_regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def list(self, request: Request) -> Response:
        params = EvidenceFilterParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        actor = api_actor(request)
        items = evidence_list(actor=actor, filters=dict(params.validated_data)).order_by("-created_at", "-id")
        page = self.paginate_queryset(items)
        log_access(actor, AccessAction.LIST, EvidenceItem, detail={"filters": dict(params.validated_data)})
        return self.get_paginated_response(EvidenceItemSerializer(page, many=True, context={"request": request}).data)

    def retrieve(self, request: Request, public_code: str) -> Response:
        actor = api_actor(request)
        item = evidence_get(actor=actor, public_code=public_code)
        evidence_record_view(actor=actor, item=item)
        return Response(EvidenceItemSerializer(item, context={"request": request}).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = EvidenceIngestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        upload = data.pop("file")
        with service_errors():
            result = evidence_ingest(
                actor=api_actor(request),
                stream=upload.chunks(HASH_CHUNK),
                original_name=upload.name or "",
                media_type=upload.content_type or "",
                place=data.pop("place", None),
                **data,
            )
        return Response(
            EvidenceItemSerializer(result.item, context={"request": request}).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
