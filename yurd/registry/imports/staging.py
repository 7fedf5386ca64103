"""Staging: read and validate every row of an uploaded file and store it (ImportRow)
with its errors, in chunks, so progress is visible while it runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from yurd.core.actors import Actor
from yurd.registry.imports.bulk import (
    CHUNK,
    ID_FIELDS,
    STAGED_FIELDS,
    bulk_insert,
    constraints_checked_immediately,
    encode_json,
    gc_paused,
    source_people,
)
from yurd.registry.imports.reading import COLUMNS, ImportFileError, read_table
from yurd.registry.imports.validation import ParsedRow, RowValidator
from yurd.registry.models import (
    ImportBatch,
    ImportRow,
    ImportStatus,
)
from yurd.registry.places_lookup import import_place_resolver

# --- Staging --------------------------------------------------------------------------------


def import_create(*, actor: Actor, data: bytes, file_name: str, source: str) -> ImportBatch:
    """Check the file can be read (raises ImportFileError) and open a batch for it."""
    table = read_table(data, file_name)
    batch = ImportBatch(
        source=source.strip() or file_name,
        file_name=file_name[:255],
        file_format=table.file_format,
        encoding=table.encoding,
        created_by=actor.user,
        total_rows=max(0, data.count(b"\n") - 1) if table.file_format == "csv" else 0,
    )
    batch.full_clean(exclude=["file"])
    batch.save()
    batch.file.save(f"batch-{batch.pk}", ContentFile(data), save=True)
    return batch


def import_validate(*, batch: ImportBatch, data: bytes | None = None) -> ImportBatch:
    """Read, validate and stage every row of the batch's file, updating its progress."""
    if data is None:
        with batch.file.open("rb") as handle:
            data = handle.read()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.VALIDATING, processed_rows=0)
    try:
        with gc_paused():
            parsed = _validate_rows(batch, data)
    except ImportFileError as error:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, error=str(error))
        raise
    valid = sum(1 for row in parsed if not row.errors)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.VALIDATED,
        total_rows=len(parsed),
        processed_rows=len(parsed),
        valid_rows=valid,
        rejected_rows=len(parsed) - valid,
    )
    del parsed
    if batch.file:
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
    batch.refresh_from_db()
    return batch


def _validate_rows(batch: ImportBatch, data: bytes) -> list[ParsedRow]:
    table = read_table(data, batch.file_name)
    importer = batch.created_by
    scopes = (
        None
        if importer is None or importer.full_scope
        else [(scope.basis, scope.place.path) for scope in importer.scopes.select_related("place")]
    )
    validator = RowValidator(
        source=batch.source,
        resolve_place=import_place_resolver(),
        existing_refs=set(source_people(batch.source)),
        scopes=scopes,
    )
    parsed: list[ParsedRow] = []
    for number, cells in enumerate(table.rows, start=2):
        parsed.append(validator.validate(ParsedRow(number=number, cells=cells)))
        if len(parsed) % CHUNK == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=len(parsed) // 2)
    validator.check_scopes(parsed)
    validator.check_references(parsed)
    with transaction.atomic(), constraints_checked_immediately():
        ImportRow.objects.filter(batch=batch).delete()
        _stage_rows(batch, parsed)
    return parsed


def _stage_rows(batch: ImportBatch, parsed: list[ParsedRow]) -> None:
    """Bulk inserts of CHUNK * 4 rows: the cells as read, the errors, and for a valid row its
    parsed values as a JSON array in STAGED_FIELDS order (no keys to repeat, nothing to look
    up on commit). Progress is written between the inserts, never during one: on PostgreSQL
    a query on the connection while its COPY is open waits for the COPY forever."""
    total = len(parsed)
    encode = encode_json
    fields = [(name, None if name in ID_FIELDS else "") for name in STAGED_FIELDS[1:]]
    columns = ["batch_id", "number", "data", "errors", "values", "is_valid"]

    def rows(chunk: list[ParsedRow]) -> Iterable[tuple[Any, ...]]:
        for row in chunk:
            data = encode({column: value for column, value in zip(COLUMNS, row.cells, strict=True) if value})
            if row.errors:
                yield (batch.pk, row.number, data, encode(row.errors), "{}", False)
            else:
                values = row.values
                yield (
                    batch.pk,
                    row.number,
                    data,
                    "[]",
                    encode([values.get(name, empty) for name, empty in fields]),
                    True,
                )

    size = CHUNK * 4
    for start in range(0, total, size):
        bulk_insert(ImportRow._meta.db_table, columns, rows(parsed[start : start + size]))
        ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=(total + min(total, start + size)) // 2)
