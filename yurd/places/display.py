"""A place's name in the page's script, and place lists in the page's alphabetical order.

The gazetteer keeps each place's names by script and period (PlaceName). An Azerbaijani
page shows the Azerbaijani Latin form, a Russian page the Russian one, an English page the
primary name; where the gazetteer has no form in that script, the primary name. Of several
forms in one script, the one in use when the primary name was (the community's historical
name has its historical Russian form), then a historical or community name, then any.

The forms are read once per request and script (one query), not once per place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from yurd.names.collation import sort_key
from yurd.places.models import NameKind, NameScript, Place, PlaceName

SCRIPT_OF_LANGUAGE = {"az": NameScript.AZ_LATN, "ru": NameScript.RU}
_KIND_RANK: dict[str, int] = {NameKind.HISTORICAL: 0, NameKind.COMMUNITY: 1, NameKind.OFFICIAL: 2}
_cache: dict[str, dict[int, str]] = {}


def _overlaps(name: PlaceName | tuple[Any, ...], start: int | None, end: int | None) -> bool:
    year_from, year_to = name[3], name[4]  # type: ignore[index]
    return (start is None or year_to is None or year_to >= start) and (
        end is None or year_from is None or year_from <= end
    )


def _forms(script: str) -> dict[int, str]:
    if script in _cache:
        return _cache[script]
    primary_period: dict[int, tuple[int | None, int | None]] = {}
    rows = list(
        PlaceName.objects.filter(language__in=[script, NameScript.AZ_LATN, NameScript.EN]).values_list(
            "place_id", "language", "text", "year_from", "year_to", "kind", "place__name"
        )
    )
    for row in rows:
        if row[2] == row[6]:  # the form the primary name is: its period is the primary's
            primary_period.setdefault(row[0], (row[3], row[4]))
    best: dict[int, tuple[tuple[int, int, str], str]] = {}
    for row in rows:
        if row[1] != script:
            continue
        start, end = primary_period.get(row[0], (None, None))
        rank = (0 if _overlaps(row, start, end) else 1, _KIND_RANK.get(row[5], 3), row[2])
        if row[0] not in best or rank < best[row[0]][0]:
            best[row[0]] = (rank, row[2])
    _cache[script] = {place_id: text for place_id, (_, text) in best.items()}
    return _cache[script]


def clear_cache(**_: Any) -> None:
    _cache.clear()


request_started.connect(clear_cache, dispatch_uid="yurd.places.display")
for _model in (Place, PlaceName):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"yurd.places.display.save.{_model.__name__}")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"yurd.places.display.delete.{_model.__name__}")


def place_name(place: Place | None, language: str | None = None) -> str:
    """The place's name as a reader of `language` (default: the page's) writes it."""
    if place is None:
        return ""
    code = (language or get_language() or "en")[:2]
    script = SCRIPT_OF_LANGUAGE.get(code)
    if script is None or place.pk is None:
        return place.name
    return _forms(script).get(place.pk, place.name)


def sorted_places(places: Iterable[Place], language: str | None = None) -> list[Place]:
    """Places in the page's alphabetical order of the names it shows."""
    code = (language or get_language() or "en")[:2]
    return sorted(places, key=lambda place: (sort_key(place_name(place, code), code), place.pk or 0))
