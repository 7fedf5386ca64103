"""Name parsing across scripts, orders and registers (pure engine, no database)."""

import pytest

from yurd.names.personal import parse_name, surname_stem
from yurd.names.scripts import Script, detect_script


def test_script_detection_names_each_script():
    assert detect_script("Məmmədov") == Script.LATIN
    assert detect_script("Мамедов") == Script.CYRILLIC
    assert detect_script("Մամեդով") == Script.ARMENIAN
    assert detect_script("Мамедов Ali") == Script.MIXED
    assert detect_script("12.03.1951") == Script.NONE


@pytest.mark.parametrize(
    "full_name",
    [
        "Мамедов Али Гасан оглы",
        "Məmmədov Əli Həsən oğlu",
        "MAMMADOV, ALI HASAN OGLY",
        "Ali Hasan oglu Mammadov",
        "Мамедов Али Гасанович",
        "Кербалай Мамедов Али Гасан оглы",
        "Мамедов Али Гасан",
    ],
)
def test_full_names_in_every_form_give_the_same_parts(full_name):
    name = parse_name(full_name=full_name)
    assert (name.surname, name.given, name.patronymic) == ("mamadov", "ali", "gasan")


def test_split_columns_win_and_a_patronymic_inside_the_given_name_is_found():
    name = parse_name(given_name="Али Гасанович", surname="Мамедов")
    assert (name.surname, name.given, name.patronymic, name.sex_hint) == ("mamadov", "ali", "gasan", "m")


def test_womens_names_give_the_family_surname_and_a_female_hint():
    name = parse_name(full_name="Məmmədova Gülnarə Həsən qızı")
    assert (name.surname, name.given, name.patronymic, name.sex_hint) == ("mamadov", "gulnara", "gasan", "f")
    assert parse_name(full_name="Tamilla Jafarova").sex_hint == "f"
    assert parse_name(full_name="Мамедов Али Гасанович").sex_hint == "m"


def test_given_name_and_surname_in_either_order():
    first = parse_name(full_name="Hüseyn Əliyev")
    second = parse_name(full_name="Алиев Гусейн")
    assert (first.given, first.surname) == (second.given, second.surname)


def test_refugee_list_name_without_surname_keeps_the_patronymic():
    name = parse_name(full_name="Али Гасанъ-оглы")
    assert (name.given, name.surname, name.patronymic) == ("ali", "", "gasan")


def test_hadji_is_a_title_only_before_a_full_name():
    assert parse_name(full_name="Гаджи Мамедов Али Гасан оглы").given == "ali"
    assert parse_name(full_name="Мамедов Гаджи Гасан оглы").given == "gaji"


def test_given_name_variants_meet():
    assert parse_name(full_name="Məhəmməd Əliyev").given == parse_name(full_name="Алиев Магомед").given
    assert parse_name(full_name="Hüseyin Əliyev").given == parse_name(full_name="Алиев Гусейн").given


def test_surname_stems_join_the_forms_of_a_family_name():
    assert surname_stem("mamadov") == surname_stem("mamadli") == surname_stem("mamadzada") == "mamad"


@pytest.mark.parametrize(
    "surnames",
    [
        ["Quluyev", "Кулиев", "Guliyev", "Guluev"],  # Russian writes Qulu as Кули
        ["Əliyev", "Əlizadə", "Əlili"],  # the name's last vowel before a modern ending
        ["Mirzəyev", "Мирзоев", "Mirzoeva"],
        ["Mehdiyev", "Мехтиева", "Mehdili"],
    ],
)
def test_surname_stems_drop_the_vowel_the_scripts_write_differently(surnames):
    stems = {surname_stem(parse_name(surname=surname).surname) for surname in surnames}
    assert len(stems) == 1, stems


def test_an_ov_surname_wins_over_a_given_name_ending_in_li():
    # Vəli ends like Məmmədli; the -ov ending tells which word is the surname.
    assert parse_name(full_name="Vali Babayev") == parse_name(full_name="BABAYEV, VALI")
    assert parse_name(full_name="Vali Huseynov").given == "vali"
    assert parse_name(full_name="Vali Mammadli").surname == "mamadli"


@pytest.mark.parametrize(
    ("full_name", "given_name", "surname"),
    [
        ("Hüseynova Xanım Musa qızı", "", ""),
        ("Гусейнова Ханым Муса гызы", "", ""),
        ("", "Xanım", "Hüseynova"),
    ],
)
def test_xanim_standing_alone_is_the_given_name_not_a_title(full_name, given_name, surname):
    # Before: Xanım was dropped as an honorific and the record had no given name at all, so the
    # registry's and the household book's records of one woman were never compared.
    name = parse_name(full_name=full_name, given_name=given_name, surname=surname)
    assert (name.surname, name.given) == ("gusainov", "ganim")


def test_xanim_after_a_name_is_still_a_title():
    assert parse_name(full_name="Firuzə xanım Əliyeva").given == "firuza"
    assert parse_name(full_name="Məşədi Əli Əliyev").given == "ali"
