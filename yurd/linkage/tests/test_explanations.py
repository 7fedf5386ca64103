"""A pair's explanation is stored as reasons (codes with parameters) and shown in the reader's
language; pairs stored before reasons existed still show their text (issue 17)."""

from __future__ import annotations

import html
import importlib
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from yurd.core.jobs import job_start
from yurd.linkage.matching.linker import dedupe
from yurd.linkage.matching.reasons import CATALOGUE, STRENGTH, TEXT, parse
from yurd.linkage.models import MatchCandidate
from yurd.linkage.services import candidate_propose
from yurd.linkage.tasks import DUPLICATE_SCAN, duplicate_scan
from yurd.registry.models import Person
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer

ROWS = [
    {"record_id": "1", "full_name": "Мамедов Али Гасан оглы", "sex": "m", "birth_date": "12.03.1951",
     "origin_place": "Qarabulaq"},
    {"record_id": "2", "surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "sex": "m",
     "birth_date": "1951", "origin_place": "Qarabulaq"},
    {"record_id": "3", "surname": "Məmmədov", "given_name": "Əli", "patronymic": "Hüseyn oğlu", "sex": "m",
     "birth_date": "1962", "origin_place": "Qarabulaq"},
    {"record_id": "4", "full_name": "Гасанова Лейла", "sex": "f", "birth_date": "1960", "document_number": "AB 12345",
     "address": "ул. Низами, д. 12"},
    {"record_id": "5", "surname": "Həsənova", "given_name": "Leyla", "sex": "f", "birth_date": "1960",
     "document_number": "АВ 12345", "address": "Nizami küç. 12"},
]  # fmt: skip


def test_the_engine_gives_reasons_as_known_codes_and_no_sentence():
    pairs = dedupe(ROWS, review_threshold=0.02).pairs
    assert pairs
    codes = {reason["code"] for pair in pairs for reason in pair.reasons}
    assert TEXT not in codes
    assert codes <= set(CATALOGUE)
    # The English of the command line is a rendering of the codes, and reads back to them.
    for pair in pairs:
        assert parse(pair.explanation) == list(pair.reasons)
    # Parameters are the records' own values, not words: names as written, years, counts.
    by_code = {reason["code"]: reason for pair in pairs for reason in pair.reasons}
    years = {key: value for key, value in by_code["date.years_differ"].items() if key != "strength"}
    assert years in (
        {"code": "date.years_differ", "first": "1951", "second": "1962"},
        {"code": "date.years_differ", "first": "1962", "second": "1951"},
    )
    assert {"code": "document.same", "strength": "for"} in [r for pair in pairs for r in pair.reasons]


def test_parameters_are_kept_as_written():
    reasons = parse("names: Мамедов Али / Məmmədov Əli; birth years differ (1951 and 1962) (strong evidence against)")
    assert reasons == [
        {"code": "names", "left": "Мамедов Али", "right": "Məmmədov Əli"},
        {"code": "date.years_differ", "first": "1951", "second": "1962", "strength": "against"},
    ]
    assert parse("something new the engine says") == [{"code": TEXT, "text": "something new the engine says"}]


@pytest.mark.parametrize("language", ["az", "ru"])
def test_every_reason_is_translated_with_its_placeholders(language: str) -> None:
    path = Path(settings.BASE_DIR) / "yurd/linkage/locale" / language / "LC_MESSAGES/django.po"
    catalogue = {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)) if entry.msgstr}
    for template in [*CATALOGUE.values(), *STRENGTH.values()]:
        assert template in catalogue, template
        for placeholder in ("%(left)s", "%(right)s", "%(gap)s", "%(first)s", "%(second)s", "%(count)s"):
            assert (placeholder in template) == (placeholder in catalogue[template]), template


@pytest.fixture
def two_alis(gazetteer: Gazetteer) -> tuple[Person, Person]:
    household = register(
        origin=gazetteer.settlement_a1,
        members=[
            {"surname": "Məmmədov", "given_name": "Əli", "sex": "m", "birth_date": "1951", "household_role": "head"},
            {"surname": "Məmmədov", "given_name": "Əli", "sex": "m", "birth_date": "1962", "household_role": "child"},
        ],
    )
    first, second = household.members.order_by("pk")
    return first, second


@pytest.mark.django_db
def test_a_queued_pair_stores_reasons_and_shows_them_in_the_readers_language(two_alis):
    first, second = two_alis
    explanation = (
        "names: Məmmədov Əli / Мамедов Али; surname agrees (strong evidence); birth years differ (1951 and 1962)"
    )
    candidate = candidate_propose(first=first, second=second, probability=0.7, explanation=explanation, origin="scan")
    assert candidate is not None
    candidate.refresh_from_db()
    assert candidate.reasons[1] == {"code": "surname.agrees", "strength": "for"}
    with translation.override("en"):
        assert candidate.explanation_parts == explanation.split("; ")
    with translation.override("az"):
        assert candidate.explanation_parts == [
            "adlar: Məmmədov Əli / Мамедов Али",
            "soyad eynidir (güclü sübut)",
            "doğum illəri fərqlidir (1951 və 1962)",
        ]
    with translation.override("ru"):
        assert candidate.explanation_parts[2] == "годы рождения различаются (1951 и 1962)"


@pytest.mark.django_db
def test_a_pair_stored_as_text_still_shows_and_the_migration_reads_it_into_reasons(two_alis):
    first, second = two_alis
    old = MatchCandidate.objects.create(
        left=first, right=second, probability=0.6, explanation="same village; sex differs", origin="scan"
    )
    assert old.reasons == []
    assert old.explanation_parts == ["same village", "sex differs"]  # the fallback
    migration = importlib.import_module("yurd.linkage.migrations.0003_match_reasons_from_text")
    migration.reasons_from_text(apps, None)
    old.refresh_from_db()
    assert old.reasons == [{"code": "place.same"}, {"code": "sex.differs"}]
    with translation.override("az"):
        assert old.explanation_parts == ["eyni kənd", "cins fərqlidir"]


@pytest.mark.django_db
def test_a_scanned_pair_shows_no_english_on_the_azerbaijani_page(gazetteer, client, registrar):
    register(
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "sex": "m",
                  "birth_date": "12.03.1951", "household_role": "head"}],
    )  # fmt: skip
    register(
        origin=gazetteer.settlement_a1,
        members=[{"surname": "Мамедов", "given_name": "Али", "patronymic": "Гасанович", "sex": "m",
                  "birth_date": "1951", "household_role": "head"}],
    )  # fmt: skip
    job_start(DUPLICATE_SCAN, None, duplicate_scan)
    candidate = MatchCandidate.objects.get()
    # Stored as the engine's codes, not as English that is parsed afterwards.
    assert candidate.reasons and all(reason["code"] in CATALOGUE for reason in candidate.reasons)
    client.force_login(registrar)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "az"
    page = client.get(reverse("linkage:candidate_detail", args=[candidate.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    shown = re.search(r'<ul class="linkage-explanation">(.*?)</ul>', body, re.S)
    assert shown is not None
    items = re.findall(r"<li>(.*?)</li>", shown.group(1), re.S)
    assert len(items) == len(candidate.reasons)
    english = {template.split("%(")[0].strip(" :(") for template in [*CATALOGUE.values(), *STRENGTH.values()]}
    for item in items:
        text = html.unescape(item)
        assert not any(phrase and phrase in text for phrase in english), text
    assert html.unescape(items[0]).startswith("adlar: ")
