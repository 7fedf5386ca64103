"""Rules that use the household, the family and the scripts (pure engine, no database)."""

import pytest

from yurd.linkage.matching.clustering import (
    cannot_link,
    constrained_clusters,
    different_given_names,
    full_dates_agree,
)
from yurd.linkage.matching.linker import MAX_PRIOR, _finish, dedupe, prior_ceiling
from yurd.linkage.matching.namesakes import ENOUGH_NAMESAKES, cap_by_namesakes, namesake_counts
from yurd.linkage.matching.records import normalise_record
from yurd.names.folding import search_key
from yurd.names.personal import parse_name
from yurd.names.places import Gazetteer


def _record(record_id: str, **fields: str):
    return normalise_record({"record_id": record_id, **fields})


def test_a_grandson_named_after_his_grandfather_is_never_joined_even_by_a_strong_edge():
    grandfather = _record("1", full_name="Əliyev Vəli", birth_date="1921", origin_place="Qarabulaq")
    grandson = _record("2", full_name="ALIEV VALI", birth_date="01.01.1984", origin_place="Qarabulaq")
    assert cannot_link(grandfather, grandson) == "born a generation apart"
    records = {"1": grandfather, "2": grandson}
    assert constrained_clusters(["1", "2"], [("1", "2", 0.99)], records, 0.8)["2"] == "2"


def test_a_mistyped_year_digit_is_not_a_generation():
    one = _record("1", full_name="Əliyev Vəli", birth_date="1951")
    other = _record("2", full_name="Əliyev Vəli", birth_date="1981")
    assert cannot_link(one, other) == ""


def test_two_different_full_birth_dates_are_two_people_but_a_swap_or_a_year_off_is_not():
    first = _record("1", full_name="Həsənov Rauf", birth_date="07.03.1960")
    assert cannot_link(first, _record("2", full_name="Həsənov Rauf", birth_date="21.11.1960"))
    assert cannot_link(first, _record("3", full_name="Həsənov Rauf", birth_date="03.07.1960")) == ""
    assert cannot_link(first, _record("4", full_name="Həsənov Rauf", birth_date="07.03.1961")) == ""
    assert cannot_link(first, _record("5", full_name="Həsənov Rauf", birth_date="1960")) == ""


def test_a_date_in_the_american_order_with_the_year_off_by_one_is_the_same_date():
    # An aid form writes month/day and a year derived from the age: 9 June 1987 becomes 06/09/1988.
    registry = _record("1", full_name="Həsənov Rauf", birth_date="1987-06-09")
    aid_form = _record("2", full_name="Həsənov Rauf", birth_date="06/09/1988")
    assert full_dates_agree(registry, aid_form)
    assert cannot_link(registry, aid_form) == ""
    # Another day and month, a year apart: two dates.
    assert cannot_link(registry, _record("3", full_name="Həsənov Rauf", birth_date="07/10/1988"))


def test_twins_hasan_and_huseyn_are_different_given_names_but_a_typo_is_not():
    hasan = _record("1", full_name="Həsənov Həsən Qurban oğlu", birth_date="1981-09-21")
    huseyn = _record("2", full_name="Həsənov Hüseyn Qurban oğlu", birth_date="1981-09-21")
    assert different_given_names(hasan, huseyn)
    assert cannot_link(hasan, huseyn).startswith("siblings")
    assert not different_given_names(
        _record("3", full_name="Novruz Cabbarlı"), _record("4", full_name="Onvruz Cabbarlı")
    )


def test_an_initial_agrees_with_a_name_of_its_letter():
    full = _record("1", full_name="Гасанова Сакина Тофиковна", birth_date="16.11.1971")
    initials = _record("2", full_name="Гасанова С.Т.", birth_date="16.11.1971")
    assert not different_given_names(full, initials)
    assert cannot_link(full, initials) == ""
    assert different_given_names(full, _record("3", full_name="Гасанова Л.Т."))


def test_an_initial_of_an_iotated_letter_agrees_with_the_name_and_father_it_stands_for():
    # Ю. is "Yu", but Юсиф folds to "usif": the initial must fold to the name's first letter.
    full = _record("1", full_name="Əliyev Süleyman Yusif oğlu", birth_date="17.07.1977")
    initials = _record("2", surname="Алиев", given_name="С.", patronymic="Ю.", birth_date="17.07.1977")
    assert cannot_link(full, initials) == ""
    assert parse_name(full_name="Баширов Ю.Г.").given == parse_name(given_name="Юсиф").given[0]
    assert parse_name(given_name="Я.").given == parse_name(given_name="Яшар").given[0]


