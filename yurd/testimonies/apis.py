"""Testimonies over the REST API: the same selector as the pages, so withdrawn ones never appear."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.models import AccessAction, Channel
from yurd.evidence.models import EvidenceItem
from yurd.evidence.selectors import visible_evidence_q
from yurd.testimonies.models import Segment, Testimony
from yurd.testimonies.selectors import get_testimony_for_user, visible_testimonies


class SegmentSerializer(serializers.ModelSerializer):
    keywords: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="label_en", many=True, read_only=True
    )

    class Meta:
        model = Segment
        # No database id (issue 19): a segment is named by its testimony's code and its start.
        fields = ["start_seconds", "end_seconds", "title", "summary", "keywords", "events"]


class TestimonySerializer(serializers.ModelSerializer):
    place: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recorded_on = serializers.SerializerMethodField()
    segments = SegmentSerializer(many=True, read_only=True)
    recording = serializers.SerializerMethodField()
    other_media = serializers.SerializerMethodField()

    class Meta:
        model = Testimony
        fields = [
            "code",
            "title",
            "recorded_on",
            "place",
            "language",
            "consent_uses",
            "access_level",
            "segments",
            "recording",
            "other_media",
        ]

    def get_recorded_on(self, testimony: Testimony) -> str | None:
        return Testimony._meta.get_field("recorded_on").value_to_string(testimony) or None

    @extend_schema_field(serializers.UUIDField(allow_null=True, help_text="Public code of the recording in the vault."))
    def get_recording(self, testimony: Testimony) -> str | None:
        # Only when the user may see the recording in the vault (with_media annotates this).
        if testimony.media is None or not getattr(testimony, "recording_visible", False):
            return None
        return str(testimony.media.public_code)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_other_media(self, testimony: Testimony) -> list[str]:
        return [str(item.public_code) for item in getattr(testimony, "visible_other_media", [])]


def with_media(testimonies: QuerySet[Testimony], *, user: User | None) -> QuerySet[Testimony]:
    """The recording and other media as evidence codes, only those the user may see in the
    vault (the testimony page's rule): one annotation and one prefetch for a whole page."""
    visible = EvidenceItem.objects.filter(visible_evidence_q(user))
    return testimonies.annotate(recording_visible=Exists(visible.filter(pk=OuterRef("media_id")))).prefetch_related(
        Prefetch("other_media", queryset=visible.order_by("id"), to_attr="visible_other_media")
    )


class TestimonyListApi(generics.ListAPIView):
    serializer_class = TestimonySerializer

    def get_queryset(self) -> QuerySet[Testimony]:
        actor = actor_from_request(self.request, channel=Channel.API)
        queryset = with_media(
            visible_testimonies(user=actor.user).prefetch_related("segments__keywords").order_by("code"),
            user=actor.user,
        )
        log_access(actor, AccessAction.LIST, Testimony)
        return queryset


class TestimonyDetailApi(generics.RetrieveAPIView):
    serializer_class = TestimonySerializer

    def get_object(self) -> Any:
        actor = actor_from_request(self.request, channel=Channel.API)
        testimony = get_testimony_for_user(user=actor.user, code=self.kwargs["code"])
        # Its media under the vault's rule, as with_media gives them to the list.
        visible = EvidenceItem.objects.filter(visible_evidence_q(actor.user))
        testimony.recording_visible = (  # type: ignore[attr-defined]
            testimony.media_id is not None and visible.filter(pk=testimony.media_id).exists()
        )
        testimony.visible_other_media = list(  # type: ignore[attr-defined]
            testimony.other_media.filter(visible_evidence_q(actor.user)).order_by("id")
        )
        log_access(actor, AccessAction.VIEW, testimony)
        return testimony
