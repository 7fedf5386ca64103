"""Evidence metadata over the REST API; the same selector as the pages, so the same access rules."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yurd.evidence.models import EvidenceItem


class EvidenceItemSerializer(serializers.ModelSerializer):
    captured = serializers.SerializerMethodField()
    # Most items have no place: null, and the schema must say so (schemathesis found it).
    place: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = EvidenceItem
        fields = [
            "public_code",
            "sha256",
            "sha512",
            "size",
            "media_type",
            "title_en",
            "title_az",
            "title_ru",
            "kind",
            "captured",
            "place",
            "source",
            "source_reference",
            "author",
            "licence",
            "sensitivity",
        ]
        # null for users without names (to_representation): the schema must say so.
        extra_kwargs = {"author": {"allow_null": True}}

    def get_captured(self, item: EvidenceItem) -> str | None:
        return EvidenceItem._meta.get_field("captured").value_to_string(item) or None

    def to_representation(self, instance: EvidenceItem) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        # The author or collector is a person's name: withheld, like every name, from
        # roles without the names permission (and when no request says who is asking).
        request = self.context.get("request")
        if request is None or not request.user.has_perm("accounts.view_personal_names"):
            data["author"] = None
        return data
