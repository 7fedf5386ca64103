"""Document numbers and addresses: optional input columns the model compares when a file has them
(pure engine, no database)."""

import pytest

from yurd.linkage.files import read_records
from yurd.linkage.matching import model
from yurd.linkage.matching.clustering import cannot_link
from yurd.linkage.matching.linker import dedupe, identifiers_in, link, normalise_all
from yurd.linkage.matching.records import INPUT_COLUMNS, normalise_record
from yurd.names.documents import address_tokens, document_key

CORE = ("surname", "given_name", "patronymic", "birth_date", "sex", "place")


@pytest.mark.parametrize(
    "written",
    ["AB 1234567", "АВ 1234567", "ab-1234567", "A.B. 123-45-67", "№ AB1234567", "No. AB 1234567", "AB 1234567\u00a0"],
)
def test_a_document_number_folds_across_scripts_and_punctuation(written):
    # "АВ" typed in Cyrillic letters is the Latin series AB a clerk copied by eye.
    assert document_key(written) == "AB1234567"


def test_o_and_zero_are_one_character_and_other_letters_transliterate():
    assert document_key("AZE 1O2") == document_key("AZE 102")
    assert document_key("ЖБ 55") == "JB55"
    assert document_key("") == document_key(None) == ""


def test_an_address_is_its_distinctive_words_in_any_script():
    assert address_tokens("ул. Низами, д. 12, кв. 5") == ("nizami", "12", "5")
    assert address_tokens("Nizami küç. 12, mənzil 5") == ("nizami", "12", "5")
    words = {"43", "vilgins", "gingsjlif", "nsv", "2487"}
    assert set(address_tokens("43 Wilkins Street, Kingscliff NSW 2487")) == words


def test_the_columns_are_part_of_the_input_and_may_be_empty():
    assert {"document_number", "document_authority", "address"} <= set(INPUT_COLUMNS)
    record = normalise_record({"record_id": "1", "surname": "Əliyev", "document_number": "", "address": " "})
    assert (record.document_key, record.address_key) == ("", "")


def test_files_without_identifiers_get_exactly_the_old_model():
    rows = [{"record_id": "1", "surname": "Əliyev", "given_name": "Vüqar", "document_number": "", "address": ""}]
    assert identifiers_in(normalise_all(rows, None)) == ()
    assert model.comparison_names() == CORE
    assert model.settings()["blocking_rules_to_generate_predictions"] == model.BLOCKING_RULES
    assert "document_key" not in normalise_all(rows, None)[0].as_row()
    with_identifiers = model.settings(identifiers=("document", "address"))
    assert model.comparison_names(("document", "address")) == (*CORE, "document", "address")
    assert "l.document_key = r.document_key" in with_identifiers["blocking_rules_to_generate_predictions"]


PEOPLE = [
    {"record_id": "1", "full_name": "Мамедов Али Гасан оглы", "birth_date": "12.03.1951", "origin_place": "Qarabulaq"},
    {"record_id": "2", "surname": "Məmmədov", "given_name": "Əli", "birth_date": "1951", "origin_place": "Qarabulaq"},
    {"record_id": "3", "surname": "Həsənova", "given_name": "Leyla", "sex": "f", "birth_date": "1960"},
    {"record_id": "4", "full_name": "Гасанова Лейла", "sex": "f", "birth_date": "1960"},
]


def test_empty_identifier_columns_change_no_score():
    """An old file and the same file with empty document_number and address columns: same pairs,
    same probabilities, same clusters, same explanations."""
    widened = [{**row, "document_number": "", "document_authority": "", "address": ""} for row in PEOPLE]
    before, after = dedupe(PEOPLE), dedupe(widened)
    assert before.clusters == after.clusters
    assert [(p.left, p.right, p.probability, p.explanation) for p in before.pairs] == [
        (p.left, p.right, p.probability, p.explanation) for p in after.pairs
    ]


def test_a_shared_document_number_links_despite_a_mistyped_date_and_name():
    rows = [
        {"record_id": "a", "given_name": "Nathan", "surname": "Challenor", "birth_date": "19560409",
         "document_number": "1804974", "address": "7 wallaby place, delmar, cleveland sa 2119"},
        {"record_id": "b", "given_name": "Caleb", "surname": "Challenor", "birth_date": "19650409",
         "document_number": "1804974", "address": "7 wallaby pl, delmar, cleveland sa 2119"},
    ]  # fmt: skip
    first, second = normalise_all(rows, None)
    assert cannot_link(first, second) == ""
    result = dedupe(rows)
    assert result.clusters["a"] == result.clusters["b"]
    explanation = result.pairs[0].explanation
    assert "same document number" in explanation
    assert "addresses largely agree" in explanation or "same address" in explanation


def test_a_shared_document_number_does_not_join_a_man_and_a_woman():
    rows = [
        {"record_id": "a", "given_name": "Əli", "surname": "Məmmədov", "sex": "m", "document_number": "AZE 1234567"},
        {"record_id": "b", "given_name": "Əli", "surname": "Məmmədova", "sex": "f", "document_number": "AZE 1234567"},
    ]
    first, second = normalise_all(rows, None)
    assert cannot_link(first, second) == "different sex"
    assert dedupe(rows).clusters["a"] != dedupe(rows).clusters["b"]


def test_linking_two_lists_by_a_passport_number_in_two_scripts():
    registry = [{"record_id": "r1", "full_name": "Гасанов Рашад", "birth_date": "1980", "document_number": "АВ 7654"}]
    passports = [{"record_id": "p1", "full_name": "HASANOV RASHAD", "birth_date": "1980", "document_number": "AB7654"}]
    result = link(registry, passports)
    pair = next(pair for pair in result.pairs if pair.same_cluster)
    assert (pair.left, pair.right) == ("a:r1", "b:p1")
    assert "same document number" in pair.explanation


def test_the_cli_reads_identifier_columns(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("record_id,surname,document_number,document_authority,address\n1,Əliyev,AB1,DİN,Bakı\n")
    assert read_records(path).rows[0]["document_number"] == "AB1"
