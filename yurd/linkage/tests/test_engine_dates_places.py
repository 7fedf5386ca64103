"""Dates, sexes and places as sources write them (pure engine, no database)."""

import pytest

from yurd.linkage.matching.linker import compared_pairs
from yurd.linkage.matching.records import normalise_record, place_blocks
from yurd.names.dates import BirthDate, compare_birth_dates, parse_birth_date
from yurd.names.places import Gazetteer
from yurd.names.sexes import parse_sex


@pytest.mark.parametrize(
    "text", ["12.03.1951", "1951-03-12", "19510312", "12 марта 1951", "12 mart 1951", "12/03/1951"]
)
def test_one_date_in_every_format(text):
    date = parse_birth_date(text)
    assert (date.year, date.month, date.day) == (1951, 3, 12)


def test_us_order_is_read_when_the_day_is_above_twelve():
    date = parse_birth_date("03/25/1951")
    assert (date.month, date.day) == (3, 25)


@pytest.mark.parametrize("text", ["1951", "01.01.1951", "1951 г.", "ок. 1951", "?.?.1951"])
def test_year_only_and_first_of_january_mean_the_year_is_all_that_is_known(text):
    date = parse_birth_date(text)
    assert date.year == 1951
    assert date.month_day is None


def test_empty_and_nonsense_dates_are_unknown():
    assert not parse_birth_date("").is_known
    assert not parse_birth_date("unknown").is_known


def test_dates_compare_as_evidence():
    full = parse_birth_date("12.03.1951")
    assert compare_birth_dates(full, parse_birth_date("1951-03-12")).level == "exact"
    assert compare_birth_dates(full, parse_birth_date("03.12.1951")).level == "swapped"
    assert compare_birth_dates(full, parse_birth_date("1951")).level == "year_only"
    assert compare_birth_dates(full, parse_birth_date("1952")).level == "one_year"
    assert compare_birth_dates(full, parse_birth_date("1960")).level == "different"
    assert compare_birth_dates(full, BirthDate()).level == "unknown"


@pytest.mark.parametrize(
    ("text", "sex"),
    [("m", "m"), ("Kişi", "m"), ("муж.", "m"), ("F", "f"), ("qadın", "f"), ("жен", "f"), ("", ""), ("?", "")],
)
def test_sex_in_any_language(text, sex):
    assert parse_sex(text) == sex


@pytest.mark.parametrize(
    "text",
    [
        "Qarabulaq",
        "Qarabulaq k.",
        "с. Карабулак, Арм. ССР",
        "Qarabulaq kəndi, Laçın r-nu",
        "Qarabulaq (Yernjatap)",
        "Yernjatap",
        "Երնջատափ",
    ],
)
def test_free_text_villages_resolve_through_names_in_every_script(text):
    gazetteer = Gazetteer({"11": ["Qarabulaq", "Карабулак", "Yernjatap", "Երնջատափ"], "12": ["Qaracallı"]})
    assert gazetteer.resolve(text) == "11"


def test_unknown_village_keeps_its_folded_name_as_key():
    gazetteer = Gazetteer({"11": ["Qarabulaq"]})
    assert gazetteer.resolve("Şıxlar") is None
    assert gazetteer.place_key("Şıxlar k.") == gazetteer.place_key("Шыхлар")


def test_a_name_several_villages_share_keeps_every_candidate():
    gazetteer = Gazetteer({"11": ["Təzəkənd", "Nor Gyugh"], "12": ["Təzəkənd"], "13": ["Qarabulaq"]})
    assert gazetteer.resolve("Təzəkənd k.") is None
    assert gazetteer.place_key("Təzəkənd k.") == gazetteer.place_key("с. Тазакенд") == "#11|#12"
    # The later name belongs to one of them only, and settles the shared one.
    assert gazetteer.place_key("Təzəkənd (Nor Gyugh)") == gazetteer.place_key("Nor Gyugh") == "#11"


def test_villages_one_ambiguous_name_may_mean_share_one_blocking_key():
    blocks = place_blocks(["#11|#12", "#12", "#11", "#13", "#13|#14|#15|#16|#17", "qarabulaq", ""])
    assert blocks["#11|#12"] == blocks["#11"] == blocks["#12"] == "#11"
    assert blocks["#13"] == "#13"  # a name five villages share widens no village's block
    assert blocks["#13|#14|#15|#16|#17"] == "#13|#14|#15|#16|#17"
    assert blocks["qarabulaq"] == "qarabulaq"


def test_a_village_name_two_villages_share_meets_the_village_named_uniquely():
    # Təzəkənd is two villages' name; Nor Gyugh is one of them. Without a date on one side, only a
    # rule on the place brings the two records of Əli Məmmədov together.
    gazetteer = Gazetteer({"11": ["Təzəkənd", "Nor Gyugh"], "12": ["Təzəkənd", "Ayrum"]})
    rows = [
        {"record_id": "a", "full_name": "Məmmədov Əli", "origin_place": "Təzəkənd k."},
        {"record_id": "b", "full_name": "Мамедов Али", "birth_date": "1950", "origin_place": "Nor Gyugh"},
        {"record_id": "c", "full_name": "Həsənova Leyla", "birth_date": "1960", "origin_place": "Ayrum"},
    ]
    records = [normalise_record(row, gazetteer) for row in rows]
    assert records[0].place_key == "#11|#12"
    assert ("a", "b") in compared_pairs(records)


@pytest.mark.parametrize(
    ("registry", "form"),
    [
        # A misspelt given name, the date month first on an online form.
        ({"full_name": "Məmmədov Nicat Cəfər oğlu"}, {"full_name": "Niat Memmedov"}),
        # A surname changed at marriage, the given name spelt another way.
        ({"full_name": "Quliyeva Nərgiz Zakir qızı"}, {"full_name": "HACIYEVA NARGIZA"}),
    ],
)
def test_a_full_date_written_month_first_is_compared_despite_a_name_that_differs(registry, form):
    rows = [
        {"record_id": "a", "birth_date": "1958-05-04", "origin_place": "Şorsöyüd", **registry},
        {"record_id": "b", "birth_date": "05/04/1958", "origin_place": "Armenia", **form},
    ]
    records = [normalise_record(row) for row in rows]
    assert records[0].birth.month_day == records[1].birth.month_day_swapped
    assert ("a", "b") in compared_pairs(records)


def test_both_names_misspelt_meet_on_the_father_the_year_and_the_village():
    rows = [
        {"record_id": "a", "full_name": "Оруҹов Әзиз Фәрһад оғлу", "birth_date": "1961", "origin_place": "Алабел"},
        {
            "record_id": "b",
            "surname": "Orcov",
            "given_name": "zAiz",
            "patronymic": "Farhad oglu",
            "birth_date": "1961",
            "origin_place": "Alabel",
        },
    ]
    records = [normalise_record(row) for row in rows]
    assert (records[0].given_key, records[0].surname_stem) != (records[1].given_key, records[1].surname_stem)
    assert ("a", "b") in compared_pairs(records)
