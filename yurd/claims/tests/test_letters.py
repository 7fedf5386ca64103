"""Acknowledgement, request for documents and appeal outcome letters: per language, every word translated,
letterhead, the claimant's address, localised dates and numbers; each sent letter recorded and reprintable."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import strip_tags

from yurd.accounts.models import User
from yurd.claims.letters import acknowledgement_html, appeal_outcome_html, documents_request_html, letter_record_sent
from yurd.claims.models import Appeal, ClaimEvent, LetterKind, LetterRecord
from yurd.claims.services.appeals import appeal_decide, claim_appeal
from yurd.claims.services.decisions import claim_decide
from yurd.claims.tests.conftest import World, actor, advance, login, new_claim
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.registry.models import ContactDetails

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "claims" / "letters"
HEAD = {"YURD_ORGANISATION_NAME": "Yurd İcması", "YURD_ORGANISATION_ADDRESS": "Nizami küç. 1|AZ1000 Bakı"}


def _msgids(name: str) -> set[str]:
    """The English texts of a letter's template and of the base it extends."""
    ids: set[str] = set()
    for path in (TEMPLATES / name, TEMPLATES / "base.html"):
        source = path.read_text()
        ids.update(re.findall(r'{% translate "([^"]+)" %}', source))
        for block in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", source, flags=re.S):
            ids.update(part.strip() for part in re.split(r"{{[^}]+}}", block) if len(part.strip()) > 3)
    return ids


def _english(text: str, name: str) -> list[str]:
    return [msgid for msgid in _msgids(name) if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)]


def _with_address(world: World) -> None:
    ContactDetails.objects.create(person=world.head_a, address="Sumqayıt, 9-cu mkr., ev 14, mənzil 7")


@pytest.fixture
def appealed(world: World, assessor: User, reviewer: User, second_reviewer: User) -> Appeal:
    claim = advance(new_claim(world), to="approved", assessor=assessor, reviewer=reviewer)
    claim_decide(actor=actor(reviewer), claim=claim, expected_version=claim.version, outcome="rejected", reason="No")
    claim.refresh_from_db()
    claim_appeal(actor=actor(None), claim=claim, expected_version=claim.version, reason="The deed was found")
    appeal = Appeal.objects.get(claim=claim)
    appeal_decide(actor=actor(second_reviewer), appeal=appeal, outcome="granted", reason="Deed seen")
    appeal.refresh_from_db()
    return appeal


@pytest.mark.parametrize("language", ["az", "ru"])
@override_settings(**HEAD)
def test_letters_in_az_and_ru_have_no_english_word_and_carry_letterhead_and_address(
    world: World, appealed: Appeal, language: str
) -> None:
    _with_address(world)
    claim = new_claim(world, items=[{"reference": "Barn"}])
    respond_by = dt.date(2027, 3, 1)
    letters = {
        "acknowledgement.html": acknowledgement_html(claim, language=language),
        "documents_request.html": documents_request_html(
            claim, documents=["Title deed of the barn"], respond_by=respond_by, language=language
        ),
        "appeal_outcome.html": appeal_outcome_html(appealed, language=language),
    }
    with translation.override(language):
        answer_by = formats.date_format(respond_by, "DATE_FORMAT")
    for name, html in letters.items():
        text = strip_tags(html)
        assert _english(text, name) == [], name
        assert "Yurd İcması" in text and "AZ1000 Bakı" in text
        assert "Sumqayıt, 9-cu mkr., ev 14, mənzil 7" in text
        assert claim.case_number in text or appealed.claim.case_number in text
    assert answer_by in strip_tags(letters["documents_request.html"]) and "2027" in answer_by
    assert not re.search(r"\d{4}-\d{2}-\d{2}", strip_tags(letters["documents_request.html"]))
    assert "8\xa0874,00" in strip_tags(letters["appeal_outcome.html"])  # the new award, localised


def test_each_letter_sent_is_recorded_and_reprinted(
    world: World, appealed: Appeal, registrar: User, administrator: User
) -> None:
    claim = appealed.claim
    client = login(Client(), administrator)
    base = {"language": "ru", "channel": "post", "recipient": "Məmmədov Əli, Sumqayıt"}
    sent: list[tuple[str, dict[str, str | int]]] = [
        ("acknowledgement", {}),
        ("documents_request", {"documents": "Title deed\nBirth certificate", "respond_by": "2027-03-01"}),
        ("appeal_outcome", {"appeal": appealed.pk}),
    ]
    for kind, extra in sent:
        response = client.post(reverse("claims:claim_letter", args=[claim.case_number, kind]), {**base, **extra})
        assert response.status_code == 302
    records = {record.kind: record for record in LetterRecord.objects.filter(claim=claim)}
    assert set(records) == {"acknowledgement", "documents_request", "appeal_outcome"}
    assert all(record.recipient == base["recipient"] and record.channel == "post" for record in records.values())
    assert records["appeal_outcome"].decision == appealed.new_decision
    assert "Birth certificate" in records["documents_request"].html
    events = ClaimEvent.objects.filter(claim=claim, action="letter_sent")
    assert sorted(event.detail["kind"] for event in events) == sorted(records)
    page = client.get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode()
    for record in records.values():
        assert reverse("claims:letter_reprint", args=[claim.case_number, record.pk]) in page
    reprint = client.get(reverse("claims:letter_reprint", args=[claim.case_number, records["appeal_outcome"].pk]))
    assert reprint.status_code == 200 and reprint["Content-Type"] == "application/pdf"
    # A request for documents without the documents is refused, and nothing is recorded.
    client.post(reverse("claims:claim_letter", args=[claim.case_number, "documents_request"]), base)
    assert LetterRecord.objects.filter(claim=claim).count() == 3


def test_appeal_documents_are_links_to_vault_items(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    deed = ingest_bytes(b"title deed (synthetic)", name="deed.pdf", title_en="Title deed of house 12")
    client = login(Client(), administrator)
    response = client.post(
        reverse("claims:claim_transition", args=[claim.case_number, "appeal"]),
        {"version": claim.version, "reason": "Too little", "evidence": "Title deed of house 12"},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(claim=claim)
    assert list(appeal.evidence.all()) == [deed]
    page = client.get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode()
    assert reverse("evidence:item_detail", args=[deed.public_code]) in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "request for documents"), ("az", "sənəd sorğusu"), ("ru", "запрос документов")],
)
def test_the_letters_sent_are_listed_by_what_they_are_in_the_readers_language(
    world: World, administrator: User, *, assessor: User, reviewer: User, language: str, expected: str
) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    letter_record_sent(
        actor=actor(administrator),
        kind="documents_request",
        claim=claim,
        language="az",
        recipient="Məmmədov Əli, Sumqayıt",
        channel="post",
        documents=["Title deed"],
        respond_by=dt.date(2027, 3, 1),
    )
    letter_record_sent(
        actor=actor(administrator),
        decision=claim.decisions.get(number=1),
        language="az",
        recipient="Məmmədov Əli, Sumqayıt",
        channel="post",
    )
    client = login(Client(), administrator)
    client.cookies["django_language"] = language
    claim_page = strip_tags(client.get(reverse("claims:claim_detail", args=[claim.case_number])).content.decode())
    decision_page = strip_tags(
        client.get(reverse("claims:decision_detail", args=[claim.case_number, 1])).content.decode()
    )
    assert expected in claim_page
    assert "documents_request" not in claim_page and "— decision," not in claim_page
    with translation.override(language):
        decision_label = str(LetterKind.DECISION.label)
    assert decision_label in decision_page and decision_label in claim_page
