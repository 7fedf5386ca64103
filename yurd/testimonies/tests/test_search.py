from __future__ import annotations

import pytest

from yurd.testimonies import selectors
from yurd.testimonies.tests.conftest import make_testimony

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "Qarabulaq",  # Azerbaijani as written
        "Карабулаг",  # Russian spelling of the same village
        "karabulag",  # Latin, no diacritics
        "next to the mosque",  # English phrase of the translation
        "AYRILIQ GECƏSİ",  # segment summary, upper case
    ],
)
def test_search_finds_transcripts_and_summaries_in_any_script(archivist, testimony, query):
    hits = selectors.testimony_search(user=archivist, query=query)
    assert hits
    assert {hit.testimony for hit in hits} == {testimony}


def test_restricted_testimony_is_hidden_from_a_researcher(archivist, heritage_researcher, gazetteer):
    make_testimony(gazetteer, title="Restricted account", access_level="restricted")
    assert selectors.testimony_search(user=archivist, query="Qarabulaq")
    assert selectors.testimony_search(user=heritage_researcher, query="Qarabulaq") == []


def test_registrar_sees_only_testimonies_within_her_scope(registrar, gazetteer):
    inside = make_testimony(gazetteer, title="Inside")
    outside = make_testimony(gazetteer, title="Outside")
    outside.place = gazetteer.settlement_b1
    outside.save()
    assert {hit.testimony for hit in selectors.testimony_search(user=registrar, query="mosque")} == {inside}
