"""Reading capture tables: what is accepted, and bad input refused naming row and column."""

import io

import pytest

from yurd.estimation import CaptureTable, TableError, read_counts


def read(text):
    return read_counts(io.StringIO(text))


def refusal(text):
    with pytest.raises(TableError) as raised:
        read(text)
    return raised.value


def test_counts_land_on_their_capture_history_and_repeats_add_up():
    table = read("A,B,count\n1,0,5\n0,1,7\n1,1,2\n1,1,1\n")
    assert table.lists == ("A", "B")
    assert table.counts.tolist() == [0, 5, 7, 3]
    assert table.observed == 15


def test_the_count_column_may_stand_anywhere_and_blank_lines_are_skipped():
    table = read("count,X,Y\n4,1,0\n\n2,0,1\n")
    assert table.lists == ("X", "Y")
    assert table.counts.tolist() == [0, 4, 2, 0]


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("A,B,count\n1,0,5\n0,2,7\n", "not_binary", 3, "B"),
        ("A,B,count\n1,0,-1\n", "negative_count", 2, "count"),
        ("A,B,count\n1,0,many\n", "not_whole_number", 2, "count"),
        ("A,B,count\n1,0,2.5\n", "not_whole_number", 2, "count"),
        ("A,B,count\n1,0,3\n0,0,4\n", "all_zero_row", 3, None),
        ("A,count\n1,3\n", "too_few_lists", 1, None),
        ("A,B,C\n1,0,1\n", "no_count_column", 1, None),
        ("A,A,count\n1,0,1\n", "duplicate_column", 1, "A"),
        ("A,B,count\n1,0\n", "field_count", 2, None),
        ("A,B,count\n1,0,0\n", "nobody_observed", None, None),
        ("", "empty", None, None),
    ],
)
def test_bad_input_names_the_row_and_column(text, code, row, column):
    error = refusal(text)
    assert (error.code, error.row, error.column) == (code, row, column)
    if row is not None:
        assert f"row {row}" in str(error)
    if column is not None:
        assert f"column {column}" in str(error)


def test_a_table_built_from_patterns_refuses_what_a_file_would():
    with pytest.raises(TableError) as raised:
        CaptureTable.from_patterns(["A", "B"], [((1, 0), 3), ((1, 1), -2)])
    assert (raised.value.code, raised.value.row) == ("negative_count", 3)
    table = CaptureTable.from_patterns(["A", "B"], [((1, 0), 3), ((0, 1), 4)])
    assert table.patterns() == [((1, 0), 3), ((0, 1), 4)]


def test_term_names_and_masks_round_trip():
    table = read("A,B,C,count\n1,0,1,1\n")
    assert table.term_name(table.term_mask("A:C")) == "A:C"
    with pytest.raises(KeyError):
        table.term_mask("A:Z")
