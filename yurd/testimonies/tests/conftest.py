"""Testimony test helpers: one synthetic testimony with a transcript, a translation and segments."""

from __future__ import annotations

import io

import pytest

from yurd.core.actors import system_actor
from yurd.evidence.services import evidence_ingest
from yurd.testimonies.models import Term, TermStatus, Testimony
from yurd.testimonies.services import segment_add, term_propose, testimony_create, transcript_add
from yurd.testing.personas import Gazetteer


def make_testimony(gazetteer: Gazetteer, *, title: str = "Leaving Qarabulaq", access_level: str = "open") -> Testimony:
    actor = system_actor()
    media = evidence_ingest(
        actor=actor,
        stream=io.BytesIO(b"ID3 synthetic audio " + title.encode()),
        original_name="interview.mp3",
        media_type="audio/mpeg",
        kind="audio",
    ).item
    testimony = testimony_create(
        actor=actor,
        title=title,
        interviewer="Interviewer (synthetic)",
        recorded_on="05.2024",
        place=gazetteer.settlement_a1,
        language="az",
        consent_uses=["archive", "research"],
        consent_restrictions="No publication of the narrator's name.",
        access_level=access_level,
        media=media,
    )
    transcript_add(
        actor=actor,
        testimony=testimony,
        language="az",
        kind="transcript",
        text="Biz Qarabulaq kəndindən 1988-ci ilin noyabrında çıxdıq. Məscidin yanında evimiz var idi.",
    )
    transcript_add(
        actor=actor,
        testimony=testimony,
        language="en",
        kind="translation",
        text="We left the village of Qarabulaq in November 1988. Our house stood next to the mosque.",
    )
    term = Term.objects.filter(label_en="Expulsion").first() or term_propose(
        actor=actor, label_en="Expulsion", label_az="Deportasiya", label_ru="Депортация"
    )
    term.status = TermStatus.APPROVED
    term.save()
    segment_add(
        actor=actor,
        testimony=testimony,
        start_seconds=0,
        end_seconds=75,
        title="Childhood",
        summary="Growing up near the spring.",
    )
    segment_add(
        actor=actor,
        testimony=testimony,
        start_seconds=75,
        end_seconds=240,
        title="The night of departure",
        summary="Ayrılıq gecəsi: ailə Qarabulaqdan piyada çıxır.",
        keywords=[term],
        places=[gazetteer.settlement_a1],
        events=["November 1988 expulsion"],
    )
    return testimony


@pytest.fixture
def testimony(gazetteer: Gazetteer) -> Testimony:
    return make_testimony(gazetteer)
