"""Staging and committing imports.

Staging reads and validates every row and stores it (ImportRow) with its errors, in
chunks, so progress is visible while it runs. Committing writes households, people,
name tokens, kinship and their history in ONE transaction: an error or a crash at any
point leaves the registry exactly as it was. Rows already imported from the same source
(same source record ids) are skipped, so re-importing a file changes nothing.

The bulk writes go through `bulk_insert` (COPY on PostgreSQL, executemany elsewhere):
the ORM's per-object cost would dominate a 250,000-person file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.registry.codes import allocate_codes
from yurd.registry.imports.reading import COLUMNS, ImportFileError, read_table
from yurd.registry.imports.validation import HOUSEHOLD_COLUMNS, ParsedRow, RowValidator, serialise_values
from yurd.registry.models import (
    Certainty,
    Household,
    ImportBatch,
    ImportRow,
    ImportStatus,
    Kinship,
    KinshipKind,
    Person,
)
from yurd.registry.places_lookup import import_place_resolver
from yurd.registry.search_index import bulk_index_people, name_forms_tokens

CHUNK = 5000


@dataclass
class PreCommitDecision:
    """What a pre-commit hook may ask of the commit.

    `links`: source_ref -> id of an existing person who IS that row: no person is created for
    it, kinship from the file attaches to the existing person, and new members of its household
    join the existing person's household. `after_write(person_ids)` runs in the same
    transaction once everything is written, with source_ref -> person id for every row."""

    links: dict[str, int] = field(default_factory=dict)
    after_write: Callable[[dict[str, int]], None] | None = None


PreCommitHook = Callable[[ImportBatch, list[dict[str, Any]]], PreCommitDecision | None]
_pre_commit_hooks: list[PreCommitHook] = []


def register_pre_commit_hook(hook: PreCommitHook) -> None:
    """Run `hook(batch, rows)` inside the commit transaction, before anything is written.

    The seam for record linkage (`match_batch`): a hook may inspect the valid rows
    (dicts of parsed values plus household_ref, father_ref, mother_ref, spouse_ref and
    birth_place_text), may return a PreCommitDecision, and raising aborts the whole commit.
    """
    if hook not in _pre_commit_hooks:
        _pre_commit_hooks.append(hook)


def unregister_pre_commit_hook(hook: PreCommitHook) -> None:
    if hook in _pre_commit_hooks:
        _pre_commit_hooks.remove(hook)


# --- Bulk writing -------------------------------------------------------------------------


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, so history rows and links can be written with them.

    Must run inside the transaction that inserts them. On SQLite that transaction already
    holds the write lock (codes were allocated first), so MAX(id) cannot move under us.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _db_datetime(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _insert_with_history(model: type[Model], records: list[dict[str, Any]], *, actor: Actor, reason: str) -> None:
    """Insert rows (dicts by column name) and one "created" history row for each."""
    if not records:
        return
    columns = list(records[0])
    bulk_insert(model._meta.db_table, columns, ([record[column] for column in columns] for record in records))
    history_model = model.history.model  # type: ignore[attr-defined]
    extra = {
        "history_date": _db_datetime(timezone.now()),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": actor.user.pk if actor.user is not None else None,
    }
    history_columns = [*columns, *extra]
    bulk_insert(
        history_model._meta.db_table,
        history_columns,
        ([*(record[column] for column in columns), *extra.values()] for record in records),
    )


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
        table = read_table(data, batch.file_name)
        existing_refs = set(Person.objects.filter(source=batch.source).values_list("source_ref", flat=True))
        validator = RowValidator(
            source=batch.source, resolve_place=import_place_resolver(), existing_refs=existing_refs
        )
        parsed: list[ParsedRow] = []
        for number, cells in enumerate(table.rows, start=2):
            row = validator.validate(ParsedRow(number=number, cells=cells))
            row.values = serialise_values(row.values)  # ids and strings: far smaller than objects
            parsed.append(row)
            if len(parsed) % CHUNK == 0:
                ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=len(parsed) // 2)
        validator.check_references(parsed)
        with transaction.atomic():
            ImportRow.objects.filter(batch=batch).delete()
            _stage_rows(batch, parsed)
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
    if batch.file:
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
    batch.refresh_from_db()
    return batch


def _stage_rows(batch: ImportBatch, parsed: list[ParsedRow]) -> None:
    total = len(parsed)

    def rows() -> Iterable[tuple[Any, ...]]:
        for position, row in enumerate(parsed, start=1):
            data = {column: value for column, value in zip(COLUMNS, row.cells, strict=True) if value}
            yield (
                batch.pk,
                row.number,
                json.dumps(data, ensure_ascii=False),
                json.dumps(row.errors, ensure_ascii=False),
                json.dumps({} if row.errors else row.values, ensure_ascii=False),
                not row.errors,
            )
            if position % CHUNK == 0:
                ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=(total + position) // 2)

    bulk_insert(ImportRow._meta.db_table, ["batch_id", "number", "data", "errors", "values", "is_valid"], rows())


# --- Committing ------------------------------------------------------------------------------


class ImportRefusedError(Exception):
    """The batch cannot be committed (wrong state, or rejected rows with all-or-nothing)."""


@dataclass
class StagedRow:
    number: int
    data: dict[str, str]  # the cells as read
    values: dict[str, Any]  # parsed: see validation.serialise_values

    def cell(self, column: str) -> str:
        return self.data.get(column, "")


def _staged_valid_rows(batch: ImportBatch) -> Iterator[StagedRow]:
    """The valid staged rows in file order, streamed (a large batch never sits in memory)."""
    for number, data, values in (
        ImportRow.objects.filter(batch=batch, is_valid=True)
        .order_by("number")
        .values_list("number", "data", "values")
        .iterator(chunk_size=CHUNK)
    ):
        yield StagedRow(number, data, values)


def import_commit(*, actor: Actor, batch: ImportBatch, all_or_nothing: bool = False) -> ImportBatch:
    """Write every valid row of a validated batch in one transaction, or nothing."""
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status != ImportStatus.VALIDATED:
        raise ImportRefusedError(_("Only a validated batch that is not yet committed can be committed."))
    if all_or_nothing and batch.rejected_rows:
        raise ImportRefusedError(
            _("%(count)d rows were rejected; nothing was committed (all or nothing).") % {"count": batch.rejected_rows}
        )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTING)
    try:
        with transaction.atomic():
            counts = _commit_rows(actor, batch)
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.COMMITTED, committed_at=timezone.now(), error="", **counts
            )
    except Exception as error:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.VALIDATED, error=str(error)[:2000])
        raise
    batch.refresh_from_db()
    return batch


def _commit_rows(actor: Actor, batch: ImportBatch) -> dict[str, int]:  # noqa: PLR0912, PLR0915 - one pass each
    """Two streaming passes over the staged rows: households first, then people in chunks."""
    links: dict[str, int] = {}
    after_write: list[Callable[[dict[str, int]], None]] = []
    if _pre_commit_hooks:
        cells = ("household_ref", "father_ref", "mother_ref", "spouse_ref")
        rows = [
            {
                "row": row.number,
                **{column: row.cell(column) for column in cells},
                "birth_place_text": row.cell("birth_place"),
                **row.values,
            }
            for row in _staged_valid_rows(batch)
        ]
        for hook in _pre_commit_hooks:
            decision = hook(batch, rows)
            if decision is not None:
                links.update(decision.links)
                if decision.after_write is not None:
                    after_write.append(decision.after_write)
        del rows
    source = batch.source
    existing_people = dict(Person.objects.filter(source=source).values_list("source_ref", "pk"))
    household_ids = dict(Household.objects.filter(source=source).values_list("source_ref", "pk"))
    linked = {ref: person_id for ref, person_id in links.items() if ref not in existing_people}
    if linked:
        # New members of a household whose member is linked join the linked person's household.
        linked_households = dict(Person.objects.filter(pk__in=linked.values()).values_list("pk", "household_id"))
        for row in _staged_valid_rows(batch):
            ref = row.values["source_ref"]
            if ref in linked and row.cell("household_ref") not in household_ids:
                household_ids[row.cell("household_ref")] = linked_households[linked[ref]]
    now = _db_datetime(timezone.now())
    reason = _("Imported from %(file)s (batch %(batch)d)") % {"file": batch.file_name, "batch": batch.pk}

    # Pass 1: new households; the first non-empty value of each household column wins
    # (validation made sure the others agree).
    household_values: dict[str, dict[str, Any]] = {}
    new_people = 0
    for row in _staged_valid_rows(batch):
        if row.values["source_ref"] in existing_people or row.values["source_ref"] in linked:
            continue
        new_people += 1
        ref = row.cell("household_ref")
        if ref in household_ids:
            continue
        values = household_values.setdefault(ref, {})
        for column in HOUSEHOLD_COLUMNS:
            if column in row.values and column not in values:
                values[column] = row.values[column]
    codes = iter(allocate_codes("household", len(household_values)))
    ids = iter(reserve_ids(Household, len(household_values)))
    households = []
    for ref, values in household_values.items():
        household_ids[ref] = household_id = next(ids)
        households.append(
            {
                "id": household_id,
                "created_at": now,
                "updated_at": now,
                "code": next(codes),
                "origin_place_id": values.get("origin_place"),
                "wave_id": values.get("wave"),
                "displacement_date": values.get("displacement_date", ""),
                "destination_place_id": None,
                "current_place_id": values.get("current_place"),
                "source": source,
                "source_ref": ref,
                "notes": "",
            }
        )
    _insert_with_history(Household, households, actor=actor, reason=reason)
    households_created = len(households)
    del households, household_values

    # Pass 2: people, written in chunks; relatives are remembered by ref for the end.
    person_codes = iter(allocate_codes("person", new_people))
    person_ids_new = iter(reserve_ids(Person, new_people))
    person_ids = {**existing_people, **linked}
    relatives: list[tuple[int, str, str, str]] = []
    people: list[dict[str, Any]] = []
    tokens: list[tuple[int, list[str]]] = []
    unchanged = 0
    for row in _staged_valid_rows(batch):
        values = row.values
        if values["source_ref"] in existing_people:
            unchanged += 1
            continue
        if values["source_ref"] in linked:
            person_id = linked[values["source_ref"]]
            if row.cell("father_ref") or row.cell("mother_ref") or row.cell("spouse_ref"):
                relatives.append((person_id, row.cell("father_ref"), row.cell("mother_ref"), row.cell("spouse_ref")))
            continue
        person_ids[values["source_ref"]] = person_id = next(person_ids_new)
        surname, given_name = values.get("surname", ""), values.get("given_name", "")
        patronymic = values.get("patronymic", "")
        person_tokens = name_forms_tokens([(surname, given_name, patronymic)])
        tokens.append((person_id, person_tokens))
        death = values.get("death_date", "")
        people.append(
            {
                "id": person_id,
                "created_at": now,
                "updated_at": now,
                "code": next(person_codes),
                "household_id": household_ids[row.cell("household_ref")],
                "household_role": values.get("household_role", ""),
                "surname": surname,
                "given_name": given_name,
                "patronymic": patronymic,
                "sex": values.get("sex", ""),
                "birth_date": values.get("birth_date", ""),
                "birth_place_text": row.cell("birth_place")[:200],
                "birth_place_id": values.get("birth_place"),
                "is_deceased": bool(death),
                "death_date": death,
                "search_text": " ".join(person_tokens),
                "source": source,
                "source_ref": values["source_ref"],
            }
        )
        if row.cell("father_ref") or row.cell("mother_ref") or row.cell("spouse_ref"):
            relatives.append((person_id, row.cell("father_ref"), row.cell("mother_ref"), row.cell("spouse_ref")))
        if len(people) >= CHUNK * 4:
            _insert_with_history(Person, people, actor=actor, reason=reason)
            bulk_index_people(tokens)
            people, tokens = [], []
    _insert_with_history(Person, people, actor=actor, reason=reason)
    bulk_index_people(tokens)
    people_created = new_people
    del people, tokens

    edges: dict[tuple[int, int, str], None] = {}
    for person_id, father_ref, mother_ref, spouse_ref in relatives:
        for ref in (father_ref, mother_ref):
            if ref:
                edges.setdefault((person_ids[ref], person_id, KinshipKind.PARENT_OF))
        if spouse_ref:
            pair = (min(person_id, person_ids[spouse_ref]), max(person_id, person_ids[spouse_ref]))
            edges.setdefault((pair[0], pair[1], KinshipKind.SPOUSE_OF))
    del relatives
    if edges and (existing_people or linked):
        # Edges between people imported (or linked) earlier may already exist.
        present = set(
            Kinship.objects.filter(Q(from_person__source=source) | Q(from_person__in=linked.values())).values_list(
                "from_person", "to_person", "kind"
            )
        )
        edges = {edge: None for edge in edges if edge not in present}
    kinship_ids = iter(reserve_ids(Kinship, len(edges)))
    _insert_with_history(
        Kinship,
        [
            {
                "id": next(kinship_ids),
                "created_at": now,
                "updated_at": now,
                "from_person_id": from_id,
                "to_person_id": to_id,
                "kind": kind,
                "source": source,
                "certainty": Certainty.HIGH,
            }
            for from_id, to_id, kind in edges
        ],
        actor=actor,
        reason=reason,
    )
    for callback in after_write:
        callback(person_ids)
    return {
        "households_created": households_created,
        "people_created": people_created,
        "people_unchanged": unchanged,
    }


# --- Reports and templates ---------------------------------------------------------------------


def rejected_rows_csv(batch: ImportBatch) -> str:
    """The rejected rows as CSV: their cells, then row number, column and reason per error."""
    from yurd.registry.exports import neutralise

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
        "Qarabulaq",
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
        "Qarabulaq",
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
