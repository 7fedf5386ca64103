"""Neutralise spreadsheet formulas in exported text (CSV/XLSX injection). Pure Python.

A cell starting with = + - @ (or a tab or carriage return) is run as a formula by
spreadsheet programs; prefixing an apostrophe makes it plain text. Numbers are left
as numbers so that negative values still add up, and so is text that is nothing but a
negative number ("-45.123456", a formatted longitude): a spreadsheet reads it as that number.
Control characters that an XLSX cell cannot hold are dropped.
"""

from __future__ import annotations

import re
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-[0-9]+(\.[0-9]+)?")


# Control characters that XML 1.0, and so XLSX, cannot hold; openpyxl refuses to write them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if not value.isprintable():
        value = _CONTROL.sub("", value)
    if value.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(values: list[Any]) -> list[Any]:
    return [neutralise(value) for value in values]
