"""Committing: households, people, name tokens, kinship and their history in ONE
transaction; an error or a crash at any point leaves the registry exactly as it was.
Rows already imported from the same source (same source record ids) are skipped, so
re-importing a file changes nothing. Staged values are read back once, as compact
tuples, and every per-value computation (dates, places, name tokens) is done once per
distinct value. Pre-commit hooks (record linkage) see the valid rows first."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.registry.codes import allocate_codes
from yurd.registry.imports.bulk import (
    CHUNK,
    ID_FIELDS,
    STAGED_BIRTH,
    STAGED_BIRTH_PLACE,
    STAGED_BIRTH_PLACE_TEXT,
    STAGED_CURRENT,
    STAGED_DEATH,
    STAGED_DISPLACEMENT,
    STAGED_FATHER,
    STAGED_FIELDS,
    STAGED_GIVEN,
    STAGED_HOUSEHOLD,
    STAGED_MOTHER,
    STAGED_NUMBER,
    STAGED_ORIGIN,
    STAGED_PATRONYMIC,
    STAGED_REF,
    STAGED_ROLE,
    STAGED_SEX,
    STAGED_SPOUSE,
    STAGED_SURNAME,
    STAGED_WAVE,
    BulkWriter,
    constraints_checked_immediately,
    db_datetime,
    gc_paused,
    index_new_people,
    reserve_ids,
    source_people,
)
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
from yurd.registry.search_index import name_forms_tokens


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


# --- Committing ------------------------------------------------------------------------------


class ImportRefusedError(Exception):
    """The batch cannot be committed (wrong state, or rejected rows with all-or-nothing)."""


def _staged_valid_rows(batch: ImportBatch) -> list[tuple[Any, ...]]:
    """The valid staged rows in file order, read once with one query (no ORM per row)."""
    loads = json.loads
    fields = [(name, None if name in ID_FIELDS else "") for name in STAGED_FIELDS[1:]]
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
    found: dict[str, Any] = {"row": row[STAGED_NUMBER]}
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
        with gc_paused(), _sqlite_bulk_cache(), transaction.atomic(), constraints_checked_immediately():
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
                ref, household_ref = values[STAGED_REF - 1], values[STAGED_HOUSEHOLD - 1]
            if ref in wanted and household_ref in household_refs:
                found.setdefault(ref, household_ref)
    return found


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


@dataclass
class _Commit:
    """What the steps of one commit share: the batch's valid rows, the people they stand for,
    and the writers' actor, reason and time."""

    actor: Actor
    batch: ImportBatch
    staged: list[tuple[Any, ...]]
    now: Any
    reason: str
    links: dict[str, int] = field(default_factory=dict)  # from the hooks: ref -> existing person
    after_write: list[Callable[[dict[str, int]], None]] = field(default_factory=list)
    existing_people: dict[str, int] = field(default_factory=dict)  # brought in by earlier imports
    linked: dict[str, int] = field(default_factory=dict)  # linked now, not by an earlier import
    household_ids: dict[str, int] = field(default_factory=dict)  # household_ref -> id
    person_ids: dict[str, int] = field(default_factory=dict)  # source_ref -> id, every row

    def writer(self, model: type[Model], given: list[str]) -> BulkWriter:
        return BulkWriter(model, given, actor=self.actor, reason=self.reason)


def _commit_rows(actor: Actor, batch: ImportBatch) -> dict[str, int]:
    """Households first, then people in chunks, then kinship; every write in bulk."""
    commit = _Commit(
        actor=actor,
        batch=batch,
        staged=_staged_valid_rows(batch),
        now=db_datetime(timezone.now()),
        reason=_("Imported from %(file)s (batch %(batch)d)") % {"file": batch.file_name, "batch": batch.pk},
    )
    _run_hooks(commit)
    _known_households(commit)
    households_created, new_people = _write_households(commit)
    relatives, unchanged = _write_people(commit, new_people)
    _write_kinship(commit, relatives)
    with _collecting():
        for callback in commit.after_write:
            callback(commit.person_ids)
    return {
        "households_created": households_created,
        "people_created": new_people,
        "people_unchanged": unchanged,
    }


