"""Testimonies over the REST API: the same selector as the pages, so withdrawn ones never appear."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics, serializers

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.models import AccessAction, Channel
from yurd.testimonies.models import Segment, Testimony
from yurd.testimonies.selectors import get_testimony_for_user, visible_testimonies


class SegmentSerializer(serializers.ModelSerializer):
    keywords: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="label_en", many=True, read_only=True
    )

    class Meta:
        model = Segment
        fields = ["id", "start_seconds", "end_seconds", "title", "summary", "keywords", "events"]


class TestimonySerializer(serializers.ModelSerializer):
    place: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recorded_on = serializers.SerializerMethodField()
    segments = SegmentSerializer(many=True, read_only=True)

    class Meta:
        model = Testimony
        fields = ["code", "title", "recorded_on", "place", "language", "consent_uses", "access_level", "segments"]

    def get_recorded_on(self, testimony: Testimony) -> str | None:
        return Testimony._meta.get_field("recorded_on").value_to_string(testimony) or None


class TestimonyListApi(generics.ListAPIView):
    serializer_class = TestimonySerializer

    def get_queryset(self) -> QuerySet[Testimony]:
        actor = actor_from_request(self.request, channel=Channel.API)
        queryset = visible_testimonies(user=actor.user).prefetch_related("segments__keywords").order_by("code")
        log_access(actor, AccessAction.LIST, Testimony)
        return queryset


class TestimonyDetailApi(generics.RetrieveAPIView):
    serializer_class = TestimonySerializer

    def get_object(self) -> Any:
        actor = actor_from_request(self.request, channel=Channel.API)
        testimony = get_testimony_for_user(user=actor.user, code=self.kwargs["code"])
        log_access(actor, AccessAction.VIEW, testimony)
        return testimony
