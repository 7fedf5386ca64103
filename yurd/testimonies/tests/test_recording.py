"""Recording a testimony, its transcripts and segments through the pages, with history."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from yurd.core.actors import Actor, system_actor
from yurd.evidence.services import evidence_ingest
from yurd.returns.tests.conftest import register_household
from yurd.testimonies import models as testimony_models
from yurd.testimonies.models import ConsentEvent, Segment, Term, TermStatus
from yurd.testimonies.selectors import testimony_search
from yurd.testimonies.services import testimony_withdraw_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording():
    return evidence_ingest(
        actor=system_actor(),
        stream=io.BytesIO(b"RIFF synthetic recording"),
        original_name="interview.wav",
        media_type="audio/wav",
        kind="audio",
    ).item


def test_archivist_records_a_testimony_of_an_anonymous_narrator(client, archivist, gazetteer, recording):
    photo = evidence_ingest(
        actor=system_actor(),
        stream=io.BytesIO(b"\x89PNG synthetic photo"),
        original_name="house.png",
        media_type="image/png",
        title_en="The narrator's house (synthetic)",
    ).item
    client.force_login(archivist)
    response = client.post(
        reverse("testimonies:testimony_create"),
        {
            "title": "The spring at Qarabulaq",
            "narrator_description": "woman born 1940s",
            "interviewer": "Interviewer (synthetic)",
            "recorded_on": "05.2024",
            "place": "Qarabulaq",
            "language": "az",
            "recording": recording.pk,
            "other_media": [photo.pk],
            "consent_uses": ["archive", "research"],
            "consent_restrictions": "No name in publications.",
            "consent_given_on": "2024-05-02",
            "access_level": "restricted",
        },
    )
    testimony = testimony_models.Testimony.objects.get(title="The spring at Qarabulaq")
    assert response.status_code == 302
    assert testimony.narrator is None
    assert testimony.place == gazetteer.settlement_a1
    assert testimony.media == recording
    assert list(testimony.other_media.all()) == [photo]
    page = client.get(reverse("testimonies:testimony_detail", args=[testimony.code])).content.decode()
    assert "The narrator&#x27;s house (synthetic)" in page
    assert testimony.consent_uses == ["archive", "research"]
    assert ConsentEvent.objects.get(testimony=testimony).action == "given"
    assert testimony.history.first().history_user == archivist


def test_narrator_from_the_registry_is_linked_by_code(client, archivist, gazetteer):
    household = register_household(gazetteer.settlement_a1, ("Quliyev", "Vüqar"))
    narrator = household.members.get()
    client.force_login(archivist)
    client.post(
        reverse("testimonies:testimony_create"),
        {
            "title": "Account",
            "narrator": narrator.code.lower(),
            "interviewer": "I",
            "language": "az",
            "access_level": "open",
        },
    )
    assert testimony_models.Testimony.objects.get(title="Account").narrator == narrator


def test_unknown_place_or_narrator_is_named_in_the_error(client, archivist, gazetteer):
    client.force_login(archivist)
    response = client.post(
        reverse("testimonies:testimony_create"),
        {"title": "x", "narrator": "P-999999", "interviewer": "I", "language": "az", "place": "Nowhere at all"},
    )
    assert response.status_code == 200
    assert not testimony_models.Testimony.objects.exists()
    errors = response.context["form"].errors
    assert "P-999999" in errors["narrator"][0]
    assert "Nowhere at all" in errors["place"][0]


def test_consent_change_is_logged_as_a_consent_act(client, archivist, testimony):
    client.force_login(archivist)
    data = {
        "title": testimony.title,
        "interviewer": testimony.interviewer,
        "recorded_on": "05.2024",
        "place": testimony.place.code,
        "language": "az",
        "recording": testimony.media_id,
        "consent_uses": ["archive", "research", "publication"],
        "access_level": "open",
        "reason": "Narrator agreed to the book",
    }
    response = client.post(reverse("testimonies:testimony_edit", args=[testimony.code]), data)
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert "publication" in testimony.consent_uses
    event = ConsentEvent.objects.get(testimony=testimony, action="changed")
    assert event.by == archivist
    assert event.reason == "Narrator agreed to the book"
    assert testimony.history.first().history_change_reason == "Narrator agreed to the book"


def test_segment_with_keywords_and_links_then_edited(client, archivist, testimony, gazetteer):
    term = Term.objects.get(label_en="Expulsion")
    client.force_login(archivist)
    response = client.post(
        reverse("testimonies:segment_add", args=[testimony.code]),
        {
            "start": "4:00",
            "end": "5:30",
            "title": "The road to Ağdam",
            "summary": "Walking for three days.",
            "keywords": [term.pk],
            "places": f"{gazetteer.settlement_a1.code}\nDəmirçi",
            "events": "November 1988 expulsion",
        },
    )
    segment = Segment.objects.get(title="The road to Ağdam")
    assert response.status_code == 302
    assert (segment.start_seconds, segment.end_seconds) == (240, 330)
    assert set(segment.places.all()) == {gazetteer.settlement_a1, gazetteer.settlement_b1}
    assert list(segment.keywords.all()) == [term]
    client.post(
        reverse("testimonies:segment_edit", args=[testimony.code, segment.pk]),
        {"start": "250", "end": "5:30", "title": "The road", "reason": "start corrected"},
    )
    segment.refresh_from_db()
    assert segment.start_seconds == 250
    assert segment.places.count() == 0
    assert segment.history.first().history_change_reason == "start corrected"
    link = client.get(reverse("testimonies:segment_link", args=[testimony.code, segment.pk]))
    assert link["Location"].endswith("#t=250")


def test_segment_end_before_start_is_refused(client, archivist, testimony):
    client.force_login(archivist)
    response = client.post(
        reverse("testimonies:segment_add", args=[testimony.code]), {"start": "2:00", "end": "1:00", "title": "x"}
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors


def test_transcript_added_then_corrected_is_searchable(client, archivist, testimony):
    client.force_login(archivist)
    client.post(
        reverse("testimonies:transcript_add", args=[testimony.code]),
        {"kind": "translation", "language": "ru", "text": "Мы ушли из села Карабулаг пешком."},
    )
    transcript = testimony.transcripts.get(language="ru")
    assert testimony_search(user=archivist, query="пешком")
    client.post(
        reverse("testimonies:transcript_edit", args=[testimony.code, transcript.pk]),
        {"kind": "translation", "language": "ru", "text": "Мы уехали на грузовике.", "reason": "typo"},
    )
    assert not testimony_search(user=archivist, query="пешком")
    assert testimony_search(user=archivist, query="грузовике")


def test_term_proposed_from_the_segment_form_waits_for_approval(client, heritage_researcher):
    client.force_login(heritage_researcher)
    response = client.post(
        reverse("testimonies:term_propose_inline"), {"label_en": "Orchard", "label_az": "Bağ"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Orchard" in response.content.decode()
    assert Term.objects.get(label_en="Orchard").status == TermStatus.PROPOSED


def test_researcher_cannot_record_or_edit(client, heritage_researcher, testimony):
    client.force_login(heritage_researcher)
    assert client.get(reverse("testimonies:testimony_create")).status_code == 403
    assert client.get(reverse("testimonies:testimony_edit", args=[testimony.code])).status_code == 403
    assert client.post(reverse("testimonies:segment_add", args=[testimony.code]), {}).status_code == 403


def test_withdrawn_testimony_cannot_be_edited(client, archivist, testimony):
    testimony_withdraw_consent(actor=Actor(user=archivist), testimony=testimony, reason="phoned")
    client.force_login(archivist)
    assert client.get(reverse("testimonies:testimony_edit", args=[testimony.code])).status_code == 404
    assert client.get(reverse("testimonies:segment_add", args=[testimony.code])).status_code == 404


@pytest.mark.parametrize(
    ("language", "uses"), [("az", "arxivdə saxlama, tədqiqat"), ("ru", "хранение в архиве, исследования")]
)
def test_consented_uses_are_named_in_the_pages_language(client, archivist, testimony, language, uses):
    client.force_login(archivist)
    client.cookies["django_language"] = language

    page = client.get(reverse("testimonies:testimony_detail", args=[testimony.code]), HTTP_ACCEPT_LANGUAGE=language)

    assert uses in page.content.decode()
    assert "archive, research" not in page.content.decode()
