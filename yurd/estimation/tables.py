"""Capture tables: how many people have each pattern of presence on the lists.

A table over k lists holds one count per capture history. A history is stored as a
bit mask, list i being bit i, so index 0 is the history of those on no list (never
observed; its count is what the models estimate) and the observed histories are
1 … 2**k - 1.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

COUNT_COLUMN = "count"
# Beyond 12 lists the 2**k cells and 2**(k(k-1)/2) models stop being practical.
MAX_LISTS = 12


class TableError(ValueError):
    """Input that is not a capture table, with where and why.

    `code` names the problem for callers that word it in their own language
    (the management command translates them); `row` counts as a spreadsheet does,
    the header being row 1, so data rows start at row 2.
    """

    def __init__(self, code: str, message: str, *, row: int | None = None, column: str | None = None, value: str = ""):
        self.code = code
        self.row = row
        self.column = column
        self.value = value
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True, eq=False)
class CaptureTable:
    lists: tuple[str, ...]
    counts: np.ndarray  # int64, length 2**k, indexed by capture mask; counts[0] == 0

    @property
    def k(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    def term_name(self, mask: int) -> str:
        return ":".join(name for i, name in enumerate(self.lists) if mask >> i & 1)

    def term_mask(self, name: str) -> int:
        """`"A:E"` → the mask of lists A and E; raises KeyError naming an unknown list."""
        mask = 0
        for part in name.split(":"):
            list_name = part.strip()
            if list_name not in self.lists:
                raise KeyError(list_name)
            mask |= 1 << self.lists.index(list_name)
        return mask

    def with_counts(self, counts: np.ndarray) -> CaptureTable:
        return CaptureTable(self.lists, counts)

    def patterns(self) -> list[tuple[tuple[int, ...], int]]:
        """The observed histories with a positive count, as (0/1 per list, count)."""
        return [
            (tuple(mask >> i & 1 for i in range(self.k)), int(self.counts[mask]))
            for mask in range(1, len(self.counts))
            if self.counts[mask] > 0
        ]

    @classmethod
    def from_patterns(
        cls, lists: Sequence[str], rows: Iterable[tuple[Sequence[object], object]], *, first_row: int = 2
    ) -> CaptureTable:
        """Build a table from (pattern, count) rows; histories given twice are added up.

        Each pattern holds 0 or 1 per list (ints or their text); counts are whole
        numbers, zero or more. The unobserved history (all zeros) is refused: nobody
        can have been counted on no list.
        """
        return _build(lists, ((first_row + offset, pattern, count) for offset, (pattern, count) in enumerate(rows)))


def read_counts(lines: Iterable[str]) -> CaptureTable:
    """Read a CSV with one 0/1 column per list and a `count` column (any order)."""
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise TableError("empty", "the file is empty") from None
    header = [name.strip() for name in header]
    lowered = [name.lower() for name in header]
    if COUNT_COLUMN not in lowered:
        raise TableError("no_count_column", f"no {COUNT_COLUMN!r} column in the header", row=1)
    count_index = lowered.index(COUNT_COLUMN)
    lists = [name for i, name in enumerate(header) if i != count_index]
    for i, name in enumerate(header):
        if not name:
            raise TableError("blank_column_name", f"column {i + 1} has no name", row=1)
    _check_list_names(tuple(lists))
    rows: list[tuple[int, list[str], str]] = []
    for fields in reader:
        if not fields or all(not field.strip() for field in fields):
            continue
        if len(fields) != len(header):
            raise TableError(
                "field_count", f"{len(fields)} fields where the header has {len(header)}", row=reader.line_num
            )
        pattern = [field for i, field in enumerate(fields) if i != count_index]
        rows.append((reader.line_num, pattern, fields[count_index]))
    if not rows:
        raise TableError("nobody_observed", "the table has no rows")
    return _build(lists, rows)


def _build(lists: Sequence[str], rows: Iterable[tuple[int, Sequence[object], object]]) -> CaptureTable:
    names = tuple(str(name).strip() for name in lists)
    _check_list_names(names)
    counts = np.zeros(1 << len(names), dtype=np.int64)
    for row, pattern, count in rows:
        if len(pattern) != len(names):
            raise TableError(
                "field_count", f"{len(pattern)} list values where the header names {len(names)} lists", row=row
            )
        mask = 0
        for i, (name, cell) in enumerate(zip(names, pattern, strict=True)):
            text = str(cell).strip()
            if text not in {"0", "1"}:
                raise TableError("not_binary", f"{text!r} is not 0 or 1", row=row, column=name, value=text)
            if text == "1":
                mask |= 1 << i
        number = _whole_number(count, row=row)
        if mask == 0:
            raise TableError(
                "all_zero_row",
                "every list is 0; people on no list cannot be counted (that is what is estimated)",
                row=row,
            )
        counts[mask] += number
    if counts.sum() == 0:
        raise TableError("nobody_observed", "the table counts nobody")
    return CaptureTable(names, counts)


def _check_list_names(names: tuple[str, ...]) -> None:
    if len(names) < 2:
        raise TableError(
            "too_few_lists", f"{len(names)} list; at least two lists are needed to estimate anything", row=1
        )
    if len(names) > MAX_LISTS:
        raise TableError("too_many_lists", f"{len(names)} lists; at most {MAX_LISTS} are supported", row=1)
    seen: set[str] = set()
    for name in names:
        if not name:
            raise TableError("blank_column_name", "a list column has no name", row=1)
        if name in seen:
            raise TableError("duplicate_column", f"list {name!r} is named twice", row=1, column=name)
        if ":" in name:
            raise TableError("bad_column_name", "a list name may not contain ':'", row=1, column=name)
        seen.add(name)


def _whole_number(value: object, *, row: int) -> int:
    if isinstance(value, bool):
        raise TableError("not_whole_number", f"{value!r} is not a whole number", row=row, column=COUNT_COLUMN)
    if isinstance(value, int | np.integer):
        number = int(value)
    else:
        text = str(value).strip()
        try:
            number = int(text)
        except ValueError:
            raise TableError(
                "not_whole_number", f"{text!r} is not a whole number", row=row, column=COUNT_COLUMN, value=text
            ) from None
    if number < 0:
        raise TableError("negative_count", f"{number} is negative", row=row, column=COUNT_COLUMN, value=str(number))
    return number
