"""Writes to the gazetteer. Every function keeps `path` and `search_key` correct and
leaves a history row naming the actor and the reason.

Services change a row only when a value really changes, so re-importing the same
gazetteer writes nothing and adds no history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from yurd.core.actors import Actor
from yurd.places.importing import (
    CSV_FORMAT,
    GEONAMES_FORMAT,
    ImportFileError,
    ParsedFile,
    PlaceRow,
    decode,
    parse_csv,
    parse_geonames,
    validate_rows,
)
from yurd.places.models import (
    KIND_RANK,
    CoordinatePrecision,
    Place,
    PlaceImport,
    PlaceImportStatus,
    PlaceKind,
    PlaceName,
)
from yurd.places.models import folded_search_key as search_key
from yurd.places.reference import RESIDENCES_FILE


class PlaceChanges(TypedDict, total=False):
    """What an editor may change on a place; only the keys given are changed."""

    name: str
    kind: str
    latitude: Decimal | float | str | None
    longitude: Decimal | float | str | None
    coordinate_precision: str
    geonames_id: int | None
    source: str


class PlaceNameChanges(TypedDict, total=False):
    text: str
    language: str
    kind: str
    year_from: int | None
    year_to: int | None
    source: str


_PLACE_FIELDS = tuple(PlaceChanges.__annotations__)


@contextmanager
def _history(instance: Any, *, actor: Actor, reason: str) -> Iterator[None]:
    """simple_history reads `_history_user` and `_change_reason` from the instance being saved."""
    instance._history_user = actor.user
    instance._change_reason = reason[:100] if reason else ""
    yield


def _check_parent(*, kind: str, parent: Place | None) -> None:
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": _("Unknown kind of place.")})
    if parent is None:
        return
    if KIND_RANK[PlaceKind(parent.kind)] >= KIND_RANK[PlaceKind(kind)]:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be part of a %(parent_kind)s.")
                % {"kind": kind, "parent_kind": parent.kind}
            }
        )


def _normalise_coordinate(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def place_create(
    *,
    actor: Actor,
    code: str,
    kind: str,
    name: str,
    parent: Place | None = None,
    latitude: Any = None,
    longitude: Any = None,
    coordinate_precision: str = CoordinatePrecision.UNKNOWN,
    geonames_id: int | None = None,
    source: str = "",
    reason: str = "",
) -> Place:
    _check_parent(kind=kind, parent=parent)
    with transaction.atomic():
        place = Place(
            code=code.strip(),
            kind=kind,
            name=name.strip(),
            parent=parent,
            latitude=_normalise_coordinate(latitude),
            longitude=_normalise_coordinate(longitude),
            coordinate_precision=coordinate_precision or CoordinatePrecision.UNKNOWN,
            geonames_id=geonames_id,
            source=source,
        )
        place.full_clean(exclude=["path"])
        with _history(place, actor=actor, reason=reason or _("created")):
            place.save()
        # The path holds the primary key, known only after the first insert.
        place.path = place.expected_path()
        Place.objects.filter(pk=place.pk).update(path=place.path)
        place.history.update(path=place.path)
    return place


def place_update(*, actor: Actor, place: Place, reason: str = "", **changes: Unpack[PlaceChanges]) -> bool:
    """Change the given fields; returns False (and writes nothing) when nothing changed."""
    unknown = set(changes) - set(_PLACE_FIELDS)
    if unknown:
        raise TypeError(f"place_update cannot change {sorted(unknown)}")
    if "latitude" in changes:
        changes["latitude"] = _normalise_coordinate(changes["latitude"])
    if "longitude" in changes:
        changes["longitude"] = _normalise_coordinate(changes["longitude"])
    with transaction.atomic():
        place = Place.objects.select_for_update().get(pk=place.pk)
        changed = {field: value for field, value in changes.items() if getattr(place, field) != value}
        if not changed:
            return False
        new_kind = changes.get("kind")
        if "kind" in changed and new_kind is not None:
            _check_parent(kind=new_kind, parent=place.parent)
            for child in place.children.all():
                _check_parent(kind=child.kind, parent=Place(kind=new_kind))
        for field, value in changed.items():
            setattr(place, field, value)
        place.full_clean(exclude=["path"])
        with _history(place, actor=actor, reason=reason or _("edited")):
            place.save()
    return True


def place_move(*, actor: Actor, place: Place, parent: Place | None, reason: str = "") -> Place:
    """Put a place (and everything under it) under a new parent, rewriting the paths of the subtree."""
    with transaction.atomic():
        place = Place.objects.select_for_update().get(pk=place.pk)
        if parent is not None:
            parent = Place.objects.get(pk=parent.pk)
            if parent.path.startswith(place.path):
                raise ValidationError({"parent": _("A place cannot be moved under itself.")})
        _check_parent(kind=place.kind, parent=parent)
        if place.parent_id == (parent.pk if parent else None):
            return place
        old_path = place.path
        place.parent = parent
        place.path = place.expected_path()
        with _history(place, actor=actor, reason=reason or _("moved")):
            place.save()
        descendants = Place.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=place.pk)
        for descendant in descendants:
            descendant.path = place.path + descendant.path[len(old_path) :]
            with _history(descendant, actor=actor, reason=reason or _("moved with its parent")):
                descendant.save(update_fields=["path", "updated_at"])
    return place


def place_name_add(
    *,
    actor: Actor,
    place: Place,
    text: str,
    language: str,
    kind: str = "other",
    year_from: int | None = None,
    year_to: int | None = None,
    source: str = "",
    reason: str = "",
) -> PlaceName:
    name = PlaceName(
        place=place,
        text=text.strip(),
        language=language,
        kind=kind,
        year_from=year_from,
        year_to=year_to,
        source=source,
    )
    _check_years(year_from, year_to)
    with transaction.atomic():
        name.full_clean()
        with _history(name, actor=actor, reason=reason or _("name added")):
            name.save()
    return name


def _check_years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ValidationError({"year_to": _("The last year of use comes before the first.")})


def place_name_update(*, actor: Actor, name: PlaceName, reason: str = "", **changes: Unpack[PlaceNameChanges]) -> bool:
    unknown = set(changes) - set(PlaceNameChanges.__annotations__)
    if unknown:
        raise TypeError(f"place_name_update cannot change {sorted(unknown)}")
    with transaction.atomic():
        name = PlaceName.objects.select_for_update().get(pk=name.pk)
        changed = {field: value for field, value in changes.items() if getattr(name, field) != value}
        if not changed:
            return False
        for field, value in changed.items():
            setattr(name, field, value)
        _check_years(name.year_from, name.year_to)
        name.full_clean()
        with _history(name, actor=actor, reason=reason or _("name edited")):
            name.save()
    return True


def place_name_delete(*, actor: Actor, name: PlaceName, reason: str) -> None:
    with transaction.atomic(), _history(name, actor=actor, reason=reason):
        name.delete()


def place_name_upsert(
    *,
    actor: Actor,
    place: Place,
    text: str,
    language: str,
    kind: str = "other",
    year_from: int | None = None,
    year_to: int | None = None,
    source: str = "",
    reason: str = "",
) -> tuple[PlaceName, str]:
    """The name (place, language, text) with these details; (name, "created" | "updated" | ""). Used by imports."""
    existing = PlaceName.objects.filter(place=place, language=language, text=text.strip()).first()
    if existing is None:
        created = place_name_add(
            actor=actor,
            place=place,
            text=text,
            language=language,
            kind=kind,
            year_from=year_from,
            year_to=year_to,
            source=source,
            reason=reason,
        )
        return created, "created"
    changed = place_name_update(
        actor=actor,
        name=existing,
        reason=reason,
        kind=kind,
        year_from=year_from,
        year_to=year_to,
        source=source or existing.source,
    )
    return existing, "updated" if changed else ""


def places_reindex(*, batch_size: int = 1000) -> int:
    """Recompute every search key (after the folding rules in yurd.names change).

    Returns the number of rows whose key changed. Written with bulk_update: keys are
    derived data, so no history rows are added for them.
    """
    changed = 0
    with transaction.atomic():
        for model, source_field in ((Place, "name"), (PlaceName, "text")):
            pending: list[Any] = []
            for row in model.objects.only("pk", source_field, "search_key").iterator(chunk_size=batch_size):
                key = search_key(getattr(row, source_field))[:200]
                if key != row.search_key:
                    row.search_key = key
                    pending.append(row)
                if len(pending) >= batch_size:
                    model.objects.bulk_update(pending, ["search_key"])
                    changed += len(pending)
                    pending = []
            if pending:
                model.objects.bulk_update(pending, ["search_key"])
                changed += len(pending)
    return changed


# --- Imports ----------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names_added: int = 0
    names_updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def place_file_read(
    *, data: bytes, file_format: str, alternate_names: bytes | None = None
) -> tuple[ParsedFile, list[PlaceRow]]:
    """Decode, parse and validate a file against the current gazetteer; writes nothing.

    Raises ImportFileError when the file cannot be read at all.
    """
    text = decode(data)
    alternate_text = decode(alternate_names) if alternate_names else None
    return place_text_read(text=text, file_format=file_format, alternate_text=alternate_text)


def place_text_read(
    *, text: str, file_format: str, alternate_text: str | None = None
) -> tuple[ParsedFile, list[PlaceRow]]:
    if file_format == GEONAMES_FORMAT:
        parsed = parse_geonames(text, alternate_text)
    elif file_format == CSV_FORMAT:
        parsed = parse_csv(text)
    else:
        raise ImportFileError(_("Unknown format %(format)s.") % {"format": file_format})
    existing = dict(Place.objects.values_list("code", "kind"))
    valid = validate_rows(parsed, existing=existing)
    return parsed, valid


def place_rows_commit(*, actor: Actor, rows: list[PlaceRow], reason: str = "") -> ImportSummary:
    """Write validated rows (parents first) in one transaction. Re-running it changes nothing."""
    summary = ImportSummary()
    reason = reason or _("imported")
    with transaction.atomic():
        by_code = {place.code: place for place in Place.objects.filter(code__in=[row.code for row in rows])}
        by_geonames = {
            place.geonames_id: place
            for place in Place.objects.filter(geonames_id__in=[row.geonames_id for row in rows if row.geonames_id])
        }
        for row in rows:
            place = by_code.get(row.code) or (by_geonames.get(row.geonames_id) if row.geonames_id else None)
            parent = by_code.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent is None:
                parent = Place.objects.get(code=row.parent_code)
            if place is None:
                place = place_create(
                    actor=actor,
                    code=row.code,
                    kind=row.kind,
                    name=row.name,
                    parent=parent,
                    latitude=row.latitude,
                    longitude=row.longitude,
                    coordinate_precision=row.precision,
                    geonames_id=row.geonames_id,
                    source=row.source,
                    reason=reason,
                )
                summary.created += 1
            else:
                changed = place_update(
                    actor=actor,
                    place=place,
                    reason=reason,
                    name=row.name,
                    kind=row.kind,
                    latitude=row.latitude,
                    longitude=row.longitude,
                    coordinate_precision=row.precision,
                    geonames_id=row.geonames_id or place.geonames_id,
                    source=row.source or place.source,
                )
                if place.parent_id != (parent.pk if parent else None):
                    place_move(actor=actor, place=place, parent=parent, reason=reason)
                    changed = True
                place.refresh_from_db()
                if changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
            by_code[row.code] = place
        _names_commit(actor=actor, rows=rows, places=by_code, reason=reason, summary=summary)
    return summary


def _names_commit(
    *, actor: Actor, rows: list[PlaceRow], places: dict[str, Place], reason: str, summary: ImportSummary
) -> None:
    """Add the new names in bulk (with their history rows) and update the changed ones.

    Names are most of a gazetteer's rows; one query per name made the demo load slow.
    """
    place_ids = [places[row.code].pk for row in rows]
    existing: dict[tuple[int, str, str], PlaceName] = {}
    for start in range(0, len(place_ids), 500):
        for name in PlaceName.objects.filter(place_id__in=place_ids[start : start + 500]):
            existing[(name.place_id, name.language, name.text)] = name
    new: dict[tuple[int, str, str], PlaceName] = {}
    seen: set[tuple[int, str, str]] = set()
    for row in rows:
        place = places[row.code]
        for entry in row.names:
            text = entry.text.strip()
            key = (place.pk, entry.language, text)
            if key in seen:  # the same name twice in one file: the first mention counts
                continue
            seen.add(key)
            source = row.source
            current = existing.get(key)
            if current is None:
                new[key] = PlaceName(
                    place=place,
                    text=text,
                    language=entry.language,
                    kind=entry.kind,
                    year_from=entry.year_from,
                    year_to=entry.year_to,
                    source=source,
                    search_key=search_key(text)[:200],
                )
                continue
            wanted = PlaceNameChanges(kind=entry.kind, year_from=entry.year_from, year_to=entry.year_to)
            if source:
                wanted["source"] = source
            if any(getattr(current, field) != value for field, value in wanted.items()) and place_name_update(
                actor=actor, name=current, reason=reason, **wanted
            ):
                summary.names_updated += 1
    if new:
        bulk_create_with_history(
            list(new.values()), PlaceName, batch_size=500, default_user=actor.user, default_change_reason=reason
        )
        summary.names_added += len(new)


def _report(parsed: ParsedFile, valid: list[PlaceRow]) -> dict[str, Any]:
    rejected = len({error.row_number for error in parsed.errors} - {0, 1})
    return {
        "rows": len(valid) + rejected,
        "valid": len(valid),
        "rejected": rejected,
        "skipped": parsed.skipped,
        "errors": [error.as_dict() for error in parsed.errors],
        "warnings": [warning.as_dict() for warning in parsed.warnings],
    }


def place_import_stage(
    *,
    actor: Actor,
    data: bytes,
    file_name: str,
    file_format: str,
    alternate_names: bytes | None = None,
) -> PlaceImport:
    """Read and validate an uploaded file and keep it, unchanged, for a later commit.

    Raises ImportFileError (and stages nothing) when the file cannot be read at all.
    """
    text = decode(data)
    alternate_text = decode(alternate_names) if alternate_names else ""
    parsed, valid = place_text_read(text=text, file_format=file_format, alternate_text=alternate_text or None)
    return PlaceImport.objects.create(
        created_by=actor.user,
        file_name=file_name[:255],
        format=file_format,
        content=text,
        alternate_names=alternate_text,
        report=_report(parsed, valid),
    )


def place_import_commit(*, actor: Actor, place_import: PlaceImport) -> ImportSummary:
    """Commit the valid rows of a staged import, validated again against today's gazetteer."""
    with transaction.atomic():
        place_import = PlaceImport.objects.select_for_update().get(pk=place_import.pk)
        if place_import.status != PlaceImportStatus.STAGED:
            raise ValidationError(_("This import was already committed or discarded."))
        parsed, valid = place_text_read(
            text=place_import.content,
            file_format=place_import.format,
            alternate_text=place_import.alternate_names or None,
        )
        summary = place_rows_commit(
            actor=actor, rows=valid, reason=_("imported from %(file)s") % {"file": place_import.file_name}
        )
        place_import.status = PlaceImportStatus.COMMITTED
        place_import.report = {**_report(parsed, valid), "summary": summary.as_dict()}
        place_import.save(update_fields=["status", "report", "updated_at"])
    return summary


def residences_load(*, actor: Actor) -> ImportSummary:
    """Load the reference gazetteer of current residences (yurd/places/reference.py)."""
    parsed, valid = place_file_read(data=RESIDENCES_FILE.read_bytes(), file_format=CSV_FORMAT)
    if parsed.errors:
        problems = "; ".join(f"row {error.row_number} {error.column}: {error.message}" for error in parsed.errors)
        raise ValidationError(f"The reference gazetteer has errors: {problems}")
    return place_rows_commit(actor=actor, rows=valid, reason=_("Reference gazetteer of current residences"))
