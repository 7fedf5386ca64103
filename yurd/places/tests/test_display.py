"""Place names in the page's script and place lists in the page's alphabetical order."""

from __future__ import annotations

import pytest
from django.forms.models import ModelChoiceIterator
from django.template import Context, Template
from django.utils import translation

from yurd.names.collation import sort_key, sorted_names
from yurd.places.models import NameKind, NameScript, PlaceKind, PlaceName
from yurd.registry.forms import PlaceChoiceField
from yurd.testing.personas import make_place

AZ_DISTRICTS = ["Zəngilan", "Şuşa", "Çəmənli", "Cəbrayıl", "Əsgəran", "Ağdam", "İmişli", "Ordubad", "Ömərli", "Üçtəpə"]


def test_azerbaijani_alphabet_orders_letters_with_marks_beside_their_base() -> None:
    assert sorted_names(AZ_DISTRICTS, "az") == [
        "Ağdam", "Cəbrayıl", "Çəmənli", "Əsgəran", "İmişli", "Ordubad", "Ömərli", "Şuşa", "Üçtəpə", "Zəngilan",
    ]  # fmt: skip
    # Python's own order puts Ç, Ə, Ş, Ü, Ö, İ after Z.
    assert sorted(AZ_DISTRICTS)[-1] != "Zəngilan"


@pytest.mark.parametrize(
    ("before", "after"),
    [("Cəlil", "Çiçək"), ("Ekin", "Əli"), ("Gəncə", "Ğaz"), ("Işıq", "İlham"), ("Oba", "Ömər"), ("Sara", "Şərur"),
     ("Ulu", "Ürək"), ("Hacı", "Xan"), ("Kür", "Qax"), ("ağdam", "Ağdərə")],
)  # fmt: skip
def test_each_azerbaijani_letter_pair(before: str, after: str) -> None:
    assert sort_key(before, "az") < sort_key(after, "az")


def test_russian_order_is_the_cyrillic_alphabet_with_yo_after_ye() -> None:
    assert sorted_names(["Яблоновка", "Ёлкино", "Ежово", "Абрамово", "Agdam"], "ru") == [
        "Абрамово", "Ежово", "Ёлкино", "Яблоновка", "Agdam",
    ]  # fmt: skip


@pytest.fixture
def villages(db: None) -> list:
    district = make_place("AZ-SSA", "Şuşa", PlaceKind.DISTRICT)
    places = []
    for code, az, ru in (("V1", "Zarıslı", "Зарысли"), ("V2", "Çanaqçı", "Чанахчи"), ("V3", "Cəmilli", "Джамилли")):
        place = make_place(code, az, PlaceKind.SETTLEMENT, district)
        PlaceName.objects.create(place=place, text=az, language=NameScript.AZ_LATN, kind=NameKind.HISTORICAL)
        PlaceName.objects.create(place=place, text=ru, language=NameScript.RU, kind=NameKind.HISTORICAL)
        places.append(place)
    # A later official Russian name, not the one of the community's period.
    PlaceName.objects.create(
        place=places[0], text="Новое", language=NameScript.RU, kind=NameKind.OFFICIAL, year_from=1991
    )
    return places


def test_a_russian_page_shows_the_russian_form_and_an_azerbaijani_page_the_latin(villages: list) -> None:
    template = Template("{% for place in places %}{{ place|place_name }};{% endfor %}")
    with translation.override("ru"):
        assert template.render(Context({"places": villages})) == "Зарысли;Чанахчи;Джамилли;"
    with translation.override("az"):
        assert template.render(Context({"places": villages})) == "Zarıslı;Çanaqçı;Cəmilli;"
    with translation.override("en"):
        assert template.render(Context({"places": villages})) == "Zarıslı;Çanaqçı;Cəmilli;"


def test_place_lists_are_sorted_in_the_page_language(villages: list) -> None:
    field = PlaceChoiceField(queryset=villages[0].__class__.objects.filter(kind=PlaceKind.SETTLEMENT))
    choices = field.choices
    assert isinstance(choices, ModelChoiceIterator)
    with translation.override("az"):
        assert [str(label).split(" (")[0] for _, label in choices][1:] == ["Cəmilli", "Çanaqçı", "Zarıslı"]
