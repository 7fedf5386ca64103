"""Finding a place by any of its names, in any script, in transliteration, with typos."""

from __future__ import annotations

import pytest

from yurd.places.models import PlaceKind
from yurd.places.selectors import place_search
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.usefixtures("demo_places")


def codes(query: str, *, kind: str | None = None) -> list[str]:
    return [match.place.code for match in place_search(query, kind=kind)]


@pytest.mark.parametrize(
    "query",
    [
        "Qarabulaq",  # historical Azerbaijani, Latin
        "Гарабулаг",  # Azerbaijani Cyrillic and Soviet Russian
        "Երնջատապ",  # current Armenian
        "Yernjatap",  # its romanisation
        "Garabulag",  # Russian-style Latin
        "qarabulaq",  # any case
    ],
)
def test_every_script_finds_the_village(query: str) -> None:
    assert "AM-AR-VED-001" in codes(query)


def test_cyrillic_query_finds_the_latin_name() -> None:
    match = next(match for match in place_search("Девели") if match.place.code == "AM-AR-ART-001")
    assert match.place.name == "Dəvəli"


def test_current_name_finds_the_place_with_its_former_names() -> None:
    match = next(match for match in place_search("Vedi") if match.place.code == "AM-AR-VED-002")
    texts = {name.text for name in match.names}
    assert {"Böyük Vedi", "Бөјүк Веди", "Vedi", "Վեդի"} <= texts


def test_prefix_finds_while_typing() -> None:
    assert "AM-AR-VED-001" in codes("Qarabu")


def test_word_inside_a_name_is_found() -> None:
    assert "AM-GR-BAS-006" in codes("Məzrə")  # "Böyük Məzrə"


def test_a_typo_still_finds_the_village() -> None:
    assert "AM-GR-BAS-007" in codes("Narimanly")  # Narımanlı
    assert "AM-GR-CHB-001" in codes("Toxlucha")  # Toxluca


def test_exact_matches_rank_before_fuzzy_ones() -> None:
    results = place_search("Qarabulaq")
    assert results[0].score >= results[-1].score
    assert results[0].matched == "Qarabulaq"


def test_kind_filter_keeps_only_that_kind() -> None:
    assert codes("Vedi", kind=PlaceKind.DISTRICT) == ["AM-AR-VED"]


def test_nonsense_and_empty_queries_find_nothing() -> None:
    assert codes("Zzxqwv") == []
    assert codes("  ") == []


def test_place_without_name_rows_is_found_by_its_primary_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.settlement_b1.code in codes("Демирчи")
