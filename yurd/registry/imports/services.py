"""Staging and committing imports.

Staging reads and validates every row and stores it (ImportRow) with its errors, in
chunks, so progress is visible while it runs. Committing writes households, people,
name tokens, kinship and their history in ONE transaction: an error or a crash at any
point leaves the registry exactly as it was. Rows already imported from the same source
(same source record ids) are skipped, so re-importing a file changes nothing.

The bulk writes go through `bulk_insert` (COPY on PostgreSQL, executemany elsewhere):
the ORM's per-object cost would dominate a 250,000-person file. Staged values are read
back once, as compact tuples, and every per-value computation (dates, places, name
tokens) is done once per distinct value.
"""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.registry.codes import allocate_codes
from yurd.registry.exports import neutralise
from yurd.registry.imports.reading import COLUMNS, ImportFileError, read_table
from yurd.registry.imports.validation import ParsedRow, RowValidator
from yurd.registry.models import (
    Certainty,
    Household,
    ImportBatch,
    ImportRow,
    ImportStatus,
    Kinship,
    KinshipKind,
    Person,
    PersonName,
    PersonNameToken,
)
from yurd.registry.places_lookup import import_place_resolver
from yurd.registry.search_index import name_forms_tokens, token_ids

CHUNK = 5000
# How a row linked to an existing person is remembered (written by the linkage hook, see
# yurd/linkage/importing.py): a PersonName of this kind whose source is "<source> #<ref>".
SOURCE_SPELLING = "source spelling"
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


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

    The seam for record linkage (`match_batch`): `batch.committing_actor` is the Actor committing.
    A hook may inspect the valid rows
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
    """COPY (PostgreSQL) or executemany in chunks. `rows` may be a generator, but it must not
    use the database connection: on PostgreSQL the open COPY holds it, and a query made
    meanwhile waits for the COPY, which waits for the generator, forever."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            # The raw psycopg cursor: its errors are turned into Django's (IntegrityError...) here.
            with (
                connection.wrap_database_errors,
                raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy,
            ):
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


def _index_people(person_tokens: list[tuple[int, list[str]]]) -> None:
    """Name-token links for freshly created people (what `bulk_index_people` writes), through
    `bulk_insert`: COPY on PostgreSQL, where executemany costs a round of the protocol per row."""
    ids = token_ids({token for _person, tokens in person_tokens for token in tokens})
    bulk_insert(
        PersonNameToken._meta.db_table,
        ["token_id", "person_id"],
        ((ids[token], person_id) for person_id, tokens in person_tokens for token in tokens),
    )


@contextmanager
def _checked_immediately() -> Iterator[None]:
    """On PostgreSQL, check foreign keys as each bulk statement ends, not at COMMIT.

    Django creates PostgreSQL foreign keys DEFERRABLE INITIALLY DEFERRED: every row a COPY
    writes then queues one trigger event per foreign key, and COMMIT works through millions
    of them one by one. IMMEDIATE runs the same checks at the end of each statement instead
    (same guarantees: a missing row still fails the import, and the transaction rolls back).
    Entered inside the import's atomic block; on success Django's default (DEFERRED) is set
    back, in case that block is a savepoint of a longer transaction (a savepoint rolled back
    restores the setting by itself)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
            # The sequence looked up once: pg_get_serial_sequence per generated row cost ten
            # times the nextval calls themselves (3 s for the ids of a 250,000-person file).
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::oid) FROM generate_series(1, %s)", [sequence, count])
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
    _insert_rows_with_history(
        model, columns, [tuple(record[column] for column in columns) for record in records], actor=actor, reason=reason
    )


