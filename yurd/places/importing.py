"""Reading gazetteer files: Yurd's place CSV and the GeoNames dump layout.

Parsing and validation are separate from writing (see services.place_import_*): a file
is read into rows, every row is checked and every problem reported with its row number
and column, and only then are the valid rows committed, in one transaction.
The column specification is in docs/gazetteer.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from yurd.places.models import KIND_RANK, CoordinatePrecision, NameKind, NameScript, PlaceKind

CSV_FORMAT = "csv"
GEONAMES_FORMAT = "geonames"

# Script of each name column of the CSV.
NAME_COLUMNS = {
    "name_az_latn": NameScript.AZ_LATN,
    "name_az_cyrl": NameScript.AZ_CYRL,
    "name_ru": NameScript.RU,
    "name_hy": NameScript.HY,
    "name_en": NameScript.EN,
    "name_other": NameScript.OTHER,
}
COLUMN_ALIASES = {
    "place_id": "code",
    "parent": "parent_code",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "coordinate_precision": "precision",
}
CSV_COLUMNS = [
    "code",
    "parent_code",
    "kind",
    "name",
    *NAME_COLUMNS,
    "latitude",
    "longitude",
    "precision",
    "geonames_id",
    "source",
]
REQUIRED_CSV_COLUMNS = ("code", "kind")


class ImportFileError(Exception):
    """The file cannot be read at all (encoding, missing columns): nothing is imported."""


@dataclass
class NameEntry:
    text: str
    language: str
    kind: str = NameKind.OTHER
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class PlaceRow:
    row_number: int
    code: str
    kind: str
    name: str
    parent_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    precision: str = CoordinatePrecision.UNKNOWN
    geonames_id: int | None = None
    source: str = ""
    names: list[NameEntry] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    row_number: int  # the file's line number; 0 means the file as a whole
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row_number, "column": self.column, "message": self.message}


@dataclass
class ParsedFile:
    rows: list[PlaceRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # reported, nothing rejected
    skipped: int = 0  # rows that are not places Yurd keeps (GeoNames rivers, mountains…)
    rejected_codes: dict[str, int] = field(default_factory=dict)  # code -> row, for rows refused while parsing


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; anything else is refused."""
    text = _decode(data)
    if "\x00" in text:
        # No gazetteer text holds NUL, and PostgreSQL cannot store it.
        raise ImportFileError(_("The file holds NUL bytes: it is not a text file."))
    return text


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is not valid UTF-16 text.")) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _("The file is not UTF-8 text (first bad byte on line %(line)s). Save it as UTF-8 and try again.")
            % {"line": line}
        ) from error


# --- CSV ------------------------------------------------------------------------------

_ENTRY = re.compile(r"^(?P<text>[^\[]+?)\s*(?:\[(?P<details>[^\]]*)\])?\s*$")
_YEARS = re.compile(r"^(?P<start>\d{3,4})?\s*[-–—]\s*(?P<end>\d{3,4})?$|^(?P<single>\d{3,4})$")


def parse_name_entries(value: str, language: str) -> list[NameEntry]:
    """`Qarabulaq [-1991; historical] | Qarabulag` → entries; raises ValueError with a message."""
    entries = []
    for raw in (piece.strip() for piece in value.split("|")):
        if not raw:
            continue
        match = _ENTRY.match(raw)
        if match is None:
            raise ValueError(_("Cannot read the name %(name)r: write it as 'name [from-to; kind]'.") % {"name": raw})
        entry = NameEntry(text=match["text"].strip(), language=language)
        if len(entry.text) > 200:
            raise ValueError(_("A name has at most 200 characters."))
        for detail in (piece.strip() for piece in (match["details"] or "").split(";")):
            if not detail:
                continue
            years = _YEARS.match(detail)
            if years is not None:
                if years["single"]:
                    entry.year_from = entry.year_to = int(years["single"])
                else:
                    entry.year_from = int(years["start"]) if years["start"] else None
                    entry.year_to = int(years["end"]) if years["end"] else None
            elif detail.lower() in NameKind.values:
                entry.kind = detail.lower()
            else:
                raise ValueError(
                    _("%(detail)r is neither years (1930-1991) nor a kind of name (%(kinds)s).")
                    % {"detail": detail, "kinds": ", ".join(NameKind.values)}
                )
        if entry.year_from is not None and entry.year_to is not None and entry.year_from > entry.year_to:
            raise ValueError(_("The name %(name)r ends before it begins.") % {"name": entry.text})
        entries.append(entry)
    return entries


def _coordinate(value: str, limit: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("%(value)r is not a number.") % {"value": value}) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValueError(_("%(value)s is out of range (±%(limit)s).") % {"value": value, "limit": limit})
    return number.quantize(Decimal("0.000001"))