def _run_hooks(commit: _Commit) -> None:
    """The pre-commit hooks (record linkage) see the valid rows before anything is written."""
    if not _pre_commit_hooks:
        return
    # Who commits: a hook that acts (record linkage merging a row) acts as this user.
    commit.batch.committing_actor = commit.actor  # type: ignore[attr-defined]
    rows = [_hook_row(row) for row in commit.staged]
    for hook in _pre_commit_hooks:
        with _collecting():
            decision = hook(commit.batch, rows)
        if decision is not None:
            commit.links.update(decision.links)
            if decision.after_write is not None:
                commit.after_write.append(decision.after_write)


def _known_households(commit: _Commit) -> None:
    """People and households the registry has already: of this source, and the households of
    people of another source that rows stand for (new members of such a household join it)."""
    source, staged = commit.batch.source, commit.staged
    commit.existing_people = existing_people = source_people(source)
    # Import bookkeeping (records of this source, and below the households of people the
    # matching linked within the importer's scope): not shown to anyone.
    created_here = set(Person.objects.unscoped().filter(source=source).values_list("source_ref", flat=True))
    household_ids = dict(Household.objects.unscoped().filter(source=source).values_list("source_ref", "pk"))
    commit.household_ids = household_ids
    commit.linked = linked = {ref: pk for ref, pk in commit.links.items() if ref not in existing_people}
    # Rows standing for a person of another source (linked now or by an earlier import).
    elsewhere = {ref: person_id for ref, person_id in {**existing_people, **linked}.items() if ref not in created_here}
    if not elsewhere:
        return
    members: dict[str, str] = {}  # ref -> household_ref, for the rows standing for such a person
    for row in staged:
        if row[STAGED_REF] in elsewhere:
            members.setdefault(row[STAGED_REF], row[STAGED_HOUSEHOLD])
    unknown = {row[STAGED_HOUSEHOLD] for row in staged} - household_ids.keys() - set(members.values())
    if unknown:
        members.update(_earlier_households(source, [ref for ref in elsewhere if ref not in members], unknown))
    person_ids_wanted = {elsewhere[ref] for ref in members}
    households_of = dict(  # bookkeeping, as above
        Person.objects.unscoped().filter(pk__in=person_ids_wanted).values_list("pk", "household_id")
    )
    for ref, household_ref in members.items():
        if household_ref not in household_ids and elsewhere[ref] in households_of:
            household_ids[household_ref] = households_of[elsewhere[ref]]


def _write_households(commit: _Commit) -> tuple[int, int]:
    """The new households; returns how many, and how many people the file adds.

    The first non-empty value of each household column wins (validation made sure the
    others agree)."""
    household_ids, existing_people, linked = commit.household_ids, commit.existing_people, commit.linked
    household_values: dict[str, list[Any]] = {}
    new_people = 0
    for row in commit.staged:
        if row[STAGED_REF] in existing_people or row[STAGED_REF] in linked:
            continue
        new_people += 1
        ref = row[STAGED_HOUSEHOLD]
        if ref in household_ids:
            continue
        values = household_values.get(ref)
        if values is None:
            household_values[ref] = [
                row[STAGED_ORIGIN],
                row[STAGED_WAVE],
                row[STAGED_DISPLACEMENT],
                row[STAGED_CURRENT],
            ]
        elif not all(values):
            for position, field_index in enumerate((STAGED_ORIGIN, STAGED_WAVE, STAGED_DISPLACEMENT, STAGED_CURRENT)):
                if not values[position] and row[field_index]:
                    values[position] = row[field_index]
    codes = iter(allocate_codes("household", len(household_values)))
    ids = iter(reserve_ids(Household, len(household_values)))
    now, source = commit.now, commit.batch.source
    households = []
    for ref, (origin, wave, displacement, current) in household_values.items():
        household_ids[ref] = household_id = next(ids)
        households.append((household_id, now, now, next(codes), origin, wave, displacement, current, source, ref))
    commit.writer(Household, _HOUSEHOLD_COLUMNS).write(households)
    return len(households), new_people