def test_one_person_listed_twice_in_one_household_is_found_with_a_full_date_or_father_and_year():
    household = {"source": "household_book", "household_id": "12/7"}
    first = _record("1", full_name="Аллахвердиева Захра Юсиф гызы", birth_date="01.05.1967", **household)
    swapped = _record("2", full_name="Аллахвердиева Захра Юсиф гызы", birth_date="05.01.1967", **household)
    assert cannot_link(first, swapped) == ""
    by_father = _record("3", full_name="Həsənov Hacı Mehdi oğlu", birth_date="1920", **household)
    again = _record("4", full_name="Həsənov Hacı Mehdi oğlu", birth_date="1920-00-00", **household)
    assert cannot_link(by_father, again) == ""
    # Names and a year alone are not enough inside one household.
    plain = _record("5", full_name="Əliyev Əli", birth_date="1990", **household)
    assert cannot_link(plain, _record("6", full_name="Əliyev Əli", birth_date="1990", **household))


def test_armenian_archives_write_the_father_in_the_genitive():
    assert parse_name(full_name="Մուսաև Գազանֆար Նաբիյի").patronymic == "nabi"
    assert parse_name(full_name="Մամեդով Ալի Հասանի").patronymic == "gasan"
    assert parse_name(full_name="Մամեդով Ալի Ալիի").patronymic == "ali"
    assert parse_name(surname="Շիրինլի", given_name="Պերի", patronymic="Կասումի").patronymic == "gasim"


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Quluyev", "Гулуев", "Гулујев"], "guluav"),
        (["Yusif", "Iousif", "Йусиф", "Јусиф"], "usif"),
        (["Məmmədov", "M@mm@dov", "Мамедов"], "mamadov"),
    ],
)
def test_soviet_cyrillic_french_passports_and_ascii_folders_meet(spellings, key):
    assert {search_key(spelling) for spelling in spellings} == {key}


def test_the_country_is_not_a_village():
    gazetteer = Gazetteer({"V1": ["Göyoba", "Гёйоба"]})
    assert gazetteer.place_key("ARMENIA") == ""
    assert gazetteer.place_key("Gyoyoba village, Armenia") == "#V1"


def test_unrelated_given_names_are_two_people_even_when_surname_year_and_village_agree():
    first = _record("1", full_name="Səfərova Bənövşə Qurban qızı", birth_date="1931", origin_place="Köhnəkənd")
    second = _record("2", full_name="Firuze Seferova", birth_date="1931", origin_place="Köhnəkənd")
    assert cannot_link(first, second) == "different given names"
    # A name written into the surname column is not a second given name.
    swapped = _record("3", given_name="Səfərova", surname="Bənövşə", birth_date="1931")
    assert cannot_link(first, swapped) == ""


def test_a_different_first_letter_is_another_name_not_a_misspelling():
    rows = [
        {"record_id": "1", "full_name": "ALIEVA NIGAR", "sex": "f", "birth_date": "27.09.1958"},
        {"record_id": "2", "full_name": "VELIEVA NIGAR", "sex": "f", "birth_date": "27.09.1958"},
        {"record_id": "3", "full_name": "AKPERLI TAMILLA", "sex": "f", "birth_date": "08.09.1950"},
        {"record_id": "4", "full_name": "AKPERLI NAILYA", "sex": "f", "birth_date": "08.09.1950"},
    ]
    result = dedupe(rows)
    levels = {(pair.left, pair.right): pair.explanation for pair in result.pairs}
    assert "surname differs" in levels[("1", "2")]
    assert "given name differs" in levels[("3", "4")]


def test_a_passport_spelling_of_a_village_resolves_by_its_consonants():
    gazetteer = Gazetteer({"V1": ["Təzəsöyüdlü", "Тезесёйюдлю"], "V2": ["Kiçikoba"], "V3": ["Zod"]})
    assert gazetteer.place_key("S. TEZESEYYUDLYU") == "#V1"
    assert gazetteer.place_key("S. KICHIKEBA") == "#V2"
    assert gazetteer.place_key("Zad") == "zad"  # too short to look up by consonants


