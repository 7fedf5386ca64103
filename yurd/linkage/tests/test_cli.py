"""`yurd link dedupe|link` on files: results, and clear messages for bad input (no database)."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "record_id,source,full_name,sex,birth_date,origin_place\n"
ROWS = (
    "1,A,Мамедов Али Гасан оглы,муж,12.03.1951,с. Карабулак\n"
    "2,B,Məmmədov Əli Həsən oğlu,kişi,1951,Qarabulaq k.\n"
    "3,B,Hüseynova Leyla,qadın,1950,\n"
)


def _read(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(tmp_path, text, name="input.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _fails(*args):
    with pytest.raises(CommandError) as raised:
        call_command("link", *[str(arg) for arg in args])
    assert raised.value.returncode == 2
    return str(raised.value)


def test_dedupe_writes_a_cluster_for_every_record_and_explained_pairs(tmp_path):
    source = _write(tmp_path, HEADER + ROWS)
    output, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    call_command("link", "dedupe", str(source), "--output", str(output), "--pairs", str(pairs))
    clusters = {row["record_id"]: row["cluster_id"] for row in _read(output)}
    assert clusters["1"] == clusters["2"] != clusters["3"]
    [pair] = _read(pairs)
    assert {pair["record_id_1"], pair["record_id_2"]} == {"1", "2"}
    assert float(pair["match_probability"]) > 0.9
    assert "surname agrees" in pair["explanation"]


def test_link_writes_the_records_of_two_files_that_are_one_person(tmp_path):
    first = _write(tmp_path, "record_id,full_name,birth_date\nx1,Гусейнов Ибрагим Гаджи оглы,1948\n", "a.csv")
    second = _write(
        tmp_path,
        "record_id,surname,given_name,patronymic,birth_date\n"
        "y1,Hüseynov,İbrahim,Hacı oğlu,05.06.1948\ny2,Hüseynova,Leyla,,1950\n",
        "b.csv",
    )
    output = tmp_path / "links.csv"
    call_command("link", "link", str(first), str(second), "--output", str(output))
    [linked] = _read(output)
    assert (linked["record_id_a"], linked["record_id_b"]) == ("x1", "y1")
    assert linked["explanation"]


def test_places_gazetteer_joins_renamed_villages(tmp_path):
    source = _write(
        tmp_path,
        "record_id,full_name,birth_date,origin_place\n1,Əliyev Vüqar Həsən oğlu,1970,Yernjatap\n"
        "2,Алиев Вугар Гасан оглы,1970,с. Карабулак\n",
    )
    places = _write(tmp_path, "place_id,az,ru,hy\n11,Qarabulaq,Карабулак,Yernjatap\n", "places.csv")
    pairs = tmp_path / "pairs.csv"
    call_command(
        "link",
        "dedupe",
        str(source),
        "--output",
        str(tmp_path / "out.csv"),
        "--places",
        str(places),
        "--pairs",
        str(pairs),
    )
    assert "same village" in _read(pairs)[0]["explanation"]


def test_missing_record_id_column_is_reported(tmp_path):
    source = _write(tmp_path, "name,birth_date\nAli,1950\n")
    assert "lacks the column(s) record_id" in _fails("dedupe", source, "--output", tmp_path / "o.csv")


def test_duplicate_record_ids_are_reported_with_their_lines(tmp_path):
    source = _write(tmp_path, "record_id,full_name\n1,Ali\n1,Vali\n")
    message = _fails("dedupe", source, "--output", tmp_path / "o.csv")
    assert "repeats record ids" in message
    assert "lines 2 and 3" in message


@pytest.mark.parametrize("text", ["", "record_id,full_name\n"])
def test_empty_files_are_reported(tmp_path, text):
    source = _write(tmp_path, text)
    message = _fails("dedupe", source, "--output", tmp_path / "o.csv")
    assert "empty" in message or "no records" in message


def test_file_without_comparable_columns_is_reported(tmp_path):
    source = _write(tmp_path, "record_id,colour\n1,red\n")
    assert "none of the columns" in _fails("dedupe", source, "--output", tmp_path / "o.csv")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251", "utf-8-sig"])
def test_utf16_windows1251_and_bom_files_are_read(tmp_path, encoding):
    russian_only = "record_id,full_name,sex\n1,Мамедов Али Гасан оглы,муж\n2,Мамедов Али,м\n3,Гусейнова Лейла,жен\n"
    source = _write(tmp_path, russian_only, encoding=encoding)
    output = tmp_path / "o.csv"
    call_command("link", "dedupe", str(source), "--output", str(output))
    assert len(_read(output)) == 3


def test_undecodable_file_is_reported_not_traced(tmp_path):
    source = tmp_path / "input.csv"
    source.write_bytes(b"record_id,full_name\n1,\x81\x82\x83\xff\xfe\x00abc\n")
    assert "not UTF-8" in _fails("dedupe", source, "--output", tmp_path / "o.csv")


def test_too_many_rows_are_refused_with_advice(tmp_path):
    source = _write(tmp_path, "record_id,full_name\n" + "".join(f"{n},Ali\n" for n in range(20)))
    message = _fails("dedupe", source, "--output", tmp_path / "o.csv", "--max-rows", "10")
    assert "more than 10 records" in message


def test_missing_input_and_bad_threshold_are_reported(tmp_path):
    assert "does not exist" in _fails("dedupe", tmp_path / "nope.csv", "--output", tmp_path / "o.csv")
    source = _write(tmp_path, HEADER + ROWS)
    assert "between 0 and 1" in _fails("dedupe", source, "--output", tmp_path / "o.csv", "--threshold", "3")


def test_dedupe_input_is_normalised_as_read_not_held_as_raw_rows(tmp_path):
    # The raw rows of a 50,000-household file held 530 MB beneath DuckDB's own at the run's peak
    # (issue 17): the normalised records must be the same, without all the raw rows held at once.
    import tracemalloc  # noqa: PLC0415 - only this test measures allocations

    from yurd.linkage.files import read_normalised, read_records  # noqa: PLC0415 - beside the measurement
    from yurd.linkage.matching.linker import normalise_all  # noqa: PLC0415 - beside the measurement

    lines = [f"{index},A,Мамедов Али Гасан оглы,муж,12.03.{1900 + index % 90},с. Карабулак\n" for index in range(4000)]
    source = _write(tmp_path, HEADER + "".join(lines))
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        table = read_records(source)
        raw_rows = tracemalloc.get_traced_memory()[0] - start
        held = normalise_all(table.rows, None)
        peak_with_rows = tracemalloc.get_traced_memory()[1] - start
        del table, held
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        streamed, encoding = read_normalised(source, None)
        peak_streamed = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    assert encoding == "UTF-8"
    assert streamed == normalise_all(read_records(source).rows, None)
    # The decoded text and the duplicate check are held while reading: here they cost about two
    # thirds of what the raw rows did (a third is saved); at 414,000 records, 530 MB of 1,020.
    assert peak_with_rows - peak_streamed > raw_rows / 5