def parse_csv(text: str) -> ParsedFile:
    parsed = ParsedFile()
    lines = text.splitlines(keepends=True)
    # Lines starting with "#" before the header are comments (the demo file says it is synthetic there).
    first = next((index for index, line in enumerate(lines) if line.strip() and not line.startswith("#")), None)
    if first is None:
        raise ImportFileError(_("The file is empty."))
    sample = "".join(lines[first : first + 20])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    body = "".join(lines[first:])
    try:
        for _values in csv.reader(io.StringIO(body), dialect):  # a first pass: malformed files are refused whole
            pass
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error
    reader = csv.reader(io.StringIO(body), dialect)
    header = next(reader)
    columns = [COLUMN_ALIASES.get(column.strip().lower(), column.strip().lower()) for column in header]
    missing = [column for column in REQUIRED_CSV_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            _("Missing columns: %(missing)s. The header must name at least %(required)s.")
            % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED_CSV_COLUMNS)}
        )
    if "name" not in columns and not any(column in NAME_COLUMNS for column in columns):
        raise ImportFileError(_("The header names no name column (name, name_az_latn, name_ru, …)."))
    header_row = first + 1
    unknown = [column for column in columns if column and column not in CSV_COLUMNS]
    for column in unknown:
        parsed.warnings.append(RowError(header_row, column, _("Unknown column; it is ignored.")))
    for values in reader:
        row_number = first + reader.line_num  # the file's own line number, comments included
        if not any(value.strip() for value in values) or values[0].startswith("#"):
            continue
        record = {
            column: (values[index].strip() if index < len(values) else "") for index, column in enumerate(columns)
        }
        row = _csv_row(row_number, record, parsed.errors)
        if row is not None:
            parsed.rows.append(row)
        elif record.get("code"):
            parsed.rejected_codes.setdefault(record["code"], row_number)
    return parsed


def _csv_row(  # noqa: PLR0912  (one check per column reads best as a flat list)
    row_number: int, record: dict[str, str], errors: list[RowError]
) -> PlaceRow | None:
    row_errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        row_errors.append(RowError(row_number, column, message))

    names: list[NameEntry] = []
    for column, language in NAME_COLUMNS.items():
        try:
            names.extend(parse_name_entries(record.get(column, ""), language))
        except ValueError as error:
            fail(column, str(error))
    code = record.get("code", "")
    if not code:
        fail("code", _("A place needs a code."))
    elif len(code) > 32:
        fail("code", _("A code has at most 32 characters."))
    kind = record.get("kind", "").lower()
    if kind not in PlaceKind.values:
        fail("kind", _("Kind must be one of %(kinds)s.") % {"kinds": ", ".join(PlaceKind.values)})
    name = record.get("name", "") or (names[0].text if names else "")
    if not name:
        fail("name", _("A place needs a name."))
    elif len(name) > 200:
        fail("name", _("A name has at most 200 characters."))
    latitude = longitude = None
    try:
        latitude = _coordinate(record.get("latitude", ""), 90)
    except ValueError as error:
        fail("latitude", str(error))
    try:
        longitude = _coordinate(record.get("longitude", ""), 180)
    except ValueError as error:
        fail("longitude", str(error))
    if (latitude is None) != (longitude is None) and not any(
        error.column in {"latitude", "longitude"} for error in row_errors
    ):
        fail("longitude" if longitude is None else "latitude", _("Give both coordinates or neither."))
    precision = record.get("precision", "").lower() or (
        CoordinatePrecision.UNKNOWN if latitude is None else CoordinatePrecision.APPROXIMATE
    )
    if precision not in CoordinatePrecision.values:
        fail("precision", _("Precision must be one of %(values)s.") % {"values": ", ".join(CoordinatePrecision.values)})
    geonames_id = None
    if record.get("geonames_id"):
        try:
            geonames_id = int(record["geonames_id"])
        except ValueError:
            fail("geonames_id", _("A GeoNames id is a whole number."))
    if row_errors:
        errors.extend(row_errors)
        return None
    return PlaceRow(
        row_number=row_number,
        code=code,
        kind=kind,
        name=name,
        parent_code=record.get("parent_code", ""),
        latitude=latitude,
        longitude=longitude,
        precision=precision,
        geonames_id=geonames_id,
        source=record.get("source", ""),
        names=names,
    )


# --- GeoNames -----------------------------------------------------------------------------

