"""Reading what field clients send: OpenRosa XML instances and KoBo / ODK Central exports.

Both become the same plain shape (`SubmissionValues`), which services.py stages.
Pure Python apart from the XML parser; no database here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from typing import Any

from defusedxml import DefusedXmlException, ElementTree
from openpyxl import load_workbook

from yurd.core.uploads import UnsafeUploadError, check_zip
from yurd.fieldwork.definition import FORM_ID

HOUSEHOLD_FIELDS = ("household_ref", "origin_place", "displacement_date", "current_place")
MEMBER_FIELDS = ("surname", "given_name", "patronymic", "sex", "birth_date", "role")
RETURN_FIELDS = ("intention", "preferred_place", "conditions", "members_returning", "timeline")
TOP_FIELDS = ("survey_kind", "household_code", "today")

SubmissionValues = dict[str, Any]


class SubmissionError(ValueError):
    """The document is not a submission of a form this server publishes."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Any) -> str:
    return (element.text or "").strip() if element is not None else ""


def parse_instance(data: bytes) -> tuple[str, str, str, SubmissionValues]:
    """(instance id, form id, form version, values) of one XML submission."""
    try:
        # forbid_dtd: a document type, even one naming an external DTD that expat would
        # never fetch, is refused outright (docs/security.md).
        root = ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ElementTree.ParseError as error:
        raise SubmissionError(f"not well-formed XML: {error}") from error
    except DefusedXmlException as error:
        # Entities and external DTDs (billion laughs, XXE) are refused, never expanded or fetched.
        raise SubmissionError("the XML declares entities or a document type, which are refused") from error
    form_id = root.get("id", "")
    if form_id != FORM_ID:
        raise SubmissionError(f"unknown form {form_id!r}")
    children = {_local(child.tag): child for child in root}
    meta = children.get("meta")
    instance_id = ""
    if meta is not None:
        instance_id = next((_text(child) for child in meta if _local(child.tag) == "instanceID"), "")
    if not instance_id:
        raise SubmissionError("the submission has no meta/instanceID")
    values: SubmissionValues = {field: _text(children.get(field)) for field in TOP_FIELDS}
    household = children.get("household")
    values["household"] = {
        field: _text(next((child for child in household if _local(child.tag) == field), None))
        if household is not None
        else ""
        for field in HOUSEHOLD_FIELDS
    }
    members = []
    for member in household if household is not None else []:
        if _local(member.tag) != "member" or any(_local(key) == "template" for key in member.attrib):
            continue
        fields = {_local(child.tag): _text(child) for child in member}
        row = {field: fields.get(field, "") for field in MEMBER_FIELDS}
        if any(row.values()):
            members.append(row)
    values["members"] = members
    back = children.get("return")
    values["return"] = {
        field: _text(next((child for child in back if _local(child.tag) == field), None)) if back is not None else ""
        for field in RETURN_FIELDS
    }
    return instance_id, form_id, root.get("version", ""), values


# --- Exports uploaded by hand -------------------------------------------------------------


def _column(name: str) -> str:
    """`household/origin_place` (KoBo), `household-origin_place` (ODK Central) -> `origin_place`."""
    return re.split(r"[/-]", (name or "").strip())[-1]


def _tables(data: bytes, file_name: str) -> list[list[dict[str, str]]]:
    try:
        return _read_tables(data, file_name)
    except UnsafeUploadError as error:
        raise SubmissionError(str(error)) from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise SubmissionError(f"not a UTF-8 CSV export: {error}") from error
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise SubmissionError("not a readable XLSX workbook") from error


def _read_tables(data: bytes, file_name: str) -> list[list[dict[str, str]]]:
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        check_zip(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        tables = []
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            names = [_column(str(cell or "")) for cell in header]
            tables.append(
                [
                    {name: "" if cell is None else str(cell).strip() for name, cell in zip(names, row, strict=False)}
                    for row in rows
                    if any(cell not in (None, "") for cell in row)
                ]
            )
        return tables
    text = data.decode("utf-8-sig")
    if "\x00" in text:
        # PostgreSQL stores no NUL in text or JSON; no CSV export holds one.
        raise SubmissionError("the file holds NUL bytes: it is not a CSV export")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [_column(cell) for cell in next(reader, [])]
    return [[dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in reader if any(row)]]


def _instance_id(row: dict[str, str]) -> str:
    value = row.get("instanceID") or row.get("KEY") or row.get("_uuid") or ""
    if value and not value.startswith("uuid:"):
        value = "uuid:" + value
    return value


def parse_export(data: bytes, file_name: str) -> list[tuple[str, SubmissionValues]]:
    """(instance id, values) per submission of a KoBo or ODK Central CSV/XLSX export.

    Accepted layouts: the main sheet with a repeat sheet holding the members (KoBo links
    them by `_index`/`_parent_index`, ODK Central by `KEY`/`PARENT_KEY`), or one flat
    table with one row per member repeating the household columns.
    """
    tables = _tables(data, file_name)
    if not tables or not tables[0]:
        raise SubmissionError("the export holds no rows")
    main = tables[0]
    repeat = next((table for table in tables[1:] if table and "surname" in table[0]), None)
    children: dict[str, list[dict[str, str]]] = defaultdict(list)
    if repeat is not None:
        for row in repeat:
            parent = row.get("_parent_index") or (row.get("PARENT_KEY") or "").split("/")[0]
            children[parent].append(row)
    grouped: dict[str, SubmissionValues] = {}
    for number, row in enumerate(main, start=2):
        instance_id = _instance_id(row)
        if not instance_id:
            raise SubmissionError(f"row {number}: no value in the instanceID, KEY or _uuid column")
        values = grouped.get(instance_id)
        if values is None:
            values = grouped[instance_id] = {
                **{field: row.get(field, "") for field in TOP_FIELDS},
                "household": {field: row.get(field, "") for field in HOUSEHOLD_FIELDS},
                "return": {field: row.get(field, "") for field in RETURN_FIELDS},
                "members": [],
            }
            if not values["survey_kind"]:
                values["survey_kind"] = "return" if values["household_code"] else "register"
        members = children.get(row.get("_index", ""), []) or children.get(row.get("KEY", ""), [])
        if repeat is None and row.get("surname"):
            members = [row]
        for member in members:
            values["members"].append({field: member.get(field, "") for field in MEMBER_FIELDS})
    return list(grouped.items())
