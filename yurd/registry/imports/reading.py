"""Reading an import file: CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1251, or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yurd.core.uploads import UnsafeUploadError, check_zip

COLUMNS = (
    "household_ref",
    "person_ref",
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "death_date",
    "role",
    "father_ref",
    "mother_ref",
    "spouse_ref",
    "origin_place",
    "wave",
    "displacement_date",
    "current_place",
)
NAME_COLUMNS = ("surname", "given_name", "full_name")


class ImportFileError(Exception):
    """The file cannot be read at all (exit status 2)."""


@dataclass
class Table:
    file_format: str
    encoding: str
    header: list[str]
    rows: Iterator[list[str]]  # cells in COLUMNS order, "" where absent
    ignored_columns: list[str]


def detect_encoding(data: bytes) -> tuple[str, str]:
    """(codec to decode with, name to report)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "utf-16"
    sample = data[:4096]
    # UTF-16 without a BOM: every other byte of ASCII text is zero.
    if sample and sample.count(b"\x00") > len(sample) // 4:
        return ("utf-16-le", "utf-16-le") if sample[1:2] == b"\x00" else ("utf-16-be", "utf-16-be")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1251", "windows-1251"
    return "utf-8", "utf-8"


def _header_map(header: list[str]) -> tuple[list[int | None], list[str]]:
    names = [(cell or "").strip().lstrip("\ufeff").lower() for cell in header]
    if "household_ref" not in names or not any(column in names for column in NAME_COLUMNS):
        raise ImportFileError(
            _(
                "The first row must name the columns, with household_ref and a name column "
                "(surname, given_name or full_name)."
            )
        )
    positions = [names.index(column) if column in names else None for column in COLUMNS]
    ignored = [name for name in names if name and name not in COLUMNS]
    return positions, ignored


def _arrange(rows: Iterator[list[str]], positions: list[int | None]) -> Iterator[list[str]]:
    # Interning repeated cells (places, waves, roles, common names) keeps memory flat.
    seen: dict[str, str] = {}
    intern = seen.setdefault
    width = max((position for position in positions if position is not None), default=0) + 1
    present = [position if position is not None else -1 for position in positions]
    for row in rows:
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]  # noqa: PLW2901 - short rows are padded
        row.append("")  # position -1: a column the file does not have
        cells = [intern(value, value) if (value := row[position].strip()) else "" for position in present]
        if any(cells):
            yield cells


def read_table(data: bytes, file_name: str = "") -> Table:
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    codec, encoding = detect_encoding(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is not text in a known encoding.")) from error
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportFileError(_("The file is empty.")) from error
    positions, ignored = _header_map(header)

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except csv.Error as error:
            raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error

    return Table("csv", encoding, header, _arrange(rows(), positions), ignored)


def _read_xlsx(data: bytes) -> Table:
    try:
        check_zip(data)
    except UnsafeUploadError as error:
        raise ImportFileError(str(error)) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell) for cell in next(values)]
    except StopIteration as error:
        raise ImportFileError(_("The file is empty.")) from error
    positions, ignored = _header_map(header)

    def cell_text(cell: object) -> str:
        if cell is None:
            return ""
        if hasattr(cell, "strftime"):
            return cell.strftime("%Y-%m-%d")
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)

    rows = ([cell_text(cell) for cell in row] for row in values)
    return Table("xlsx", "", header, _arrange(rows, positions), ignored)
