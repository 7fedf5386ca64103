"""Resolving free-text place mentions from imported lists to one settlement."""

from __future__ import annotations

import pytest

from yurd.places.models import Place
from yurd.places.selectors import PlaceResolver, place_resolve, place_with_district

pytestmark = pytest.mark.usefixtures("demo_places")


@pytest.mark.parametrize(
    "text",
    [
        "Qarabulaq (Yernjatap)",
        "Yernjatap",
        "Qarabulaq, Vedi r-nu",
        "Vedi rayonu, Qarabulaq kəndi",
        "с. Гарабулаг, Ведийский р-н",
        "Арм. ССР, Ведийский район, с. Гарабулаг",
        "Ernjatap (Garabulag)",
    ],
)
def test_free_text_resolves_to_the_one_village(text: str) -> None:
    place = place_resolve(text)
    assert isinstance(place, Place), place
    assert place.code == "AM-AR-VED-001"


def test_village_marker_alone_reports_the_ambiguity() -> None:
    result = place_resolve("Qarabulaq k.")
    assert isinstance(result, list)
    assert [place.code for place in result] == ["AM-AR-VED-001", "AM-AR-ZNG-001"]
    assert isinstance(place_resolve("с. Гарабулаг"), list)


def test_district_marker_resolves_to_the_district() -> None:
    place = place_resolve("Vedi r-nu")
    assert isinstance(place, Place)
    assert place.code == "AM-AR-VED"


def test_plain_name_prefers_the_settlement_over_the_district() -> None:
    place = place_resolve("Vedi")
    assert isinstance(place, Place)
    assert place.code == "AM-AR-VED-002"


def test_unknown_place_is_none_not_a_guess() -> None:
    assert place_resolve("Nowhereabad k.") is None
    assert place_resolve("") is None
    assert place_resolve("Qarabulaq, Kapan r-nu") is None  # no Qarabulaq in that district


def test_resolver_remembers_answers() -> None:
    resolver = PlaceResolver()
    first = resolver("Yernjatap")
    assert resolver("Yernjatap") is first


def test_a_district_in_parentheses_tells_villages_of_one_name_apart() -> None:
    latin, cyrillic = place_resolve("Qarabulaq (Vedi)"), place_resolve("Гарабулаг (Зәнҝибасар)")
    assert isinstance(latin, Place) and latin.code == "AM-AR-VED-001"
    assert isinstance(cyrillic, Place) and cyrillic.code == "AM-AR-ZNG-001"
    # No Qarabulaq in Kapan district: still ambiguous, so the candidates can be listed.
    assert isinstance(place_resolve("Qarabulaq (Kapan)"), list)


def test_each_candidate_of_an_ambiguous_name_is_written_so_that_it_resolves_alone() -> None:
    candidates = place_resolve("Qarabulaq")
    assert isinstance(candidates, list)

    written = place_with_district(candidates)

    assert written == ["Qarabulaq (Vedi)", "Qarabulaq (Masis)"]
    assert [place_resolve(text) for text in written] == candidates
