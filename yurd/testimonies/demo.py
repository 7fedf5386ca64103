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

# (title, language, transcript, translation, translation's language, second segment's title).
# Titles and segments are typed in the account's language; translations go between the
# community's languages (az and ru), so every page reads them as records, not interface.
ACCOUNTS = [
    (
        "{place}: 1988-ci ilin qışında gediş",
        "az",
        "Biz {place} kəndindən 1988-ci ilin noyabrında çıxdıq. Məscidin yanında evimiz var idi.",
        "Мы ушли из села {place} в ноябре 1988 года. Наш дом стоял рядом с мечетью.",
        "ru",
        "Gediş",
    ),
    (
        "Школа и родник в {place}",
        "ru",
        "В {place} была школа у родника; учитель приходил из соседнего села.",
        "{place} kəndində bulağın yanında məktəb var idi; müəllim qonşu kənddən gəlirdi.",
        "az",
        "Что осталось",
    ),
    (
        "{place} üstündəki yaylaqda",
        "az",
        "Yayda qoyunları {place} üstündəki yaylağa aparardıq.",
        "Летом мы гоняли овец на пастбище над {place}.",
        "ru",
        "Gediş",
    ),
    (
        "{place} qəbiristanlığı",
        "az",
        "Babamın qəbri {place} qəbiristanlığındadır; sonuncu dəfə 1987-ci ildə getdik.",
        "Могила моего деда на кладбище {place}; в последний раз мы были там в 1987 году.",
        "ru",
        "Nə qalıb",
    ),
    (
        "Вернулись бы мы в {place}?",
        "ru",
        "Мы вернулись бы в {place}, если будет безопасно и вернут дом.",
        "Təhlükəsiz olsa və evi qaytarsalar, {place} kəndinə qayıdardıq.",
        "az",
        "Отъезд",
    ),
    (
        "A wedding in {place}, 1979",
        "en",
        "The whole of {place} came to my brother's wedding in 1979.",
        "1979-cu ildə qardaşımın toyuna bütün {place} gəldi.",
        "az",
        "What remains",
    ),
]
# The first segment of every account, in its language.
FIRST_SEGMENT = {
    "az": ("Kənd həyatı", "1988-ci ilə qədər {place} haqqında xatirələr."),
    "ru": ("Жизнь в селе", "Воспоминания о {place} до 1988 года."),
    "en": ("Life in the village", "Memories of {place} before 1988."),
}
# The events a departure segment names, in the account's language.
EXPULSION = {
    "az": "1988-ci ilin noyabr deportasiyası",
    "ru": "депортация ноября 1988 года",
    "en": "November 1988 expulsion",
}
INTERVIEWER = "Demo müsahibəçi (sintetik)"


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
    if Testimony.objects.filter(interviewer=INTERVIEWER).exists():
        stdout.write(f"Testimonies: demo testimonies already present ({Testimony.objects.count()}).\n")
        return
    terms = _thesaurus()
    settlements = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("code")[: len(ACCOUNTS)])
    if not settlements:
        stdout.write("Testimonies: no settlements in the gazetteer; only the thesaurus was loaded.\n")
        return
    actor = system_actor()
    for number, (title, language, text, translation, translated_into, second_title) in enumerate(ACCOUNTS):
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
            title_az=f"Demo yazı {number + 1} (səssiz, sintetik)",
            title_ru=f"Демо-запись {number + 1} (беззвучная, синтетическая)",
            kind=EvidenceKind.AUDIO,
            source="Sintetik demo arxivi",
            licence="CC0 (sintetik)",
            sensitivity=Sensitivity.INTERNAL,
        ).item
        testimony = testimony_create(
            actor=actor,
            title=title.format(place=place.name),
            narrator=narrator,
            narrator_description="" if narrator else "1930-cu illərdə doğulmuş kişi (sintetik)",
            interviewer=INTERVIEWER,
            recorded_on=f"{3 + number}.2024",
            place=place,
            language=language,
            consent_uses=["archive", "research"] + (["publication"] if number % 3 == 0 else []),
            consent_restrictions="" if number % 2 else "Danışanın adı dərc edilməsin.",
            access_level="restricted" if number == len(ACCOUNTS) - 1 else "open",
            media=recording,
        )
        transcript_add(
            actor=actor, testimony=testimony, language=language, kind="transcript", text=text.format(place=place.name)
        )
        transcript_add(
            actor=actor,
            testimony=testimony,
            language=translated_into,
            kind="translation",
            text=translation.format(place=place.name),
        )
        middle = seconds // 2
        segment_add(
            actor=actor,
            testimony=testimony,
            start_seconds=0,
            end_seconds=middle,
            title=FIRST_SEGMENT[language][0],
            summary=FIRST_SEGMENT[language][1].format(place=place.name),
            keywords=[terms["Village life"]],
            places=[place],
            people=[narrator] if narrator else [],
        )
        segment_add(
            actor=actor,
            testimony=testimony,
            start_seconds=middle,
            end_seconds=seconds,
            title=second_title,
            summary=text.format(place=place.name),
            keywords=[terms["Expulsion"], terms["Journey"]] if number % 2 == 0 else [terms["Return"]],
            places=[place],
            events=[EXPULSION[language]] if number % 2 == 0 else [],
        )
    stdout.write(
        f"Testimonies: {len(ACCOUNTS)} synthetic testimonies with silent recordings, "
        f"{Term.objects.count()} thesaurus terms.\n"
    )
