"""Small-cell suppression: no hidden value can be worked out from what is published."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from yurd.disclosure.suppression import TOTAL, CellKey, SuppressedTable, suppress, suppress_one_dimensional


def value_range(table: SuppressedTable, target: tuple) -> tuple[float, float]:
    """The smallest and largest value the hidden `target` can take, given everything published.

    Unknowns are the hidden cells (margins included); the constraints are the table's
    own arithmetic (each row and column adds up to its total), the published values,
    and non-negativity. This is what a reader with a solver can do.
    """
    keys = list(table.cells)
    index = {key: position for position, key in enumerate(keys)}
    equations: list[np.ndarray] = []
    right: list[float] = []

    def add(terms: list[tuple[tuple, float]], value: float = 0.0) -> None:
        row = np.zeros(len(keys))
        for key, coefficient in terms:
            row[index[key]] += coefficient
        equations.append(row)
        right.append(value)

    for row_key in [*table.rows, TOTAL]:
        add([((row_key, column), 1.0) for column in table.columns] + [((row_key, TOTAL), -1.0)])
    for column in [*table.columns, TOTAL]:
        add([((row_key, column), 1.0) for row_key in table.rows] + [((TOTAL, column), -1.0)])
    for key, value in table.published().items():
        add([(key, 1.0)], float(value))
    objective = np.zeros(len(keys))
    objective[index[target]] = 1.0
    bounds = [(0, None)] * len(keys)
    low = linprog(objective, A_eq=np.array(equations), b_eq=np.array(right), bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=np.array(equations), b_eq=np.array(right), bounds=bounds, method="highs")
    assert low.status == 0
    if high.status == 3:  # unbounded: the published figures put no ceiling on it
        return low.fun, float("inf")
    assert high.status == 0
    return low.fun, -high.fun


def assert_nothing_recoverable(table: SuppressedTable) -> None:
    for key, cell in table.cells.items():
        if cell.suppressed and cell.value > 0:
            low, high = value_range(table, key)
            assert high - low >= 1 - 1e-6, f"hidden cell {key} is pinned to {low}"


def test_cells_under_threshold_are_hidden_and_others_shown() -> None:
    values: dict[CellKey, int] = {(row, column): 40 for row in "abc" for column in "xyz"}
    values[("a", "x")] = 3
    values[("c", "z")] = 60
    table = suppress(values)
    assert table.cell("a", "x").suppressed
    assert table.cell("a", "x").primary
    assert table.cell("c", "z").shown == 60
    assert table.grand_total.shown == 3 + 60 + 7 * 40


def test_a_single_hidden_cell_in_a_row_forces_a_second_one() -> None:
    table = suppress({("a", "x"): 3, ("a", "y"): 40, ("b", "x"): 50, ("b", "y"): 60})
    # Row a and column x each need a second hidden cell, or the totals would give 3 away.
    hidden_in_row_a = [column for column in [*table.columns, TOTAL] if table.cell("a", column).suppressed]
    hidden_in_column_x = [row for row in [*table.rows, TOTAL] if table.cell(row, "x").suppressed]
    assert len(hidden_in_row_a) >= 2
    assert len(hidden_in_column_x) >= 2
    assert_nothing_recoverable(table)


def test_zero_cells_are_published() -> None:
    table = suppress({("a", "x"): 0, ("a", "y"): 40, ("b", "x"): 50, ("b", "y"): 60})
    assert table.suppressed_count == 0
    assert table.cell("a", "x").shown == 0


def test_two_protected_blocks_joined_by_one_cell_do_not_leak_it() -> None:
    # Rows a,b / columns x,y form one protected block; rows c,d / columns z,w another.
    values: dict[CellKey, int] = {
        ("a", "x"): 2, ("a", "y"): 3, ("b", "x"): 4, ("b", "y"): 1,
        ("c", "z"): 2, ("c", "w"): 3, ("d", "z"): 4, ("d", "w"): 1,
        ("a", "z"): 2,
    }  # fmt: skip
    for row in "abcd":
        for column in "xyzw":
            values.setdefault((row, column), 100)
    assert_nothing_recoverable(suppress(values))


def test_one_dimensional_table_hides_at_least_two_values() -> None:
    table = suppress_one_dimensional({"1918-1920": 3, "1948-1953": 120, "1987-1991": 900})
    hidden = [row for row in table.rows if table.cell(row, "value").suppressed]
    assert "1918-1920" in hidden
    assert len(hidden) >= 2 or table.column_total("value").suppressed
    assert_nothing_recoverable(table)


def test_sums_are_suppressed_by_their_contributors() -> None:
    table = suppress(
        {("a", "x"): 1000, ("a", "y"): 2000, ("b", "x"): 3000, ("b", "y"): 4000},
        {("a", "x"): 2, ("a", "y"): 30, ("b", "x"): 30, ("b", "y"): 30},
    )
    assert table.cell("a", "x").suppressed
    assert_nothing_recoverable(table)


def test_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        suppress({("a", "x"): 1}, threshold=0)


small_tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda columns: st.lists(
            st.one_of(st.just(0), st.integers(min_value=1, max_value=6), st.integers(min_value=7, max_value=60)),
            min_size=rows * columns,
            max_size=rows * columns,
        ).map(
            lambda flat: {
                (row, column): flat[row * columns + column] for row in range(rows) for column in range(columns)
            }
        )
    )
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=small_tables, threshold=st.integers(min_value=2, max_value=6))
def test_no_suppressed_value_can_be_recovered_from_published_totals(values: dict, threshold: int) -> None:
    table = suppress(values, threshold=threshold)
    for key, cell in table.cells.items():
        if 0 < cell.contributors < threshold:
            assert cell.suppressed, f"small cell {key} is shown"
    assert_nothing_recoverable(table)


@settings(max_examples=100, deadline=None)
@given(values=st.dictionaries(st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=30), min_size=1))
def test_no_suppressed_value_can_be_recovered_in_one_dimensional_tables(values: dict) -> None:
    table = suppress_one_dimensional(values)
    assert_nothing_recoverable(table)