_HOUSEHOLD_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "code",
    "origin_place_id",
    "wave_id",
    "displacement_date",
    "current_place_id",
    "source",
    "source_ref",
]
_PERSON_COLUMNS = [
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


def _write_people(commit: _Commit, new_people: int) -> tuple[list[tuple[int, str, str, str]], int]:
    """People in chunks, with their name tokens; returns the relatives named by each row
    (person id, father, mother and spouse refs) and how many rows were imported before."""
    existing_people, linked, household_ids = commit.existing_people, commit.linked, commit.household_ids
    now, source = commit.now, commit.batch.source
    writer = commit.writer(Person, _PERSON_COLUMNS)
    person_codes = iter(allocate_codes("person", new_people))
    person_ids_new = iter(reserve_ids(Person, new_people))
    commit.person_ids = person_ids = {**existing_people, **linked}
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
    for row in commit.staged:
        ref = row[STAGED_REF]
        if ref in existing_people:
            unchanged += 1
            continue
        if ref in linked:
            person_id = linked[ref]
        else:
            person_ids[ref] = person_id = next(person_ids_new)
            name = (row[STAGED_SURNAME], row[STAGED_GIVEN], row[STAGED_PATRONYMIC])
            folded = tokens_of.get(name)
            if folded is None:
                # name_forms_tokens([name]), from each part's tokens (folding works word by
                # word, and the parts repeat far more than whole names do).
                person_tokens = list(dict.fromkeys(token for part in name if part for token in part_tokens(part)))
                folded = tokens_of[name] = (person_tokens, " ".join(person_tokens))
            tokens.append((person_id, folded[0]))
            death = row[STAGED_DEATH]
            people.append(
                (
                    person_id,
                    now,
                    now,
                    next(person_codes),
                    household_ids[row[STAGED_HOUSEHOLD]],
                    row[STAGED_ROLE],
                    row[STAGED_SURNAME],
                    row[STAGED_GIVEN],
                    row[STAGED_PATRONYMIC],
                    row[STAGED_SEX],
                    row[STAGED_BIRTH],
                    row[STAGED_BIRTH_PLACE_TEXT],
                    row[STAGED_BIRTH_PLACE],
                    bool(death),
                    death,
                    folded[1],
                    source,
                    ref,
                )
            )
        if row[STAGED_FATHER] or row[STAGED_MOTHER] or row[STAGED_SPOUSE]:
            relatives.append((person_id, row[STAGED_FATHER], row[STAGED_MOTHER], row[STAGED_SPOUSE]))
        if len(people) >= CHUNK * 4:
            writer.write(people)
            index_new_people(tokens)
            people, tokens = [], []
    writer.write(people)
    index_new_people(tokens)
    commit.staged = []  # read once; freed before kinship
    return relatives, unchanged


def _write_kinship(commit: _Commit, relatives: list[tuple[int, str, str, str]]) -> None:
    """Parent and spouse edges named by the rows, less those the registry has already."""
    person_ids = commit.person_ids
    edges: dict[tuple[int, int, str], None] = {}
    for person_id, father_ref, mother_ref, spouse_ref in relatives:
        for ref in (father_ref, mother_ref):
            if ref:
                edges.setdefault((person_ids[ref], person_id, KinshipKind.PARENT_OF))
        if spouse_ref:
            other = person_ids[spouse_ref]
            edges.setdefault((min(person_id, other), max(person_id, other), KinshipKind.SPOUSE_OF))
    relatives.clear()
    earlier = set(commit.existing_people.values()) | set(commit.linked.values())
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
    kinship_ids = iter(reserve_ids(Kinship, len(edges)))
    now, source, high = commit.now, commit.batch.source, str(Certainty.HIGH)
    commit.writer(
        Kinship, ["id", "created_at", "updated_at", "from_person_id", "to_person_id", "kind", "source", "certainty"]
    ).write([(next(kinship_ids), now, now, from_id, to_id, str(kind), source, high) for from_id, to_id, kind in edges])
