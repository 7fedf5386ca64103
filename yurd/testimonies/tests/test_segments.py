from __future__ import annotations

import pytest
from django.urls import reverse

from yurd.testimonies.models import Segment
from yurd.testimonies.tests.conftest import make_testimony

pytestmark = pytest.mark.django_db


def test_segment_link_resolves_to_the_segment_start(client, archivist, testimony):
    client.force_login(archivist)
    segment = Segment.objects.get(testimony=testimony, title="The night of departure")
    response = client.get(reverse("testimonies:segment_link", args=[testimony.code, segment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("testimonies:testimony_detail", args=[testimony.code]) + "#t=75"


def test_testimony_page_plays_the_recording_with_segment_anchors(client, archivist, testimony):
    client.force_login(archivist)
    page = client.get(reverse("testimonies:testimony_detail", args=[testimony.code])).content.decode()
    assert '<audio id="testimony-player"' in page
    assert reverse("evidence:item_download", args=[testimony.media.public_code]) in page
    assert 'href="#t=75"' in page
    assert 'data-start="75" data-end="240"' in page
    assert "testimonies/player.js" in page


def test_segment_of_another_testimony_is_not_found(client, archivist, testimony, gazetteer):
    other = make_testimony(gazetteer, title="Another account")
    client.force_login(archivist)
    segment = Segment.objects.filter(testimony=other).first()
    assert segment is not None
    response = client.get(reverse("testimonies:segment_link", args=[testimony.code, segment.pk]))
    assert response.status_code == 404