def _insert_rows_with_history(
    model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]], *, actor: Actor, reason: str
) -> None:
    """Insert rows (tuples in `columns` order) and one "created" history row for each, naming
    who made the change and why (what django-simple-history's own bulk helper writes)."""
    if not rows:
        return
    bulk_insert(model._meta.db_table, columns, rows)
    history_model = model.history.model  # type: ignore[attr-defined]
    extra = (
        _db_datetime(timezone.now()),
        reason,
        "+",
        actor.user.pk if actor.user is not None else None,
    )
    history_columns = [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"]
    bulk_insert(history_model._meta.db_table, history_columns, (row + extra for row in rows))


def source_people(source: str) -> dict[str, int]:
    """source_ref -> person id for every record an earlier import of `source` brought in:
    people created from it, and rows that were linked to a person already in the registry
    (remembered as a "source spelling" name whose source is "<source> #<ref>")."""
    prefix = f"{source} #"
    found = {
        key[len(prefix) :]: person_id
        for key, person_id in PersonName.objects.filter(kind=SOURCE_SPELLING, source__startswith=prefix).values_list(
            "source", "person_id"
        )
    }
    found.update(Person.objects.filter(source=source).values_list("source_ref", "pk"))
    return found


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
        with _bulk_objects():
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
    with transaction.atomic(), _checked_immediately():
        ImportRow.objects.filter(batch=batch).delete()
        _stage_rows(batch, parsed)
    return parsed


def _stage_rows(batch: ImportBatch, parsed: list[ParsedRow]) -> None:
    """Bulk inserts of CHUNK * 4 rows: the cells as read, the errors, and for a valid row its
    parsed values as a JSON array in STAGED_FIELDS order (no keys to repeat, nothing to look
    up on commit). Progress is written between the inserts, never during one: on PostgreSQL
    a query on the connection while its COPY is open waits for the COPY forever."""
    total = len(parsed)
    encode = _encode_json
    fields = [(name, None if name in _ID_FIELDS else "") for name in STAGED_FIELDS[1:]]
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


# --- Committing ------------------------------------------------------------------------------


class ImportRefusedError(Exception):
    """The batch cannot be committed (wrong state, or rejected rows with all-or-nothing)."""


# A staged valid row's parsed values, as ImportRow.values holds them (a JSON array) and the
# commit holds them (a tuple with the row number first): string fields "" when empty,
# place and wave ids None.
STAGED_FIELDS = (
    "number",
    "source_ref",
    "household_ref",
    "father_ref",
    "mother_ref",
    "spouse_ref",
    "surname",
    "given_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place_text",
    "birth_place",
    "death_date",
    "household_role",
    "origin_place",
    "wave",
    "displacement_date",
    "current_place",
)
(
    _NUMBER,
    _REF,
    _HOUSEHOLD,
    _FATHER,
    _MOTHER,
    _SPOUSE,
    _SURNAME,
    _GIVEN,
    _PATRONYMIC,
    _SEX,
    _BIRTH,
    _BIRTH_PLACE_TEXT,
    _BIRTH_PLACE,
    _DEATH,
    _ROLE,
    _ORIGIN,
    _WAVE,
    _DISPLACEMENT,
    _CURRENT,
) = range(len(STAGED_FIELDS))
_ID_FIELDS = frozenset({"birth_place", "origin_place", "wave", "current_place"})


def _staged_valid_rows(batch: ImportBatch) -> list[tuple[Any, ...]]:
    """The valid staged rows in file order, read once with one query (no ORM per row)."""
    loads = json.loads
    fields = [(name, None if name in _ID_FIELDS else "") for name in STAGED_FIELDS[1:]]
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, {connection.ops.quote_name('values')} FROM {table} "  # noqa: S608 - names from model meta
            "WHERE batch_id = %s AND is_valid = %s ORDER BY number",
            [batch.pk, True],
        )
        while chunk := cursor.fetchmany(CHUNK):
            for number, raw in chunk:
                values = loads(raw) if isinstance(raw, str) else raw
                if isinstance(values, dict):  # staged by an earlier version: values by name
                    values = [values.get(name, empty) for name, empty in fields]
                found.append((number, *values))
    return found


def staged_values(values: Any) -> dict[str, Any]:
    """ImportRow.values of a valid row as a dict of its non-empty parsed values (by name), as
    the commit hands them to its pre-commit hooks; staged as an array, or by name earlier."""
    if isinstance(values, dict):
        return values
    return {name: value for name, value in zip(STAGED_FIELDS[1:], values, strict=True) if value not in ("", None)}


def _hook_row(row: tuple[Any, ...]) -> dict[str, Any]:
    cells = ("household_ref", "father_ref", "mother_ref", "spouse_ref", "birth_place_text")
    found: dict[str, Any] = {"row": row[_NUMBER]}
    found.update(
        (name, value)
        for name, value in zip(STAGED_FIELDS[1:], row[1:], strict=True)
        if name in cells or value not in ("", None)
    )
    return found


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
        with _bulk_objects(), _sqlite_bulk_cache(), transaction.atomic(), _checked_immediately():
            counts = _commit_rows(actor, batch)
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.COMMITTED, committed_at=timezone.now(), error="", **counts
            )
    except Exception as error:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.VALIDATED, error=str(error)[:2000])
        raise
    batch.refresh_from_db()
    return batch


def _earlier_households(source: str, refs: list[str], household_refs: set[str]) -> dict[str, str]:
    """ref -> household_ref of rows of earlier committed batches of `source` that stand for
    one of `refs` and belong to one of `household_refs` (a household whose member an earlier
    file linked to a person of another source)."""
    found: dict[str, str] = {}
    committed = ImportRow.objects.filter(
        batch__source=source, batch__status=ImportStatus.COMMITTED, is_valid=True
    ).order_by("-batch_id", "number")
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        wanted = set(chunk)
        for values in committed.filter(Q(values__0__in=chunk) | Q(values__source_ref__in=chunk)).values_list(
            "values", flat=True
        ):
            if isinstance(values, dict):  # staged by an earlier version: values by name
                ref, household_ref = values.get("source_ref"), values.get("household_ref")
            else:
                ref, household_ref = values[_REF - 1], values[_HOUSEHOLD - 1]
            if ref in wanted and household_ref in household_refs:
                found.setdefault(ref, household_ref)
    return found


