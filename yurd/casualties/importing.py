"""Reading and checking a source list's file (CSV or XLSX), row by row.

Encodings and spreadsheets are read as the registry import reads them
(yurd.registry.imports.reading). Each row is checked on its own and gets a report
naming its row number (the header is row 1) and the column at fault; nothing is
written here (services.list_import_stage and list_import_commit write).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.core.uploads import UnsafeUploadError, check_zip
from yurd.names.sexes import parse_sex
from yurd.registry.imports.reading import ImportFileError, detect_encoding

COLUMNS = (
    "record_id",
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "sex",
    "birth_date",
    "event",
    "event_date",
    "place",
    "wave",
    "circumstances",
    "certainty",
    "registry_person",
)
NAME_COLUMNS = ("surname", "given_name", "full_name")
# What lists write for the event, in the languages they come in.
EVENTS = {
    "death": "death",
    "died": "death",
    "killed": "death",
    "dead": "death",
    "ölüm": "death",
    "həlak": "death",
    "ölüb": "death",
    "смерть": "death",
    "погиб": "death",
    "погибла": "death",
    "убит": "death",
    "injury": "injury",
    "injured": "injury",
    "wounded": "injury",
    "yaralı": "injury",
    "yaralanıb": "injury",
    "ранен": "injury",
    "ранена": "injury",
    "ранение": "injury",
    "disappearance": "disappearance",
    "disappeared": "disappearance",
    "missing": "disappearance",
    "itkin": "disappearance",
    "itkin düşüb": "disappearance",
    "пропал": "disappearance",
    "пропала": "disappearance",
    "пропал без вести": "disappearance",
}
CERTAINTIES = ("definite", "high", "medium", "low")


@dataclass
class Sheet:
    file_format: str
    rows: list[tuple[int, dict[str, str]]]  # (row number, the header being row 1; cells by column name)


def _header(cells: list[str]) -> list[str]:
    names = [(cell or "").strip().lstrip("\ufeff").lower() for cell in cells]
    if "record_id" not in names or not any(name in names for name in NAME_COLUMNS):
        raise ImportFileError(
            _(
                "The first row must name the columns, with record_id and a name column "
                "(surname, given_name or full_name)."
            )
        )
    return names


def _rows(header: list[str], rows: Iterator[list[str]]) -> list[tuple[int, dict[str, str]]]:
    found = []
    for number, cells in enumerate(rows, start=2):
        row = {
            name: str(value).strip()
            for name, value in zip(header, cells, strict=False)
            if name in COLUMNS and value is not None and str(value).strip()
        }
        if any(str(value).strip() for value in cells if value is not None):
            found.append((number, row))
    return found


def read_sheet(data: bytes, file_name: str = "") -> Sheet:
    """The file's rows; raises ImportFileError when it cannot be read at all."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    codec, _encoding = detect_encoding(data)
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
        header = _header(next(reader))
        return Sheet("csv", _rows(header, reader))
    except StopIteration as error:
        raise ImportFileError(_("The file is empty.")) from error
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error


def _read_xlsx(data: bytes) -> Sheet:
    try:
        check_zip(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnsafeUploadError as error:
        raise ImportFileError(str(error)) from error
    except Exception as error:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error

    def text(cell: object) -> str:
        if cell is None:
            return ""
        if hasattr(cell, "strftime"):
            return cell.strftime("%Y-%m-%d")
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)

    values = workbook.worksheets[0].iter_rows(values_only=True)
    try:
        header = _header([text(cell) for cell in next(values)])
    except StopIteration as error:
        raise ImportFileError(_("The file is empty.")) from error
    return Sheet("xlsx", _rows(header, ([text(cell) for cell in row] for row in values)))


@dataclass
class Checked:
    number: int
    data: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})


@dataclass
class RowChecker:
    """Checks one row at a time. The look-ups are passed in, so this module reads no table itself.

    resolve_place(text) -> place id or None; in_scope(place id or None) -> bool;
    wave_of(text) -> wave id or None; registry_person(code) -> person id or None.
    """

    resolve_place: Callable[[str], int | None]
    in_scope: Callable[[int | None], bool]
    wave_of: Callable[[str], int | None]
    registry_person: Callable[[str], int | None]
    seen: set[str] = field(default_factory=set)

    def check(self, number: int, data: dict[str, str]) -> Checked:  # noqa: PLR0912 - one check per column
        row = Checked(number, data)
        record_id = data.get("record_id", "")
        if not record_id:
            row.error("record_id", _("Every row needs the list's own record id."))
        elif record_id in self.seen:
            row.error("record_id", _("Record id %(id)s appears twice in the file.") % {"id": record_id})
        self.seen.add(record_id)
        if not any(data.get(name) for name in NAME_COLUMNS):
            row.error("surname", _("Every row needs a name (surname, given_name or full_name)."))
        for name in ("surname", "given_name", "patronymic", "full_name", "place", "circumstances"):
            if name in data:
                row.values[name] = data[name]
        if data.get("sex"):
            sex = parse_sex(data["sex"])
            if sex:
                row.values["sex"] = sex
            else:
                row.error("sex", _("%(value)s is not a sex (write m or f).") % {"value": data["sex"]})
        for name in ("birth_date", "event_date"):
            if data.get(name):
                try:
                    row.values[name] = PartialDate.parse(data[name]).to_storage()
                except PartialDateError:
                    row.error(
                        name,
                        _("%(value)s is not a date (use 12.03.1951, 03.1951, 1951 or 1951-03-12).")
                        % {"value": data[name]},
                    )
        event = (data.get("event") or "death").strip().lower()
        if event in EVENTS:
            row.values["event"] = EVENTS[event]
        else:
            row.error("event", _("%(value)s is not an event (death, injury or disappearance).") % {"value": event})
        certainty = (data.get("certainty") or "high").strip().lower()
        if certainty in CERTAINTIES:
            row.values["certainty"] = certainty
        else:
            row.error(
                "certainty", _("%(value)s is not a certainty (definite, high, medium or low).") % {"value": certainty}
            )
        place_id = self.resolve_place(data["place"]) if data.get("place") else None
        row.values["place_id"] = place_id
        if not self.in_scope(place_id):
            row.error("place", _("The place must be a settlement within your scope."))
        if data.get("wave"):
            wave_id = self.wave_of(data["wave"])
            if wave_id is None:
                row.error("wave", _("%(value)s is not a displacement wave.") % {"value": data["wave"]})
            row.values["wave_id"] = wave_id
        if data.get("registry_person"):
            person_id = self.registry_person(data["registry_person"])
            if person_id is None:
                row.error(
                    "registry_person",
                    _("No person %(code)s in the registry that you may see.") % {"code": data["registry_person"]},
                )
            row.values["registry_person_id"] = person_id
        return row
