"""Reading the CSV files the `yurd link` commands take, with clear messages for bad input.

No Django here: the command line works on files and needs no database.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from yurd.core.csvsafe import neutralise_row
from yurd.linkage.matching.records import CONTEXT_COLUMNS, INPUT_COLUMNS, NormalisedRecord, normalise_record
from yurd.names.places import Gazetteer

# One million rows is several times the largest registry list and about 15 minutes of work
# on a two-core machine; above it the user is told to split the file or raise the limit.
DEFAULT_MAX_ROWS = 1_000_000
T = TypeVar("T")


class InputError(Exception):
    """A problem with an input file, worded for the person who supplied it."""


@dataclass(frozen=True)
class Table:
    rows: list[dict[str, str]]
    encoding: str


def _decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{path.name} is empty: expected a header row and at least one record.")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        text = raw.decode("cp1251", errors="replace")
        cyrillic = sum(1 for char in text if "\u0400" <= char <= "\u04ff")
        letters = sum(1 for char in text if char.isalpha())
        if letters and cyrillic / letters > 0.3 and "\ufffd" not in text:
            return text, "Windows-1251"
        raise InputError(
            f"{path.name} is not UTF-8 text (byte {error.start} cannot be read). "
            "Save it as UTF-8 (in Excel: 'CSV UTF-8') and try again."
        ) from None


def _open_table(path: Path, *, required: Iterable[str] = ()) -> tuple[Iterator[dict[str, str]], list[str], str]:
    """The rows of a CSV with a header row, as they are read, its header and its encoding; raise
    InputError with a clear message on any problem."""
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file.")
    text, encoding = _decode(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not header:
        raise InputError(f"{path.name} has no header row.")
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(
            f"{path.name} lacks the column(s) {', '.join(missing)}. The header row has: {', '.join(header)}."
        )
    reader.fieldnames = header

    def rows() -> Iterator[dict[str, str]]:
        try:
            for line_number, row in enumerate(reader, start=2):
                if None in row:
                    raise InputError(f"{path.name}, line {line_number}: more values than columns in the header.")
                yield {key: (value or "").strip() for key, value in row.items()}
        except csv.Error as error:
            raise InputError(f"{path.name} is not a readable CSV file: {error}.") from None

    return rows(), header, encoding


def _too_many(path: Path, max_rows: int) -> InputError:
    return InputError(
        f"{path.name} has more than {max_rows:,} records. Split it into smaller files, "
        "or raise the limit with --max-rows if this machine has the memory and time."
    )


def read_table(path: str | Path, *, max_rows: int = DEFAULT_MAX_ROWS, required: Iterable[str] = ()) -> Table:
    """Read a CSV with a header row; raise InputError with a clear message on any problem."""
    path = Path(path)
    reader, _header, encoding = _open_table(path, required=required)
    rows: list[dict[str, str]] = []
    for row in reader:
        if len(rows) >= max_rows:
            raise _too_many(path, max_rows)
        rows.append(row)
    if not rows:
        raise InputError(f"{path.name} has a header row but no records.")
    return Table(rows=rows, encoding=encoding)


def _read_records(path: str | Path, max_rows: int, convert: Callable[[dict[str, str]], T]) -> tuple[list[T], str]:
    """Person records, each converted as it is read: `record_id` is required and unique; the other
    columns are optional."""
    path = Path(path)
    reader, header, encoding = _open_table(path, required=["record_id"])
    records: list[T] = []
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for index, row in enumerate(reader, start=2):
        if len(records) >= max_rows:
            raise _too_many(path, max_rows)
        record_id = row["record_id"]
        if not record_id:
            raise InputError(f"{path.name}, line {index}: record_id is empty.")
        if record_id in seen:
            duplicates.append(f"{record_id!r} (lines {seen[record_id]} and {index})")
        seen[record_id] = index
        records.append(convert(row))
    if not records:
        raise InputError(f"{path.name} has a header row but no records.")
    if duplicates:
        shown = ", ".join(duplicates[:5]) + (" …" if len(duplicates) > 5 else "")
        raise InputError(f"{path.name} repeats record ids: {shown}. Every record_id must be unique.")
    known = set(INPUT_COLUMNS) | set(CONTEXT_COLUMNS)
    if not known.intersection(header) - {"record_id"}:
        raise InputError(
            f"{path.name} has none of the columns to compare. Expected some of: {', '.join(INPUT_COLUMNS[1:])}."
        )
    return records, encoding


def read_records(path: str | Path, *, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """Read person records: `record_id` is required and unique; the other columns are optional."""
    rows, encoding = _read_records(path, max_rows, lambda row: row)
    return Table(rows=rows, encoding=encoding)


def read_normalised(
    path: str | Path, gazetteer: Gazetteer | None, *, max_rows: int = DEFAULT_MAX_ROWS
) -> tuple[list[NormalisedRecord], str]:
    """`read_records`, each row normalised as it is read, and the file's encoding. The raw rows of
    a large file are never all held: at 414,000 records they took 530 MB that Python kept after
    they were dropped (the normalised records, made meanwhile, pin their memory), beneath DuckDB's
    own at the peak of the run."""
    gazetteer = gazetteer or Gazetteer()
    # As in linker.normalise_all: records hold no cycles, and the collector would walk them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_records(path, max_rows, lambda row: normalise_record(row, gazetteer))
    finally:
        if collecting:
            gc.enable()


def read_gazetteer(path: str | Path) -> Gazetteer:
    """A gazetteer CSV: `place_id` and any number of columns, each one name of the place."""
    table = read_table(path, required=["place_id"])
    names: dict[str, list[str]] = {}
    for row in table.rows:
        place_id = row["place_id"]
        if not place_id:
            continue
        names.setdefault(place_id, []).extend(value for key, value in row.items() if key != "place_id" and value)
    return Gazetteer(names)


def write_csv(path: str | Path, header: list[str], rows: Iterable[Mapping[str, object] | list[object]]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            # Record ids and explanations come from the input lists; people open the result in spreadsheets.
            writer.writerow(
                neutralise_row([row[column] for column in header] if isinstance(row, Mapping) else list(row))
            )
