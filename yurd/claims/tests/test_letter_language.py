"""Letters in az and ru carry no English word, localised numbers and dates, the appeal rights, and are recorded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import strip_tags

from yurd.accounts.models import User
from yurd.claims.letters import decision_letter_html, letter_record_sent
from yurd.claims.models import ClaimEvent, LetterRecord
from yurd.claims.tests.conftest import World, actor, advance, login, new_claim

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "claims" / "letter.html"
CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "az" / "LC_MESSAGES" / "django.po"


def _letter_msgids() -> set[str]:
    """The English strings of the letter: its template's translated texts and the decision's labels."""
    source = TEMPLATE.read_text()
    ids = set(re.findall(r'{% translate "([^"]+)" %}', source))
    for block in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", source, flags=re.S):
        ids.update(part.strip() for part in re.split(r"{{[^}]+}}", block) if len(part.strip()) > 3)
    ids.update({"granted", "rejected", "partly granted", "individual", "on appeal", "re-valuation"})
    return ids


ENGLISH_VALUATION_TEXT = ["SUR to AZN", "redenomination", "Inflation", "m2", "8874.00", "10200"]


@pytest.mark.parametrize("language", ["az", "ru"])
@override_settings(YURD_ORGANISATION_NAME="Yurd İcması", YURD_ORGANISATION_ADDRESS="Nizami küç. 1|AZ1000 Bakı")
def test_az_and_ru_letters_contain_no_english_word(world: World, assessor: User, reviewer: User, language: str) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    decision = claim.decisions.get()
    text = strip_tags(decision_letter_html(decision, language=language))
    english = [msgid for msgid in _letter_msgids() if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)]
    assert english == []
    for phrase in ENGLISH_VALUATION_TEXT:
        assert phrase not in text
    assert "8\xa0874,00" in text  # localised number
    assert "m²" in text
    assert "Yurd İcması" in text and "AZ1000 Bakı" in text
    # Appeal rights and the deadline, as a localised date.
    assert {"az": "şikayət edə", "ru": "обжаловать"}[language] in text
    catalogue = CATALOGUE.read_text()
    assert "Your right to appeal" in catalogue


def test_a_sent_letter_is_recorded_and_reprinted(world: World, assessor: User, reviewer: User, registrar: User) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    decision = claim.decisions.get()
    record = letter_record_sent(
        actor=actor(registrar), decision=decision, language="ru", recipient="Məmmədov Əli, Sumqayıt", channel="post"
    )
    assert LetterRecord.objects.get(claim=claim) == record and "Решение" in record.html
    assert ClaimEvent.objects.filter(claim=claim, action="letter_sent").exists()
    client = login(Client(), registrar)
    page = client.get(reverse("claims:decision_detail", args=[claim.case_number, decision.number])).content.decode()
    assert "Məmmədov Əli, Sumqayıt" in page
    response = client.get(reverse("claims:letter_reprint", args=[claim.case_number, record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
