"""Bulk writes of the import's commit and the demo: `bulk_insert` (COPY on PostgreSQL,
executemany elsewhere), reserved ids, `BulkWriter` (rows of a model with their history rows,
columns derived from the model: the one way to bulk-write a model), and the name-token index.
The ORM's per-object cost would dominate a 250,000-person file."""

from __future__ import annotations

import gc
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from yurd.core.actors import Actor
from yurd.core.fields import SortKeyField
from yurd.core.history import history_manager
from yurd.registry.models import (
    Person,
    PersonName,
    PersonNameToken,
)
from yurd.registry.search_index import token_ids

CHUNK = 5000
# How a row linked to an existing person is remembered (written by the linkage hook, see
# yurd/linkage/importing.py): a PersonName of this kind whose source is "<source> #<ref>".
SOURCE_SPELLING = "source spelling"
encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


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


def index_new_people(person_tokens: list[tuple[int, list[str]]]) -> None:
    """Name-token links for freshly created people (what `bulk_index_people` writes), through
    `bulk_insert`: COPY on PostgreSQL, where executemany costs a round of the protocol per row."""
    ids = token_ids({token for _person, tokens in person_tokens for token in tokens})
    bulk_insert(
        PersonNameToken._meta.db_table,
        ["token_id", "person_id"],
        ((ids[token], person_id) for person_id, tokens in person_tokens for token in tokens),
    )


@contextmanager
def constraints_checked_immediately() -> Iterator[None]:
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


def db_datetime(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


class BulkWriter:
    """The one way to write many rows of a model at once, each with its "created" history row
    (what django-simple-history's own bulk helper writes, naming who made the change and why).

    Columns come from the model, not from the caller: `given` names the columns the caller
    supplies in each row tuple (in that order); every other concrete column of the model is
    written with its field's default, and the history rows' columns are derived from
    simple-history's historical model. So a field added to the model is written by every bulk
    path (the import's commit, the demo) without touching them, and one that cannot be
    defaulted (NOT NULL without a default, or a per-row default such as a callable) stops the
    writer at construction with its name, instead of diverging silently.
    A sort key (SortKeyField) is computed from its source columns, which must be given.
    Rows go through `bulk_insert` (COPY on PostgreSQL, executemany elsewhere)."""

    def __init__(self, model: type[Model], given: Sequence[str], *, actor: Actor, reason: str) -> None:
        self.model = model
        self.actor = actor
        self.reason = reason
        fields: dict[str, Any] = {field.column: field for field in model._meta.concrete_fields if field.column}
        unknown = [column for column in given if column not in fields]
        if unknown:
            raise ImproperlyConfigured(f"{model.__name__} has no column {', '.join(unknown)}")
        # Sort keys (SortKeyField) are computed from their source columns in each row.
        derived = [
            column for column, field in fields.items() if isinstance(field, SortKeyField) and column not in given
        ]
        self.derived: list[tuple[SortKeyField, tuple[int, ...]]] = []
        for column in derived:
            field = fields[column]
            sources = list(field.sources)  # plain text fields: column and name are one
            absent = [source for source in sources if source not in given]
            if absent:
                raise ImproperlyConfigured(f"{model.__name__}.{field.name} is computed from {', '.join(absent)}")
            self.derived.append((field, tuple(list(given).index(source) for source in sources)))
        defaulted = [column for column in fields if column not in given and column not in derived]
        self.defaults = tuple(_column_default(model, fields[column]) for column in defaulted)
        self.columns = [*given, *derived, *defaulted]
        history_model = history_manager(model).model
        history_fields = [field for field in history_model._meta.concrete_fields if not field.primary_key]
        history_columns = {field.column for field in history_fields if field.column}
        missing = [column for column in self.columns if column not in history_columns]
        if missing:  # fields excluded from history: not handled, say so
            raise ImproperlyConfigured(f"{model.__name__}: history has no column {', '.join(missing)}")
        extra = [column for column in history_columns if column not in fields]
        if sorted(extra) != sorted(_HISTORY_COLUMNS):
            raise ImproperlyConfigured(f"{model.__name__}: unexpected history columns {sorted(extra)}")
        self.history_table = history_model._meta.db_table
        self.history_columns = [*self.columns, *_HISTORY_COLUMNS]

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows (tuples in `given` order) and one "created" history row for each."""
        if not rows:
            return
        for field, positions in self.derived:
            rows = _with_sort_key(rows, field, positions)
        if self.defaults:
            defaults = self.defaults
            rows = [row + defaults for row in rows]
        bulk_insert(self.model._meta.db_table, self.columns, rows)
        extra = (
            db_datetime(timezone.now()),
            self.reason,
            "+",
            self.actor.user.pk if self.actor.user is not None else None,
        )
        bulk_insert(self.history_table, self.history_columns, (row + extra for row in rows))


def _with_sort_key(
    rows: list[tuple[Any, ...]], field: SortKeyField, positions: tuple[int, ...]
) -> list[tuple[Any, ...]]:
    """Each row with `field`'s key of its source values appended. Names repeat: a key is
    computed once per distinct combination (50,000 people: 0.08 s, 0.26 s key by key)."""
    sources = operator.itemgetter(*positions)
    keys: dict[Any, str] = {}
    extended = []
    for row in rows:
        values = sources(row)
        key = keys.get(values)
        if key is None:
            key = keys[values] = field.key_of(*values) if len(positions) > 1 else field.key_of(values)
        extended.append((*row, key))
    return extended


# What a "created" history row adds to the model's columns, in BulkWriter.write's order.
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _column_default(model: type[Model], field: Any) -> Any:
    """A column's default as the database takes it, the same for every row."""
    if field.has_default() and callable(field.default):
        raise ImproperlyConfigured(f"{model.__name__}.{field.name}: a per-row default; give the column")
    value = field.get_default()
    if value is None and not field.null:
        raise ImproperlyConfigured(f"{model.__name__}.{field.name}: not null and no default; give the column")
    if isinstance(value, Enum):
        value = value.value
    return field.get_db_prep_save(value, connection)


def insert_with_history(model: type[Model], records: list[dict[str, Any]], *, actor: Actor, reason: str) -> None:
    """Insert rows (dicts by column name) and one "created" history row for each."""
    if not records:
        return
    columns = list(records[0])
    BulkWriter(model, columns, actor=actor, reason=reason).write(
        [tuple(record[column] for column in columns) for record in records]
    )


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
    # Import bookkeeping: which records this source brought in, whoever imports now.
    found.update(Person.objects.unscoped().filter(source=source).values_list("source_ref", "pk"))
    return found


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
    STAGED_NUMBER,
    STAGED_REF,
    STAGED_HOUSEHOLD,
    STAGED_FATHER,
    STAGED_MOTHER,
    STAGED_SPOUSE,
    STAGED_SURNAME,
    STAGED_GIVEN,
    STAGED_PATRONYMIC,
    STAGED_SEX,
    STAGED_BIRTH,
    STAGED_BIRTH_PLACE_TEXT,
    STAGED_BIRTH_PLACE,
    STAGED_DEATH,
    STAGED_ROLE,
    STAGED_ORIGIN,
    STAGED_WAVE,
    STAGED_DISPLACEMENT,
    STAGED_CURRENT,
) = range(len(STAGED_FIELDS))
ID_FIELDS = frozenset({"birth_place", "origin_place", "wave", "current_place"})


@contextmanager
def gc_paused() -> Iterator[None]:
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