GEONAMES_COLUMNS = 19
ALTERNATE_NAMES_COLUMNS = 10
GEONAMES_CODE_PREFIX = "GN-"
# GeoNames feature codes Yurd keeps, by kind; populated places are every P.* code.
_ADMINISTRATIVE = {
    "PCLI": PlaceKind.COUNTRY,
    "PCL": PlaceKind.COUNTRY,
    "ADM1": PlaceKind.REGION,
    "ADM2": PlaceKind.DISTRICT,
}
_GEONAMES_LANGUAGES = {
    "az": NameScript.AZ_LATN,
    "ru": NameScript.RU,
    "hy": NameScript.HY,
    "en": NameScript.EN,
    "": NameScript.OTHER,
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_YEAR = re.compile(r"(\d{4})")


def _geonames_year(value: str) -> int | None:
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def parse_geonames(text: str, alternate_names: str | None = None) -> ParsedFile:  # noqa: PLR0912
    """`AM.txt` (19 tab-separated columns) with, optionally, `alternateNamesV2.txt` (10 columns).

    Countries (PCLI), first- and second-order divisions (ADM1, ADM2) and populated places
    (feature class P) are kept and placed under their division by the admin codes;
    everything else (rivers, mountains…) is skipped and counted.
    """
    parsed = ParsedFile()
    records: list[tuple[int, list[str], str]] = []
    for row_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        values = line.split("\t")
        if len(values) != GEONAMES_COLUMNS:
            if not records and not parsed.errors and not parsed.skipped:
                raise ImportFileError(
                    _("This is not a GeoNames table: expected %(expected)s tab-separated columns, found %(found)s.")
                    % {"expected": GEONAMES_COLUMNS, "found": len(values)}
                )
            parsed.errors.append(
                RowError(
                    row_number,
                    "",
                    _("Expected %(expected)s tab-separated columns, found %(found)s.")
                    % {"expected": GEONAMES_COLUMNS, "found": len(values)},
                )
            )
            continue
        feature_class, feature_code = values[6], values[7]
        feature_kind = _ADMINISTRATIVE.get(feature_code) or (PlaceKind.SETTLEMENT if feature_class == "P" else None)
        if feature_kind is None:
            parsed.skipped += 1
            continue
        records.append((row_number, values, str(feature_kind)))

    # Admin codes to GeoNames ids, so each place finds its parent.
    country_of: dict[str, str] = {}
    region_of: dict[tuple[str, str], str] = {}
    district_of: dict[tuple[str, str, str], str] = {}
    for _row, values, kind in records:
        geonameid, country, admin1, admin2 = values[0], values[8], values[10], values[11]
        if kind == PlaceKind.COUNTRY:
            country_of[country] = geonameid
        elif kind == PlaceKind.REGION:
            region_of[(country, admin1)] = geonameid
        elif kind == PlaceKind.DISTRICT:
            district_of[(country, admin1, admin2)] = geonameid

    rows_by_id: dict[int, PlaceRow] = {}
    for row_number, values, kind in records:
        row_errors: list[RowError] = []
        geonameid, name = values[0].strip(), values[1].strip()
        country, admin1, admin2 = values[8], values[10], values[11]
        if not geonameid.isdigit():
            row_errors.append(RowError(row_number, "geonameid", _("A GeoNames id is a whole number.")))
        if not name:
            row_errors.append(RowError(row_number, "name", _("A place needs a name.")))
        try:
            latitude = _coordinate(values[4], 90)
            longitude = _coordinate(values[5], 180)
        except ValueError as error:
            row_errors.append(RowError(row_number, "latitude", str(error)))
            latitude = longitude = None
        parent_id = {
            PlaceKind.COUNTRY: None,
            PlaceKind.REGION: country_of.get(country),
            PlaceKind.DISTRICT: region_of.get((country, admin1)) or country_of.get(country),
            PlaceKind.SETTLEMENT: district_of.get((country, admin1, admin2))
            or region_of.get((country, admin1))
            or country_of.get(country),
        }[PlaceKind(kind)]
        if row_errors:
            parsed.errors.extend(row_errors)
            continue
        row = PlaceRow(
            row_number=row_number,
            code=f"{GEONAMES_CODE_PREFIX}{geonameid}",
            kind=kind,
            name=name,
            parent_code=f"{GEONAMES_CODE_PREFIX}{parent_id}" if parent_id else "",
            latitude=latitude,
            longitude=longitude,
            precision=CoordinatePrecision.CENTROID if kind != PlaceKind.SETTLEMENT else CoordinatePrecision.APPROXIMATE,
            geonames_id=int(geonameid),
            source="GeoNames",
            names=[NameEntry(text=name, language=NameScript.OTHER, kind=NameKind.OFFICIAL)],
        )
        rows_by_id[int(geonameid)] = row
        parsed.rows.append(row)
    if alternate_names:
        _add_alternate_names(alternate_names, rows_by_id, parsed)
    return parsed


def _add_alternate_names(text: str, rows_by_id: dict[int, PlaceRow], parsed: ParsedFile) -> None:
    first_line = next(
        (number for number, line in enumerate(text.splitlines(), start=1) if line.strip() and not line.startswith("#")),
        0,
    )
    for row_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        values = line.split("\t")
        if len(values) < 4 or len(values) > ALTERNATE_NAMES_COLUMNS:
            if not rows_by_id or row_number == first_line:
                raise ImportFileError(
                    _("This is not a GeoNames alternate-names table: expected %(expected)s tab-separated columns.")
                    % {"expected": ALTERNATE_NAMES_COLUMNS}
                )
            parsed.errors.append(RowError(row_number, "", _("Alternate names: wrong number of columns.")))
            continue
        values += [""] * (ALTERNATE_NAMES_COLUMNS - len(values))
        _id, geonameid, language, text_value, preferred, _short, colloquial, historic, start, end = values
        if not geonameid.isdigit() or int(geonameid) not in rows_by_id or not text_value.strip():
            continue  # names of features not in this import (or links, codes)
        language = language.lower()
        script = _GEONAMES_LANGUAGES.get(language.split("-")[0] if language != "az-cyrl" else "az")
        if script is None:
            continue  # other languages, postal codes, links, airport codes
        if script == NameScript.AZ_LATN and _CYRILLIC.search(text_value):
            script = NameScript.AZ_CYRL
        kind = (
            NameKind.HISTORICAL
            if historic == "1"
            else NameKind.COMMUNITY
            if colloquial == "1"
            else NameKind.OFFICIAL
            if preferred == "1"
            else NameKind.OTHER
        )
        rows_by_id[int(geonameid)].names.append(
            NameEntry(
                text=text_value.strip(),
                language=script,
                kind=kind,
                year_from=_geonames_year(start),
                year_to=_geonames_year(end),
            )
        )


# --- Validation across rows ------------------------------------------------------------------


def validate_rows(parsed: ParsedFile, *, existing: dict[str, str]) -> list[PlaceRow]:
    """Rows that can be committed, parents first; problems are appended to parsed.errors.

    `existing` maps the codes already in the gazetteer to their kind. A row whose parent
    is rejected is rejected too, naming the parent's row.
    """
    by_code: dict[str, PlaceRow] = {}
    for row in parsed.rows:
        if row.code in by_code:
            parsed.errors.append(
                RowError(
                    row.row_number,
                    "code",
                    _("The code %(code)s is already used on row %(row)s.")
                    % {"code": row.code, "row": by_code[row.code].row_number},
                )
            )
            continue
        by_code[row.code] = row
    accepted: dict[str, PlaceRow] = {}
    state: dict[str, bool] = {}

    def check(row: PlaceRow, trail: tuple[str, ...] = ()) -> bool:
        if row.code in state:
            return state[row.code]
        if row.code in trail:
            parsed.errors.append(RowError(row.row_number, "parent_code", _("The parents form a loop.")))
            state[row.code] = False
            return False
        ok = True
        parent_kind: str | None = None
        if row.parent_code:
            parent_row = by_code.get(row.parent_code)
            if parent_row is not None:
                if not check(parent_row, (*trail, row.code)):
                    parsed.errors.append(
                        RowError(
                            row.row_number,
                            "parent_code",
                            _("The parent %(code)s (row %(row)s) was rejected.")
                            % {"code": row.parent_code, "row": parent_row.row_number},
                        )
                    )
                    ok = False
                parent_kind = parent_row.kind
            elif row.parent_code in parsed.rejected_codes:
                parsed.errors.append(
                    RowError(
                        row.row_number,
                        "parent_code",
                        _("The parent %(code)s (row %(row)s) was rejected.")
                        % {"code": row.parent_code, "row": parsed.rejected_codes[row.parent_code]},
                    )
                )
                ok = False
            elif row.parent_code in existing:
                parent_kind = existing[row.parent_code]
            else:
                parsed.errors.append(
                    RowError(
                        row.row_number,
                        "parent_code",
                        _("No place with the code %(code)s, in the file or in the gazetteer.")
                        % {"code": row.parent_code},
                    )
                )
                ok = False
        if ok and parent_kind is not None and KIND_RANK[PlaceKind(parent_kind)] >= KIND_RANK[PlaceKind(row.kind)]:
            parsed.errors.append(
                RowError(
                    row.row_number,
                    "parent_code",
                    _("A %(kind)s cannot be part of a %(parent_kind)s.")
                    % {"kind": row.kind, "parent_kind": parent_kind},
                )
            )
            ok = False
        state[row.code] = ok
        if ok:
            accepted[row.code] = row
        return ok

    for row in by_code.values():
        check(row)
    parsed.errors.sort(key=lambda error: (error.row_number, error.column))
    return sorted(accepted.values(), key=lambda row: (KIND_RANK[PlaceKind(row.kind)], row.row_number))
