"""Neutralise spreadsheet formulas in exported text (CSV/XLSX injection). Pure Python.

A cell starting with = + - @ (or a tab or carriage return) is run as a formula by
spreadsheet programs; prefixing an apostrophe makes it plain text. Numbers are left
as numbers so that negative values still add up.
"""

from __future__ import annotations

from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(values: list[Any]) -> list[Any]:
    return [neutralise(value) for value in values]
