"""Writes to the gazetteer. Every function keeps `path` and `search_key` correct and
leaves a history row naming the actor and the reason.

Services change a row only when a value really changes, so re-importing the same
gazetteer writes nothing and adds no history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.places.models import KIND_RANK, CoordinatePrecision, Place, PlaceKind, PlaceName
from yurd.places.models import folded_search_key as search_key

_PLACE_FIELDS = ("name", "kind", "latitude", "longitude", "coordinate_precision", "geonames_id", "source")
_NAME_FIELDS = ("kind", "year_from", "year_to", "source")


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
        place.history.update(path=place.path)  # type: ignore[attr-defined]
    return place


def place_update(*, actor: Actor, place: Place, reason: str = "", **changes: Any) -> bool:
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
        if "kind" in changed:
            _check_parent(kind=changed["kind"], parent=place.parent)
            for child in place.children.all():
                _check_parent(kind=child.kind, parent=Place(kind=changed["kind"]))
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


def place_name_update(*, actor: Actor, name: PlaceName, reason: str = "", **changes: Any) -> bool:
    unknown = set(changes) - {"text", "language", *_NAME_FIELDS}
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
) -> tuple[PlaceName, bool]:
    """The name (place, language, text) with these details; (name, changed?). Used by imports."""
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
        return created, True
    changed = place_name_update(
        actor=actor,
        name=existing,
        reason=reason,
        kind=kind,
        year_from=year_from,
        year_to=year_to,
        source=source or existing.source,
    )
    return existing, changed


def places_reindex(*, batch_size: int = 1000) -> int:
    """Recompute every search key (after the folding rules in yurd.linkage.matching change).

    Returns the number of rows whose key changed. Written with bulk_update: keys are
    derived data, so no history rows are added for them.
    """
    changed = 0
    with transaction.atomic():
        for model, source_field in ((Place, "name"), (PlaceName, "text")):
            pending: list[Any] = []
            for row in model.objects.only("pk", source_field, "search_key").iterator(chunk_size=batch_size):  # type: ignore[attr-defined]
                key = search_key(getattr(row, source_field))[:200]
                if key != row.search_key:
                    row.search_key = key
                    pending.append(row)
                if len(pending) >= batch_size:
                    model.objects.bulk_update(pending, ["search_key"])  # type: ignore[attr-defined]
                    changed += len(pending)
                    pending = []
            if pending:
                model.objects.bulk_update(pending, ["search_key"])  # type: ignore[attr-defined]
                changed += len(pending)
    return changed
