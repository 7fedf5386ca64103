"""Demo testimonies: a small thesaurus, a few synthetic accounts with silent recordings and segments.

The recordings are silent WAV files made here (a few hundred kilobytes in all), so the
player and the segment links work; every word of the accounts is invented.
"""

from __future__ import annotations

import io
import wave
from typing import TextIO

from yurd.core.actors import system_actor
from yurd.evidence.models import EvidenceKind, Sensitivity
from yurd.evidence.services import evidence_ingest
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import Person
from yurd.testimonies.models import Term, TermStatus, Testimony
from yurd.testimonies.services import segment_add, term_propose, testimony_create, transcript_add

ORDER = 70
SAMPLE_RATE = 4000  # 8-bit mono: 4 kB per second of silence

TERMS = [
    ("Expulsion", "Deportasiya", "Депортация", True),
    ("Village life", "Kənd həyatı", "Сельская жизнь", True),
    ("Mosque", "Məscid", "Мечеть", True),
    ("Cemetery", "Qəbiristanlıq", "Кладбище", True),
    ("School", "Məktəb", "Школа", True),
    ("Livestock", "Mal-qara", "Скот", True),
    ("Journey", "Yol", "Дорога", True),
    ("Return", "Qayıdış", "Возвращение", True),
    ("Orchard", "Bağ", "Сад", False),
    ("Wedding", "Toy", "Свадьба", False),
]

ACCOUNTS = [
    (
        "Leaving {place} in the winter of 1988",
        "az",
        "Biz {place} kəndindən 1988-ci ilin noyabrında çıxdıq. Məscidin yanında evimiz var idi.",
        "We left the village of {place} in November 1988. Our house stood next to the mosque.",
    ),
    (
        "The school and the spring at {place}",
        "ru",
        "В {place} была школа у родника; учитель приходил из соседнего села.",
        "In {place} there was a school by the spring; the teacher came from the next village.",
    ),
    (
        "Herding sheep above {place}",
        "az",
        "Yayda qoyunları {place} üstündəki yaylağa aparardıq.",
        "In summer we took the sheep to the pasture above {place}.",
    ),
    (
        "The cemetery of {place}",
        "az",
        "Babamın qəbri {place} qəbiristanlığındadır; sonuncu dəfə 1987-ci ildə getdik.",
        "My grandfather's grave is in the cemetery of {place}; we last went there in 1987.",
    ),
    (
        "Would we go back to {place}?",
        "ru",
        "Мы вернулись бы в {place}, если будет безопасно и вернут дом.",
        "We would go back to {place} if it is safe and the house is returned.",
    ),
    (
        "A wedding in {place}, 1979",
        "en",
        "The whole of {place} came to my brother's wedding in 1979.",
        "",
    ),
]


def silent_wav(seconds: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(SAMPLE_RATE)
        audio.writeframes(b"\x80" * (SAMPLE_RATE * seconds))
    return buffer.getvalue()


def _thesaurus() -> dict[str, Term]:
    actor = system_actor()
    terms = {}
    for label_en, label_az, label_ru, approved in TERMS:
        term = Term.objects.filter(label_en=label_en).first() or term_propose(
            actor=actor, label_en=label_en, label_az=label_az, label_ru=label_ru
        )
        if approved and term.status != TermStatus.APPROVED:
            term.status = TermStatus.APPROVED
            term.save(update_fields=["status", "updated_at"])
        terms[label_en] = term
    return terms


def load(*, households: int, stdout: TextIO) -> None:
    del households
    if Testimony.objects.filter(interviewer="Demo interviewer (synthetic)").exists():
        stdout.write(f"Testimonies: demo testimonies already present ({Testimony.objects.count()}).\n")
        return
    terms = _thesaurus()
    settlements = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("code")[: len(ACCOUNTS)])
    if not settlements:
        stdout.write("Testimonies: no settlements in the gazetteer; only the thesaurus was loaded.\n")
        return
    actor = system_actor()
    for number, (title, language, text, translation) in enumerate(ACCOUNTS):
        place = settlements[number % len(settlements)]
        narrator = (
            Person.objects.unscoped()  # demo data, made by the system
            .filter(household__origin_place=place, is_deceased=False)
            .order_by("code")
            .first()
            if number % 2 == 0
            else None
        )
        seconds = 90 + number * 15
        recording = evidence_ingest(
            actor=actor,
            stream=[silent_wav(seconds)],
            original_name=f"demo-testimony-{number + 1:02d}.wav",
            media_type="audio/wav",
            title_en=f"Demo recording {number + 1} (silent, synthetic)",
            kind=EvidenceKind.AUDIO,
            source="Synthetic demo archive",
            licence="CC0 (synthetic)",
            sensitivity=Sensitivity.INTERNAL,
        ).item
        testimony = testimony_create(
            actor=actor,
            title=title.format(place=place.name),
            narrator=narrator,
            narrator_description="" if narrator else "man born 1930s (synthetic)",
            interviewer="Demo interviewer (synthetic)",
            recorded_on=f"{3 + number}.2024",
            place=place,
            language=language,
            consent_uses=["archive", "research"] + (["publication"] if number % 3 == 0 else []),
            consent_restrictions="" if number % 2 else "No publication of the narrator's name.",
            access_level="restricted" if number == len(ACCOUNTS) - 1 else "open",
            media=recording,
        )
        transcript_add(
            actor=actor, testimony=testimony, language=language, kind="transcript", text=text.format(place=place.name)
        )
        if translation:
            transcript_add(
                actor=actor,
                testimony=testimony,
                language="en",
                kind="translation",
                text=translation.format(place=place.name),
            )
        middle = seconds // 2
        segment_add(
            actor=actor,
            testimony=testimony,
            start_seconds=0,
            end_seconds=middle,
            title="Life in the village",
            summary=f"Memories of {place.name} before 1988.",
            keywords=[terms["Village life"]],
            places=[place],
            people=[narrator] if narrator else [],
        )
        segment_add(
            actor=actor,
            testimony=testimony,
            start_seconds=middle,
            end_seconds=seconds,
            title="Departure" if number % 2 == 0 else "What remains",
            summary=translation.format(place=place.name) if translation else text.format(place=place.name),
            keywords=[terms["Expulsion"], terms["Journey"]] if number % 2 == 0 else [terms["Return"]],
            places=[place],
            events=["November 1988 expulsion"] if number % 2 == 0 else [],
        )
    stdout.write(
        f"Testimonies: {len(ACCOUNTS)} synthetic testimonies with silent recordings, "
        f"{Term.objects.count()} thesaurus terms.\n"
    )