def test_a_birth_town_on_a_passport_agrees_with_the_registrys_birth_place():
    gazetteer = Gazetteer({"V1": ["Qarabulaq"], "T1": ["Bakı", "Baku"]})
    registry = normalise_record(
        {"record_id": "1", "full_name": "Həsənov Zaur", "birth_place": "Bakı", "origin_place": "Qarabulaq"}, gazetteer
    )
    passport = normalise_record({"record_id": "2", "full_name": "HASANOV ZAUR", "birth_place": "BAKU"}, gazetteer)
    assert (registry.place_key, registry.birth_place_key, passport.place_key) == ("#V1", "#T1", "#T1")
    rows = [
        {"record_id": "1", "full_name": "Həsənov Zaur Novruz oğlu", "birth_date": "12.07.1957", "birth_place": "Bakı",
         "origin_place": "Qarabulaq"},
        {"record_id": "2", "full_name": "HASANOV ZAUR", "birth_place": "BAKU", "birth_date": "12.07.1957"},
    ]  # fmt: skip
    explanation = dedupe(rows, gazetteer=gazetteer).pairs[0].explanation
    assert "same birth place" in explanation


def test_namesakes_of_one_village_cap_a_pair_that_only_names_and_year_join():
    village = {"origin_place": "Qarabulaq", "birth_date": "1950"}
    rows = {
        # Two Məmməd Məmmədovs born in 1950 in one village, told apart in the registry by their fathers.
        "r1": {"source": "registry", "household_id": "1", "full_name": "Məmmədov Məmməd Əli oğlu", **village},
        "r2": {"source": "registry", "household_id": "2", "full_name": "Məmmədov Məmməd Həsən oğlu", **village},
        # A list that names neither father: it can be either of them.
        "l1": {"source": "list", "full_name": "MAMEDOV MAMED", **village},
        # Listed twice in one source: one person, not two namesakes.
        "p1": {"source": "passport", "full_name": "Həsənov Rauf", "origin_place": "Qarabulaq"},
        "p2": {"source": "passport", "full_name": "HASANOV RAUF", "origin_place": "Qarabulaq"},
        "q1": {"source": "list", "full_name": "Həsənov Rauf", "origin_place": "Qarabulaq"},
    }
    records = {record_id: _record(record_id, **row) for record_id, row in rows.items()}
    edges = [("l1", "r1", 0.99), ("r1", "r2", 0.9), ("q1", "p1", 0.97)]
    capped, namesakes = cap_by_namesakes(edges, records, floor=0.5, supported=set())
    assert capped[0] == ("l1", "r1", 0.5)
    assert namesakes[("l1", "r1")] == 2
    assert capped[2] == ("q1", "p1", 0.97)
    # Other members of the two households matching each other separate namesakes.
    assert cap_by_namesakes(edges, records, floor=0.5, supported={("l1", "r1")})[0][0] == ("l1", "r1", 0.99)


def test_the_prior_match_probability_falls_with_the_size_of_the_registry():
    assert prior_ceiling(10) == MAX_PRIOR
    assert prior_ceiling(20_001) == 2 / 20_000
    assert prior_ceiling(400_001) == prior_ceiling(20_001) / 20


def test_namesakes_are_counted_only_as_far_as_the_cap_needs():
    fathers = ["Əli", "Həsən", "Rza", "Musa", "Qasım", "Kamil", "Tofiq", "Nadir", "Arif", "Zaur", "Oruc", "Samir"]
    records = [
        _record(str(number), source="registry", household_id=str(number), full_name=f"Məmmədov Məmməd {father} oğlu")
        for number, father in enumerate(fathers)
    ]
    assert namesake_counts(records, {("mamad", "mamad", "", "")}) == {("mamad", "mamad", "", ""): ENOUGH_NAMESAKES}


