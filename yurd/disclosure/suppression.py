"""Cross-tables with small-cell suppression. Pure Python, no Django.

A table has row keys, column keys, a value per cell (a count, or a sum) and the
number of contributors per cell (people or households behind the value). Its margins
(row totals, column totals, grand total) are published with it.

Primary suppression hides every cell (margins included) with 1 to threshold-1
contributors. Secondary suppression then hides more cells until no hidden value can
be worked out from what is published.

How "worked out" is checked: add the totals to the table as an extra column and an
extra row with their sign flipped; then every row and every column of that extended
table sums to zero. The hidden cells are the edges of a bipartite graph between its
rows and columns. Moving +1/-1 alternately around a cycle of hidden cells keeps every
published sum unchanged, so a hidden cell lying on a cycle of hidden non-zero cells
can take at least two values (it cannot be recovered). A hidden cell that lies on no
cycle (a bridge) is fixed by the published sums: the difference of the margins on
one side of it gives it away. The classic rule "every row and column with a hidden
cell has at least two" is the special case of a line holding a single hidden cell;
two protected blocks joined by one cell still leak that cell, which is why the test
is on cycles. Every bridge is closed by the cheapest path of extra cells between its
ends (published cells cost their value, margins cost more), to a fixed point.

Zero cells are published (they reveal no one) and are never hidden as secondary
cells: a zero cannot move down, so it would not protect a cycle.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 5

TOTAL: str = "__total__"
# Margins cost this much more than inner cells, so published totals stay published
# (and agree with the one-dimensional tables) whenever a path through inner cells exists.
_MARGIN_PENALTY = 1_000_000

Key = Hashable
CellKey = tuple[Key, Key]


@dataclass(frozen=True)
class Cell:
    value: int
    contributors: int
    suppressed: bool = False
    primary: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass
class SuppressedTable:
    """A table with its margins; cells hidden by suppression carry suppressed=True.

    `cells` holds the inner cells and the margins, keyed by (row, column) where the
    margins use TOTAL: (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL).
    """

    rows: list[Key]
    columns: list[Key]
    cells: dict[CellKey, Cell]
    threshold: int
    one_dimensional: bool = False
    secondary: set[CellKey] = field(default_factory=set)

    def cell(self, row: Key, column: Key) -> Cell:
        return self.cells[(row, column)]

    def row_total(self, row: Key) -> Cell:
        return self.cells[(row, TOTAL)]

    def column_total(self, column: Key) -> Cell:
        return self.cells[(TOTAL, column)]

    @property
    def grand_total(self) -> Cell:
        return self.cells[(TOTAL, TOTAL)]

    @property
    def suppressed_count(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.suppressed)

    def published(self) -> dict[CellKey, int]:
        """Everything a reader sees: each shown value, margins included."""
        return {key: cell.value for key, cell in self.cells.items() if not cell.suppressed}


def build_table(
    values: Mapping[CellKey, int],
    contributors: Mapping[CellKey, int] | None = None,
    *,
    rows: Iterable[Key] | None = None,
    columns: Iterable[Key] | None = None,
) -> tuple[list[Key], list[Key], dict[CellKey, tuple[int, int]]]:
    """Fill missing cells with zero and compute the margins: {(row, column): (value, contributors)}."""
    contributors = values if contributors is None else contributors
    row_keys = list(rows) if rows is not None else _ordered(key[0] for key in values)
    column_keys = list(columns) if columns is not None else _ordered(key[1] for key in values)
    table: dict[CellKey, tuple[int, int]] = {}
    for row in row_keys:
        for column in column_keys:
            table[(row, column)] = (int(values.get((row, column), 0)), int(contributors.get((row, column), 0)))
    for row in row_keys:
        table[(row, TOTAL)] = (
            sum(table[(row, column)][0] for column in column_keys),
            sum(table[(row, column)][1] for column in column_keys),
        )
    for column in [*column_keys, TOTAL]:
        table[(TOTAL, column)] = (
            sum(table[(row, column)][0] for row in row_keys),
            sum(table[(row, column)][1] for row in row_keys),
        )
    return row_keys, column_keys, table


def _ordered(keys: Iterable[Key]) -> list[Key]:
    seen: dict[Key, None] = {}
    for key in keys:
        seen.setdefault(key, None)
    return list(seen)


def suppress(
    values: Mapping[CellKey, int],
    contributors: Mapping[CellKey, int] | None = None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rows: Iterable[Key] | None = None,
    columns: Iterable[Key] | None = None,
) -> SuppressedTable:
    """Suppress a two-dimensional table {(row, column): value}.

    `contributors` counts who stands behind each value (defaults to the values
    themselves, for counts). Values must not be negative.
    """
    if threshold < 1:
        raise ValueError("The threshold must be at least 1.")
    row_keys, column_keys, table = build_table(values, contributors, rows=rows, columns=columns)
    if any(value < 0 for value, _count in table.values()):
        raise ValueError("Suppression works on non-negative values only.")
    hidden = {key for key, (_value, count) in table.items() if 0 < count < threshold}
    primary = set(hidden)
    _close_bridges(row_keys, column_keys, table, hidden)
    cells = {
        key: Cell(value=value, contributors=count, suppressed=key in hidden, primary=key in primary)
        for key, (value, count) in table.items()
    }
    return SuppressedTable(
        rows=row_keys,
        columns=column_keys,
        cells=cells,
        threshold=threshold,
        secondary=hidden - primary,
    )


def suppress_one_dimensional(
    values: Mapping[Key, int],
    contributors: Mapping[Key, int] | None = None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rows: Iterable[Key] | None = None,
) -> SuppressedTable:
    """A single column of values with its total; the row totals repeat the cells."""
    table = suppress(
        _as_column(values),
        _as_column(contributors) if contributors is not None else None,
        threshold=threshold,
        rows=rows,
        columns=["value"],
    )
    table.one_dimensional = True
    return table


def _as_column(values: Mapping[Key, int]) -> dict[CellKey, int]:
    return {(row, "value"): value for row, value in values.items()}


# --- secondary suppression -------------------------------------------------------

_RowNode = tuple[str, Key]


def _node_of_row(row: Key) -> _RowNode:
    return ("r", row)


def _node_of_column(column: Key) -> _RowNode:
    return ("c", column)


def _close_bridges(
    rows: list[Key], columns: list[Key], table: dict[CellKey, tuple[int, int]], hidden: set[CellKey]
) -> None:
    all_rows = [*rows, TOTAL]
    all_columns = [*columns, TOTAL]
    while True:
        bridge = _find_bridge(hidden, table)
        if bridge is None:
            return
        path = _cheapest_path(bridge, all_rows, all_columns, table, hidden)
        if path is None:  # pragma: no cover - a non-zero table always has a path through its margins
            raise RuntimeError("No secondary suppression protects this table.")
        hidden.update(path)


def _find_bridge(hidden: set[CellKey], table: dict[CellKey, tuple[int, int]]) -> CellKey | None:
    """A hidden non-zero cell that lies on no cycle of hidden non-zero cells, if any."""
    edges = sorted((key for key in hidden if table[key][0] > 0), key=repr)
    adjacency: dict[_RowNode, list[tuple[_RowNode, int]]] = {}
    for index, (row, column) in enumerate(edges):
        adjacency.setdefault(_node_of_row(row), []).append((_node_of_column(column), index))
        adjacency.setdefault(_node_of_column(column), []).append((_node_of_row(row), index))
    # Tarjan's bridge finding, iterative (tables can have a few hundred lines).
    discovery: dict[_RowNode, int] = {}
    low: dict[_RowNode, int] = {}
    counter = 0
    for start in adjacency:
        if start in discovery:
            continue
        discovery[start] = low[start] = counter
        counter += 1
        stack: list[tuple[_RowNode, int, int]] = [(start, -1, 0)]
        while stack:
            node, via_edge, position = stack[-1]
            neighbours = adjacency[node]
            if position < len(neighbours):
                stack[-1] = (node, via_edge, position + 1)
                neighbour, edge = neighbours[position]
                if edge == via_edge:
                    continue
                if neighbour in discovery:
                    low[node] = min(low[node], discovery[neighbour])
                else:
                    discovery[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > discovery[parent]:
                        return edges[via_edge]
    return None


def _cheapest_path(
    bridge: CellKey,
    rows: list[Key],
    columns: list[Key],
    table: dict[CellKey, tuple[int, int]],
    hidden: set[CellKey],
) -> list[CellKey] | None:
    """The cheapest set of cells that, hidden, puts `bridge` on a cycle (Dijkstra)."""
    start = _node_of_row(bridge[0])
    goal = _node_of_column(bridge[1])

    def cost(key: CellKey) -> int:
        if key in hidden:
            return 0
        value = table[key][0]
        margin = TOTAL in key
        return value + 1 + (_MARGIN_PENALTY if margin else 0)

    distances: dict[_RowNode, int] = {start: 0}
    previous: dict[_RowNode, tuple[_RowNode, CellKey]] = {}
    queue: list[tuple[int, str, _RowNode]] = [(0, repr(start), start)]
    while queue:
        distance, _label, node = heapq.heappop(queue)
        if node == goal:
            break
        if distance > distances.get(node, distance):
            continue
        kind, key = node
        if kind == "r":
            steps = [((key, column), _node_of_column(column)) for column in columns]
        else:
            steps = [((row, key), _node_of_row(row)) for row in rows]
        for cell, neighbour in steps:
            if cell == bridge or table[cell][0] <= 0:
                continue
            candidate = distance + cost(cell)
            if candidate < distances.get(neighbour, candidate + 1):
                distances[neighbour] = candidate
                previous[neighbour] = (node, cell)
                heapq.heappush(queue, (candidate, repr(neighbour), neighbour))
    if goal not in previous:
        return None
    path: list[CellKey] = []
    node = goal
    while node != start:
        node, cell = previous[node]
        path.append(cell)
    return [cell for cell in path if cell not in hidden]