@contextmanager
def _bulk_objects() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of rows are built.

    Rows are lists, dicts and tuples without cycles, freed by reference counting; the
    collector would otherwise walk every one of them again and again as they accumulate
    (a 250,000-row import spent a third of its time there)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _collecting() -> Iterator[None]:
    """The collector back on for code that is not ours (the hooks: record linkage)."""
    disabled = not gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if disabled:
            gc.disable()


@contextmanager
def _sqlite_bulk_cache() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes a big import grows (with the
    default 2 MB, index pages of a 250,000-person file keep going out to the WAL and back);
    restored afterwards. PostgreSQL needs nothing of the kind."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MB at most, used only as needed
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def _commit_rows(actor: Actor, batch: ImportBatch) -> dict[str, int]:  # noqa: PLR0912, PLR0915 - one pass each
    """Households first, then people in chunks, then kinship; every write in bulk."""
    staged = _staged_valid_rows(batch)
    links: dict[str, int] = {}
    after_write: list[Callable[[dict[str, int]], None]] = []
    if _pre_commit_hooks:
        # Who commits: a hook that acts (record linkage merging a row) acts as this user.
        batch.committing_actor = actor  # type: ignore[attr-defined]
        rows = [_hook_row(row) for row in staged]
        for hook in _pre_commit_hooks:
            with _collecting():
                decision = hook(batch, rows)
            if decision is not None:
                links.update(decision.links)
                if decision.after_write is not None:
                    after_write.append(decision.after_write)
        del rows
    source = batch.source
    existing_people = source_people(source)  # created from this source, or linked by an earlier import
    created_here = set(Person.objects.filter(source=source).values_list("source_ref", flat=True))
    household_ids = dict(Household.objects.filter(source=source).values_list("source_ref", "pk"))
    linked = {ref: person_id for ref, person_id in links.items() if ref not in existing_people}
    # Rows standing for a person of another source (linked now or by an earlier import):
    # new members of their household join that person's household.
    elsewhere = {ref: person_id for ref, person_id in {**existing_people, **linked}.items() if ref not in created_here}
    if elsewhere:
        members: dict[str, str] = {}  # ref -> household_ref, for the rows standing for such a person
        for row in staged:
            if row[_REF] in elsewhere:
                members.setdefault(row[_REF], row[_HOUSEHOLD])
        unknown = {row[_HOUSEHOLD] for row in staged} - household_ids.keys() - set(members.values())
        if unknown:
            members.update(_earlier_households(source, [ref for ref in elsewhere if ref not in members], unknown))
        person_ids_wanted = {elsewhere[ref] for ref in members}
        households_of = dict(Person.objects.filter(pk__in=person_ids_wanted).values_list("pk", "household_id"))
        for ref, household_ref in members.items():
            if household_ref not in household_ids and elsewhere[ref] in households_of:
                household_ids[household_ref] = households_of[elsewhere[ref]]
    now = _db_datetime(timezone.now())
    reason = _("Imported from %(file)s (batch %(batch)d)") % {"file": batch.file_name, "batch": batch.pk}

    # Households: the first non-empty value of each household column wins (validation made
    # sure the others agree).
    household_values: dict[str, list[Any]] = {}
    new_people = 0
    for row in staged:
        if row[_REF] in existing_people or row[_REF] in linked:
            continue
        new_people += 1
        ref = row[_HOUSEHOLD]
        if ref in household_ids:
            continue
        values = household_values.get(ref)
        if values is None:
            household_values[ref] = [row[_ORIGIN], row[_WAVE], row[_DISPLACEMENT], row[_CURRENT]]
        elif not all(values):
            for position, field_index in enumerate((_ORIGIN, _WAVE, _DISPLACEMENT, _CURRENT)):
                if not values[position] and row[field_index]:
                    values[position] = row[field_index]
    codes = iter(allocate_codes("household", len(household_values)))
    ids = iter(reserve_ids(Household, len(household_values)))
    households = []
    for ref, (origin, wave, displacement, current) in household_values.items():
        household_ids[ref] = household_id = next(ids)
        households.append(
            (household_id, now, now, next(codes), origin, wave, displacement, None, current, source, ref, "")
        )
    _insert_rows_with_history(
        Household,
        [
            "id",
            "created_at",
            "updated_at",
            "code",
            "origin_place_id",
            "wave_id",
            "displacement_date",
            "destination_place_id",
            "current_place_id",
            "source",
            "source_ref",
            "notes",
        ],
        households,
        actor=actor,
        reason=reason,
    )
    households_created = len(households)
    del households, household_values

    # People, written in chunks; relatives are remembered by ref for the end.
    person_columns = [
        "id",
        "created_at",
        "updated_at",
        "code",
        "household_id",
        "household_role",
        "surname",
        "given_name",
        "patronymic",
        "sex",
        "birth_date",
        "birth_place_text",
        "birth_place_id",
        "is_deceased",
        "death_date",
        "search_text",
        "source",
        "source_ref",
    ]
    person_codes = iter(allocate_codes("person", new_people))
    person_ids_new = iter(reserve_ids(Person, new_people))
    person_ids = {**existing_people, **linked}
    relatives: list[tuple[int, str, str, str]] = []
    people: list[tuple[Any, ...]] = []
    tokens: list[tuple[int, list[str]]] = []
    tokens_of: dict[tuple[str, str, str], tuple[list[str], str]] = {}  # names repeat: fold each once
    parts: dict[str, list[str]] = {}

    def part_tokens(part: str) -> list[str]:
        if part not in parts:
            parts[part] = name_forms_tokens([(part, "", "")])
        return parts[part]

    unchanged = 0
    for row in staged:
        ref = row[_REF]
        if ref in existing_people:
            unchanged += 1
            continue
        if ref in linked:
            person_id = linked[ref]
        else:
            person_ids[ref] = person_id = next(person_ids_new)
            name = (row[_SURNAME], row[_GIVEN], row[_PATRONYMIC])
            folded = tokens_of.get(name)
            if folded is None:
                # name_forms_tokens([name]), from each part's tokens (folding works word by
                # word, and the parts repeat far more than whole names do).
                person_tokens = list(dict.fromkeys(token for part in name if part for token in part_tokens(part)))
                folded = tokens_of[name] = (person_tokens, " ".join(person_tokens))
            tokens.append((person_id, folded[0]))
            death = row[_DEATH]
            people.append(
                (
                    person_id,
                    now,
                    now,
                    next(person_codes),
                    household_ids[row[_HOUSEHOLD]],
                    row[_ROLE],
                    row[_SURNAME],
                    row[_GIVEN],
                    row[_PATRONYMIC],
                    row[_SEX],
                    row[_BIRTH],
                    row[_BIRTH_PLACE_TEXT],
                    row[_BIRTH_PLACE],
                    bool(death),
                    death,
                    folded[1],
                    source,
                    ref,
                )
            )
        if row[_FATHER] or row[_MOTHER] or row[_SPOUSE]:
            relatives.append((person_id, row[_FATHER], row[_MOTHER], row[_SPOUSE]))
        if len(people) >= CHUNK * 4:
            _insert_rows_with_history(Person, person_columns, people, actor=actor, reason=reason)
            _index_people(tokens)
            people, tokens = [], []
    _insert_rows_with_history(Person, person_columns, people, actor=actor, reason=reason)
    _index_people(tokens)
    del people, tokens, tokens_of, staged

    edges: dict[tuple[int, int, str], None] = {}
    for person_id, father_ref, mother_ref, spouse_ref in relatives:
        for ref in (father_ref, mother_ref):
            if ref:
                edges.setdefault((person_ids[ref], person_id, KinshipKind.PARENT_OF))
        if spouse_ref:
            other = person_ids[spouse_ref]
            edges.setdefault((min(person_id, other), max(person_id, other), KinshipKind.SPOUSE_OF))
    del relatives
    earlier = set(existing_people.values()) | set(linked.values())
    if earlier:
        # Only an edge between two people who were already in the registry can exist already.
        old = [edge for edge in edges if edge[0] in earlier and edge[1] in earlier]
        present: set[tuple[int, int, str]] = set()
        for start in range(0, len(old), 500):
            chunk = old[start : start + 500]
            present.update(
                Kinship.objects.filter(from_person__in={edge[0] for edge in chunk}).values_list(
                    "from_person", "to_person", "kind"
                )
            )
        edges = {edge: None for edge in edges if edge not in present}
    del earlier
    kinship_ids = iter(reserve_ids(Kinship, len(edges)))
    _insert_rows_with_history(
        Kinship,
        ["id", "created_at", "updated_at", "from_person_id", "to_person_id", "kind", "source", "certainty"],
        [
            (next(kinship_ids), now, now, from_id, to_id, str(kind), source, str(Certainty.HIGH))
            for from_id, to_id, kind in edges
        ],
        actor=actor,
        reason=reason,
    )
    with _collecting():
        for callback in after_write:
            callback(person_ids)
    return {
        "households_created": households_created,
        "people_created": new_people,
        "people_unchanged": unchanged,
    }


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