def test_namesakes_listed_with_two_families_that_share_no_one_else_are_not_merged():
    # Two Zaur Həsənovs of one village and year, each listed with his household: in one source
    # with his father Zakir, in another with his wife. Nobody else of the two households matches,
    # so the names and the year are a namesake's, not a second record of the same man.
    village = {"origin_place": "Qarabulaq", "birth_date": "1958"}
    rows = {
        "a1": {"source": "registry", "household_id": "1", "full_name": "Həsənov Zaur", **village},
        "a2": {"source": "registry", "household_id": "1", "full_name": "Həsənov Zakir", "birth_date": "1930"},
        "b1": {"source": "list", "household_id": "9", "full_name": "Zaur Həsənov", **village},
        "b2": {"source": "list", "household_id": "9", "full_name": "Gülnarə Həsənova", "birth_date": "1960"},
    }
    records = {record_id: _record(record_id, **row) for record_id, row in rows.items()}
    scored = [("a1", "b1", 0.95)]
    result = _finish(scored, records, threshold=0.8, review_threshold=0.5, trained=False, with_pairs=False)
    assert result.clusters["a1"] != result.clusters["b1"]
    # The same two families seen twice (the father matches too): one man.
    scored = [("a1", "b1", 0.95), ("a2", "c2", 0.9)]
    rows["c2"] = {"source": "list", "household_id": "9", "full_name": "Zakir Həsənov", "birth_date": "1930"}
    records = {record_id: _record(record_id, **row) for record_id, row in rows.items()}
    result = _finish(scored, records, threshold=0.8, review_threshold=0.5, trained=False, with_pairs=False)
    assert result.clusters["a1"] == result.clusters["b1"]
    # A record listed alone (no household, or no one else of it) keeps its probability.
    del rows["b2"], rows["c2"]
    records = {record_id: _record(record_id, **row) for record_id, row in rows.items()}
    result = _finish(
        [("a1", "b1", 0.95)], records, threshold=0.8, review_threshold=0.5, trained=False, with_pairs=False
    )
    assert result.clusters["a1"] == result.clusters["b1"]


def test_two_records_of_one_source_are_not_chained_together_by_an_undated_record():
    # Two Zeynəb Qasımovas of one village, born 1905 and 1928, each listed once by the registry;
    # a community list's undated "Zeynəb Qasımova" matches both. Her edges must not make them one.
    elder = _record("1", source="registry", full_name="Qasımova Zeynəb", birth_date="1905", origin_place="Xanlar")
    younger = _record("2", source="registry", full_name="Qasımova Zeynəb", birth_date="1908", origin_place="Xanlar")
    undated = _record("3", source="community", full_name="Qasımova Zeynəb", origin_place="Xanlar")
    records = {"1": elder, "2": younger, "3": undated}
    assert cannot_link(elder, younger) == ""  # nothing in the two records themselves tells them apart
    clusters = constrained_clusters(["1", "2", "3"], [("1", "3", 0.9), ("2", "3", 0.85)], records, 0.8)
    assert clusters["1"] != clusters["2"]
    assert clusters["3"] == clusters["1"]
    # Linked directly, the model's own judgement stands: one person listed twice by a source.
    clusters = constrained_clusters(
        ["1", "2", "3"], [("1", "3", 0.9), ("2", "3", 0.85), ("1", "2", 0.82)], records, 0.8
    )
    assert clusters["1"] == clusters["2"] == clusters["3"]


def test_a_pair_left_to_the_review_queue_does_not_vouch_for_a_chain():
    # Vəli Əliyev born 1950 and 1946 (birth years far apart): the model gives their own pair 0.6,
    # the review queue's band; an undated Vəli Əliyev matching both must not make them one.
    one = _record("1", source="registry", full_name="Əliyev Vəli", birth_date="1950", origin_place="Xanlar")
    other = _record("2", source="passports", full_name="Əliyev Vəli", birth_date="1946", origin_place="Xanlar")
    undated = _record("3", source="community", full_name="Əliyev Vəli", origin_place="Xanlar")
    records = {"1": one, "2": other, "3": undated}
    edges = [("1", "3", 0.9), ("2", "3", 0.85), ("1", "2", 0.6)]
    clusters = constrained_clusters(["1", "2", "3"], edges, records, 0.8)
    assert clusters["1"] != clusters["2"]


def test_a_given_name_that_lost_letters_is_a_damaged_spelling_not_another_name():
    # A list typed without the Azerbaijani Cyrillic letters: Һәсән lost its с, Мәммәд an ә.
    typed = _record("1", surname="Кәримов", given_name="Һәән", patronymic="Мәммәд оғлу", birth_date="1961")
    listed = _record("2", surname="Kərimov", given_name="Həsən", patronymic="Məmməd oğlu", birth_date="1961")
    assert cannot_link(typed, listed) == ""
    # Names that share letters but not in order stay two people.
    firuza = _record("3", full_name="Quliyeva Firuzə", birth_date="1961")
    assert cannot_link(firuza, _record("4", full_name="Quliyeva Bənövşə", birth_date="1961")) == "different given names"
