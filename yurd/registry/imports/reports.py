"""What an import gives back to people: rejected rows, the template, staged errors."""

from __future__ import annotations

import csv
import io

from yurd.registry.exports import neutralise
from yurd.registry.imports.reading import COLUMNS
from yurd.registry.models import (
    ImportBatch,
    ImportRow,
)

# --- Reports and templates ---------------------------------------------------------------------


def rejected_rows_csv(batch: ImportBatch) -> str:
    """The rejected rows as CSV: their cells, then row number, column and reason per error."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "reason", *COLUMNS])
    for row in ImportRow.objects.filter(batch=batch, is_valid=False).order_by("number"):
        cells = [neutralise(str(row.data.get(column, ""))) for column in COLUMNS]
        for error in row.errors:
            writer.writerow([row.number, error["column"], neutralise(error["message"]), *cells])
    return buffer.getvalue()


TEMPLATE_EXAMPLE = [
    [
        "F-001",
        "F-001-1",
        "Məmmədov",
        "Əli",
        "Həsən oğlu",
        "",
        "m",
        "12.03.1931",
        "",
        "1995",
        "head",
        "",
        "",
        "F-001-2",
        "Qarabulaq (Vedi)",
        "1987-1991",
        "11.1988",
        "",
    ],
    [
        "F-001",
        "F-001-2",
        "Məmmədova",
        "Gülnarə",
        "Əli qızı",
        "",
        "f",
        "1935",
        "",
        "",
        "spouse",
        "",
        "",
        "F-001-1",
        "Qarabulaq (Vedi)",
        "",
        "",
        "",
    ],
    [
        "F-001",
        "F-001-3",
        "",
        "",
        "",
        "Мамедов Гасан Алиевич",
        "m",
        "1960-05-02",
        "",
        "",
        "child",
        "F-001-1",
        "F-001-2",
        "",
        "",
        "",
        "",
        "",
    ],
]


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_EXAMPLE)
    return buffer.getvalue()


def staged_errors(batch: ImportBatch, *, limit: int = 200) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []
    for number, errors in (
        ImportRow.objects.filter(batch=batch, is_valid=False).order_by("number").values_list("number", "errors")[:limit]
    ):
        found.extend((number, error["column"], error["message"]) for error in errors)
    return found
